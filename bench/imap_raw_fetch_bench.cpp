// bench_imap_raw_fetch: the C++ raw ceiling of the `imap_fetch` benchmark (issue 3, baseline (b)): OpenSSL over a
// blocking socket, LOGIN, EXAMINE, ONE `UID FETCH 1:* BODY.PEEK[]`, the response scanned only for `{n}` literal
// announcements and the tagged completion, literal bytes skipped by count and discarded. No IMAP parsing, no
// message objects: what any client must at least spend to receive the folder over TLS. (bench/py_raw_fetch.py is
// the same in Python, bound by Python's own CPU.)
//
//   bench_imap_raw_fetch --lab DIR --user U --folder F --port P [--limit N] [--label L] [--corpus DIR (ignored)]
//
// Connects to 127.0.0.1:P, verifies the chain against LAB_CA from DIR/lab.env and the IP in the certificate.
// Prints one JSON result line (impl "cpp_raw_ceiling"), timed like bench_imap_fetch: from connect to the tagged OK.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>
#include "bench_support.h"

using emailv2::bench::cpu_seconds;
using emailv2::bench::password_of;
using emailv2::bench::read_lab_env;

namespace {

constexpr std::size_t kChunk = 256 * 1024;

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bench_imap_raw_fetch: %s\n", what.c_str());
  ERR_print_errors_fp(stderr);
  std::exit(1);
}

// Reads one command's responses straight from the TLS stream: lines are looked at only for a trailing {n} and the
// tag; literal bytes are counted and dropped, never copied.
class Scanner {
 public:
  explicit Scanner(SSL* ssl) : ssl_(ssl), buffer_(kChunk) {}

  std::size_t literals = 0;
  std::uint64_t literal_bytes = 0;

  // Returns the tagged completion line of `tag` (a "*" tag: the first untagged line, the greeting).
  std::string until_tagged(std::string_view tag) {
    std::string line;
    for (;;) {
      if (!next_line(line)) die("server closed the connection");
      const auto literal = literal_size(line);
      if (literal != 0 || line.ends_with("{0}")) {
        skip(literal);
        continue;
      }
      if (line.size() > tag.size() && line.compare(0, tag.size(), tag) == 0 && line[tag.size()] == ' ') return line;
    }
  }

  void send(const std::string& bytes) {
    std::size_t n = 0;
    if (SSL_write_ex(ssl_, bytes.data(), bytes.size(), &n) != 1 || n != bytes.size()) die("write failed");
  }

 private:
  bool fill() {
    std::size_t n = 0;
    if (SSL_read_ex(ssl_, buffer_.data(), buffer_.size(), &n) != 1) return false;
    begin_ = 0;
    end_ = n;
    return true;
  }

  bool next_line(std::string& line) {
    line.clear();
    for (;;) {
      if (begin_ == end_ && !fill()) return false;
      const char* start = buffer_.data() + begin_;
      const void* nl = std::memchr(start, '\n', end_ - begin_);
      if (nl == nullptr) {
        line.append(start, end_ - begin_);
        begin_ = end_;
        continue;
      }
      const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
      line.append(start, len);
      begin_ += len + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return true;
    }
  }

  static std::uint64_t literal_size(const std::string& line) {
    if (line.empty() || line.back() != '}') return 0;
    const auto open = line.rfind('{');
    if (open == std::string::npos) return 0;
    return std::strtoull(line.c_str() + open + 1, nullptr, 10);
  }

  void skip(std::uint64_t n) {
    ++literals;
    literal_bytes += n;
    while (n > 0) {
      if (begin_ == end_ && !fill()) die("server closed the connection inside a literal");
      const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(n, end_ - begin_));
      begin_ += take;
      n -= take;
    }
  }

  SSL* ssl_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

void command(Scanner& scanner, const std::string& tag, const std::string& text) {
  scanner.send(tag + " " + text + "\r\n");
  const std::string done = scanner.until_tagged(tag);
  if (done.compare(tag.size() + 1, 2, "OK") != 0) die(text.substr(0, text.find(' ')) + " failed: " + done);
}

int connect_socket(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket failed");
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) die("connect failed");
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args{{"--user", "soc@lab.test"}, {"--folder", "INBOX"}, {"--label", "direct"}};
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  if (args["--lab"].empty() || args["--port"].empty()) {
    std::fprintf(stderr, "usage: bench_imap_raw_fetch --lab DIR --port P [--user U] [--folder F] [--limit N]\n");
    return 2;
  }
  const auto env = read_lab_env(args["--lab"]);
  const auto ca = env.find("LAB_CA");
  const std::string limit = args["--limit"];

  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (ca == env.end() || SSL_CTX_load_verify_locations(ctx, ca->second.c_str(), nullptr) != 1) die("no LAB_CA");
  SSL* ssl = SSL_new(ctx);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
  const int fd = connect_socket(static_cast<std::uint16_t>(std::stoi(args["--port"])));
  SSL_set_fd(ssl, fd);
  if (SSL_connect(ssl) != 1) die("TLS handshake failed");

  Scanner scanner(ssl);
  scanner.until_tagged("*");  // the greeting
  command(scanner, "a1", "LOGIN " + quoted(args["--user"]) + " " + quoted(password_of(env, args["--user"])));
  command(scanner, "a2", "EXAMINE " + quoted(args["--folder"]));
  scanner.literals = 0;
  scanner.literal_bytes = 0;
  command(scanner, "a3", "UID FETCH " + (limit.empty() || limit == "0" ? "1:*" : "1:" + limit) + " BODY.PEEK[]");
  const double seconds =
      std::max(1e-9, std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
  scanner.send("a4 LOGOUT\r\n");
  SSL_shutdown(ssl);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double msgs = static_cast<double>(scanner.literals);
  std::printf("{\"bench\": \"imap_fetch\", \"impl\": \"cpp_raw_ceiling\", \"msgs\": %zu, \"bytes\": %llu, "
              "\"seconds\": %.3f, \"msgs_per_s\": %.1f, \"mb_per_s\": %.2f, \"peak_rss_mb\": %.1f, \"cpu_s\": %.3f, "
              "\"label\": \"%s\"}\n",
              scanner.literals, static_cast<unsigned long long>(scanner.literal_bytes), seconds, msgs / seconds,
              static_cast<double>(scanner.literal_bytes) / 1e6 / seconds,
              static_cast<double>(usage.ru_maxrss) / 1024.0, cpu_seconds() - cpu_start, args["--label"].c_str());
  return 0;
}
