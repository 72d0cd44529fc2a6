#include "support/scripted_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <regex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <variant>

namespace emailv2::testing {

using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxLineBytes = 1 << 20;
constexpr int kPollSliceMs = 20;

struct SendStep {
  std::string bytes;
};
struct ExpectLineStep {
  std::optional<std::string> pattern;
};
struct ExpectHeadersStep {};
struct ExpectBytesStep {
  std::size_t count;
};
struct StartTlsStep {
  CertKey identity;
  int max_version;
};
struct SleepStep {
  std::chrono::milliseconds duration;
};
struct CloseStep {
  bool orderly;
};
struct StallStep {};
struct OnLineStep {
  std::function<LineReply(const std::string&)> answer;
  std::optional<CertKey> identity;
};

// POSIX extended regex search (std::regex trips GCC 12 false warnings under sanitizers).
bool regex_search(const std::string& text, const std::string& pattern) {
  regex_t re;
  if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0) {
    throw std::invalid_argument("scripted_server: bad regex " + pattern);
  }
  const bool found = regexec(&re, text.c_str(), 0, nullptr, 0) == 0;
  regfree(&re);
  return found;
}

std::string ssl_error_text() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "no OpenSSL error (peer closed?)";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

}  // namespace

struct Script::Step {
  std::variant<SendStep, ExpectLineStep, ExpectHeadersStep, ExpectBytesStep, StartTlsStep, SleepStep, CloseStep,
               StallStep, OnLineStep>
      action;
};

Script::Script() = default;
Script::~Script() = default;
Script::Script(Script&&) noexcept = default;
Script& Script::operator=(Script&&) noexcept = default;
Script::Script(const Script&) = default;
Script& Script::operator=(const Script&) = default;

Script& Script::send(std::string bytes) {
  steps_.push_back({SendStep{std::move(bytes)}});
  return *this;
}
Script& Script::expect_line() {
  steps_.push_back({ExpectLineStep{std::nullopt}});
  return *this;
}
Script& Script::expect_line_matching(std::string pattern) {
  steps_.push_back({ExpectLineStep{std::move(pattern)}});
  return *this;
}
Script& Script::expect_headers() {
  steps_.push_back({ExpectHeadersStep{}});
  return *this;
}
Script& Script::expect_bytes(std::size_t n) {
  steps_.push_back({ExpectBytesStep{n}});
  return *this;
}
Script& Script::start_tls(const CertKey& identity, int max_tls_version) {
  steps_.push_back({StartTlsStep{identity, max_tls_version}});
  return *this;
}
Script& Script::sleep(std::chrono::milliseconds duration) {
  steps_.push_back({SleepStep{duration}});
  return *this;
}
Script& Script::close() {
  steps_.push_back({CloseStep{true}});
  return *this;
}
Script& Script::drop() {
  steps_.push_back({CloseStep{false}});
  return *this;
}
Script& Script::stall() {
  steps_.push_back({StallStep{}});
  return *this;
}
Script& Script::on_line(std::function<std::string(const std::string&)> answer) {
  auto wrapped = [answer = std::move(answer)](const std::string& line) { return LineReply{answer(line)}; };
  steps_.push_back({OnLineStep{std::move(wrapped), std::nullopt}});
  return *this;
}
Script& Script::on_line_reply(std::function<LineReply(const std::string&)> answer, std::optional<CertKey> identity) {
  steps_.push_back({OnLineStep{std::move(answer), std::move(identity)}});
  return *this;
}
Script& Script::step_timeout(std::chrono::milliseconds timeout) {
  step_timeout_ = timeout;
  return *this;
}

// One accepted client: a non-blocking fd, optionally wrapped in server-side TLS. Every read is recorded.
class ScriptedServer::Connection {
 public:
  enum class Io { kOk, kEof, kTimeout, kError, kStopped };

  Connection(ScriptedServer& server, int fd) : server_(server), fd_(fd) {}
  ~Connection() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool is_tls() const { return ssl_ != nullptr; }
  const std::string& error() const { return error_; }

  Io wait(short events, Clock::time_point until) {
    while (!server_.stop_.load()) {
      if (Clock::now() >= until) return Io::kTimeout;
      pollfd p{fd_, events, 0};
      const int rc = ::poll(&p, 1, kPollSliceMs);
      if (rc > 0) return Io::kOk;
      if (rc < 0 && errno != EINTR) return fail_io("poll failed");
    }
    return Io::kStopped;
  }

  // Reads up to `max` bytes (at least one) and records them.
  Io read_some(std::string& out, std::size_t max, Clock::time_point until) {
    std::string buf(max, '\0');
    for (;;) {
      Io io = ssl_ != nullptr ? tls_read(buf, out, until) : plain_read(buf, out, until);
      if (io != Io::kOk || !out.empty()) return io;
    }
  }

  Io read_line(std::string& line, Clock::time_point until) {
    line.clear();
    for (;;) {
      std::string c;
      const Io io = read_some(c, 1, until);
      if (io != Io::kOk) return io;
      if (c[0] == '\n') break;
      line += c;
      if (line.size() > kMaxLineBytes) return fail_io("client line longer than 1 MiB");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return Io::kOk;
  }

  Io read_exact(std::size_t n, Clock::time_point until) {
    while (n > 0) {
      std::string chunk;
      const Io io = read_some(chunk, n, until);
      if (io != Io::kOk) return io;
      n -= chunk.size();
    }
    return Io::kOk;
  }

  Io write_all(const std::string& bytes, Clock::time_point until) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const Io io = ssl_ != nullptr ? tls_write(bytes, done, until) : plain_write(bytes, done, until);
      if (io != Io::kOk) return io;
    }
    return Io::kOk;
  }

  Io handshake(const CertKey& identity, int max_version, Clock::time_point until) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    if (ctx_ == nullptr) return fail_io("SSL_CTX_new: " + ssl_error_text());
    if (max_version != 0) {
      SSL_CTX_set_security_level(ctx_, 0);
      SSL_CTX_set_min_proto_version(ctx_, 0);
      SSL_CTX_set_max_proto_version(ctx_, max_version);
    }
    if (SSL_CTX_use_certificate_file(ctx_, identity.cert.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx_, identity.key.c_str(), SSL_FILETYPE_PEM) != 1) {
      return fail_io("loading the server certificate: " + ssl_error_text());
    }
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    for (;;) {
      ERR_clear_error();
      const int rc = SSL_accept(ssl_);
      if (rc == 1) return Io::kOk;
      const int err = SSL_get_error(ssl_, rc);
      if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
        return fail_io("TLS handshake failed: " + ssl_error_text());
      }
      const Io io = wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, until);
      if (io != Io::kOk) return io == Io::kTimeout ? fail_io("TLS handshake timed out") : io;
    }
  }

  void send_close_notify() {
    if (ssl_ == nullptr) return;
    ERR_clear_error();
    (void)SSL_shutdown(ssl_);
    ERR_clear_error();
  }

  // Records what the client already sent, without waiting.
  void drain_available() {
    for (;;) {
      std::string chunk;
      if (read_some(chunk, 4096, Clock::now()) != Io::kOk) return;
    }
  }

  void drain_until_eof() {
    for (;;) {
      std::string chunk;
      if (read_some(chunk, 4096, Clock::time_point::max()) != Io::kOk) return;
    }
  }

 private:
  Io fail_io(std::string what) {
    error_ = std::move(what);
    return Io::kError;
  }

  Io plain_read(std::string& buf, std::string& out, Clock::time_point until) {
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n > 0) {
      out.assign(buf.data(), static_cast<std::size_t>(n));
      server_.record(out, false);
      return Io::kOk;
    }
    if (n == 0) return Io::kEof;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return wait(POLLIN, until);
    return errno == ECONNRESET ? Io::kEof : fail_io("recv failed");
  }

  Io tls_read(std::string& buf, std::string& out, Clock::time_point until) {
    std::size_t n = 0;
    ERR_clear_error();
    if (SSL_read_ex(ssl_, buf.data(), buf.size(), &n) == 1) {
      out.assign(buf.data(), n);
      server_.record(out, true);
      return Io::kOk;
    }
    const int err = SSL_get_error(ssl_, 0);
    if (err == SSL_ERROR_WANT_READ) return wait(POLLIN, until);
    if (err == SSL_ERROR_WANT_WRITE) return wait(POLLOUT, until);
    return Io::kEof;
  }

  Io plain_write(const std::string& bytes, std::size_t& done, Clock::time_point until) {
    const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n >= 0) {
      done += static_cast<std::size_t>(n);
      return Io::kOk;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return wait(POLLOUT, until);
    return Io::kEof;
  }

  Io tls_write(const std::string& bytes, std::size_t& done, Clock::time_point until) {
    std::size_t n = 0;
    ERR_clear_error();
    if (SSL_write_ex(ssl_, bytes.data() + done, bytes.size() - done, &n) == 1) {
      done += n;
      return Io::kOk;
    }
    const int err = SSL_get_error(ssl_, 0);
    if (err == SSL_ERROR_WANT_READ) return wait(POLLIN, until);
    if (err == SSL_ERROR_WANT_WRITE) return wait(POLLOUT, until);
    return Io::kEof;
  }

  ScriptedServer& server_;
  int fd_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string error_;
};

ScriptedServer::ScriptedServer(Script script, int connections) : script_(std::move(script)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (listen_fd_ < 0) throw std::runtime_error("scripted_server: socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("scripted_server: bind/listen failed");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this, connections] { run(connections); });
}

ScriptedServer::~ScriptedServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

void ScriptedServer::run(int connections) {
  // OpenSSL writes with write(2); a client that went away must not SIGPIPE the test process. SIGPIPE is sent to the
  // writing thread, so blocking it here leaves the client side's own SIGPIPE behaviour observable.
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
  for (int served = 0; served < connections && !stop_.load(); ++served) {
    int fd = -1;
    while (fd < 0 && !stop_.load()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, kPollSliceMs) <= 0) continue;
      fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    }
    if (fd < 0) break;
    {
      std::lock_guard lock(mutex_);
      ++accepted_;
    }
    changed_.notify_all();
    serve(fd);
  }
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  changed_.notify_all();
}

// One dispatch over the step kinds; each returns early (dropping the connection) on a failed expectation.
void ScriptedServer::serve(int fd) {
  Connection conn(*this, fd);
  using Io = Connection::Io;
  auto until = [this] { return Clock::now() + script_.step_timeout_; };
  auto failed = [&](Io io, const std::string& step) {
    if (io == Io::kOk || io == Io::kStopped) return io == Io::kStopped;
    const char* why = io == Io::kEof ? "client closed" : io == Io::kTimeout ? "timed out" : conn.error().c_str();
    record_failure(step + ": " + why);
    return true;
  };
  for (const auto& step : script_.steps_) {
    if (const auto* s = std::get_if<SendStep>(&step.action)) {
      if (failed(conn.write_all(s->bytes, until()), "send")) return;
    } else if (const auto* e = std::get_if<ExpectLineStep>(&step.action)) {
      std::string line;
      if (failed(conn.read_line(line, until()), "expect_line")) return;
      record_line(line);
      if (e->pattern && !regex_search(line, *e->pattern)) {
        record_failure("expect_line_matching(" + *e->pattern + "): got \"" + line + "\"");
        return;
      }
    } else if (std::holds_alternative<ExpectHeadersStep>(step.action)) {
      for (std::string line = "x"; !line.empty();) {
        if (failed(conn.read_line(line, until()), "expect_headers")) return;
        record_line(line);
      }
    } else if (const auto* b = std::get_if<ExpectBytesStep>(&step.action)) {
      if (failed(conn.read_exact(b->count, until()), "expect_bytes(" + std::to_string(b->count) + ")")) return;
    } else if (const auto* t = std::get_if<StartTlsStep>(&step.action)) {
      if (failed(conn.handshake(t->identity, t->max_version, until()), "start_tls")) return;
      std::lock_guard lock(mutex_);
      tls_established_ = true;
    } else if (const auto* sl = std::get_if<SleepStep>(&step.action)) {
      const auto end = Clock::now() + sl->duration;
      while (Clock::now() < end && !stop_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } else if (const auto* c = std::get_if<CloseStep>(&step.action)) {
      conn.drain_available();
      if (c->orderly) conn.send_close_notify();
      return;
    } else if (std::holds_alternative<StallStep>(step.action)) {
      break;
    } else if (const auto* o = std::get_if<OnLineStep>(&step.action)) {
      for (;;) {
        std::string line;
        if (conn.read_line(line, Clock::time_point::max()) != Io::kOk) return;
        record_line(line);
        const LineReply reply = o->answer(line);
        if (failed(conn.write_all(reply.bytes, until()), "on_line send")) return;
        if (reply.then == LineReply::Then::kClose) return;
        if (reply.then == LineReply::Then::kStartTls) {
          if (!o->identity) {
            record_failure("on_line_reply: kStartTls without an identity");
            return;
          }
          if (failed(conn.handshake(*o->identity, 0, until()), "on_line start_tls")) return;
          std::lock_guard lock(mutex_);
          tls_established_ = true;
        }
      }
    }
  }
  conn.drain_until_eof();
}

void ScriptedServer::record(const std::string& bytes, bool after_tls) {
  std::lock_guard lock(mutex_);
  (after_tls ? after_tls_ : before_tls_) += bytes;
}

void ScriptedServer::record_line(const std::string& line) {
  std::lock_guard lock(mutex_);
  lines_.push_back(line);
}

void ScriptedServer::record_failure(const std::string& what) {
  std::lock_guard lock(mutex_);
  failures_.push_back(what);
}

bool ScriptedServer::wait_finished(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return finished_; });
}

bool ScriptedServer::wait_accepted(int n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this, n] { return accepted_ >= n; });
}

std::string ScriptedServer::received_before_tls() const {
  std::lock_guard lock(mutex_);
  return before_tls_;
}
std::string ScriptedServer::received_after_tls() const {
  std::lock_guard lock(mutex_);
  return after_tls_;
}
std::string ScriptedServer::received() const {
  std::lock_guard lock(mutex_);
  return before_tls_ + after_tls_;
}
std::vector<std::string> ScriptedServer::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}
std::vector<std::string> ScriptedServer::failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}
bool ScriptedServer::tls_established() const {
  std::lock_guard lock(mutex_);
  return tls_established_;
}
int ScriptedServer::accepted() const {
  std::lock_guard lock(mutex_);
  return accepted_;
}

}  // namespace emailv2::testing
