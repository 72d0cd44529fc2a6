// bench_smtp_send: emailv2's SMTP client (smtp::Session: STARTTLS with the lab CA, AUTH PLAIN, MAIL/RCPT/DATA with
// streaming dot-stuffing, TCP_NODELAY) sending N messages with one attachment through the lab's submission port —
// the emailv2 row of the `smtp_send` benchmark, beside bench/py_smtplib_send.py (smtplib with TCP_NODELAY).
//
//   bench_smtp_send [--lab DIR] [--count 300] [--attach-kb 100] [--user alice@lab.test] [--to bob@lab.test]
//                   [--reconnect] [--with-python] [--rounds 1] [--label direct] [--cli PATH [--cli-count 50]]
//
// Each message is built inside the timed loop (headers, a text part, the attachment base64-encoded), like the
// Python baseline builds its EmailMessage each time; the attachment bytes are the same size. One connection for all
// messages (default), or one per message (--reconnect, as each action run does). --with-python runs the Python
// baseline with the same count/size/mode right after each round, so both rows come from the same minute of the same
// machine. --cli PATH adds the whole action: `PATH send-email` run once per message (a process, configuration,
// one SMTP session, the sent_message row in a fresh store), the row "emailv2_cli" (compare with smtplib
// --reconnect). run_benchmarks.sh passes its hook flags (--port is the IMAPS port): they are accepted and ignored, and
// only the direct path runs (the delay proxy fronts IMAP, not submission).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/text.h"
#include "smtp/session.h"

namespace {

using namespace emailv2;

struct Args {
  std::string lab;
  int count = 300;
  int attach_kb = 100;
  std::string user = "alice@lab.test";
  std::string to = "bob@lab.test";
  bool reconnect = false;
  bool with_python = false;
  int rounds = 1;
  std::string label = "direct";
  std::string cli;
  int cli_count = 50;
};

std::map<std::string, std::string> lab_env(const std::string& dir) {
  std::map<std::string, std::string> env;
  std::ifstream in(dir + "/lab.env");
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

std::string password_of(const std::map<std::string, std::string>& env, const std::string& user) {
  for (int i = 1; i <= 4; ++i) {
    const auto u = env.find("LAB_USER" + std::to_string(i));
    if (u != env.end() && text::iequals_ascii(u->second, user)) return env.at("LAB_PASS" + std::to_string(i));
  }
  std::fprintf(stderr, "bench_smtp_send: user %s not in lab.env\n", user.c_str());
  std::exit(2);
}

std::string wrap76(const std::string& b64) {
  std::string out;
  out.reserve(b64.size() + b64.size() / 76 * 2 + 2);
  for (std::size_t i = 0; i < b64.size(); i += 76) {
    out.append(b64, i, 76);
    out += "\r\n";
  }
  return out;
}

std::string build(const Args& a, int n, const std::string& attachment) {
  const std::string boundary = "=-bench-" + std::to_string(n) + "-boundary";
  std::string m;
  m.reserve(attachment.size() * 4 / 3 + 4096);
  m += "From: " + a.user + "\r\nTo: " + a.to + "\r\nSubject: Benchmark message " + std::to_string(n) +
       "\r\nMessage-ID: <bench-cpp-" + std::to_string(::getpid()) + "-" + std::to_string(n) +
       "@lab.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "--" + boundary + "\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";
  m += "Benchmark body " + std::to_string(n) + ".\r\n\r\n";
  m += "--" + boundary +
       "\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
       "filename=\"report-" +
       std::to_string(n) + ".bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += wrap76(text::base64_encode(attachment));
  m += "--" + boundary + "--\r\n";
  return m;
}

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double peak_rss_mb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

int run_emailv2(const Args& a, const std::map<std::string, std::string>& env, const std::string& attachment) {
  smtp::SessionOptions o;
  o.endpoint = {env.at("LAB_HOST"), static_cast<std::uint16_t>(std::stoi(env.at("LAB_SUBMISSION_PORT")))};
  o.tls_mode = smtp::TlsMode::kStartTlsRequired;
  o.tls.ca_file = env.at("LAB_CA");
  o.ehlo_domain = "lab.test";
  o.username = a.user;
  o.password = Secret(password_of(env, a.user));
  const smtp::Envelope envelope{a.user, {a.to}};
  const auto wall0 = std::chrono::steady_clock::now();
  const double cpu0 = cpu_seconds();
  std::uint64_t bytes = 0;
  std::optional<smtp::Session> session;
  for (int n = 0; n < a.count; ++n) {
    const Deadline deadline = Deadline::after(std::chrono::seconds(120));
    if (!session) {
      auto s = smtp::Session::connect(o, deadline);
      if (!s) {
        std::fprintf(stderr, "bench_smtp_send: %s\n", s.error().to_string().c_str());
        return 1;
      }
      session.emplace(std::move(*s));
    }
    const std::string message = build(a, n, attachment);
    auto r = session->send(envelope, message, deadline);
    if (!r) {
      std::fprintf(stderr, "bench_smtp_send: message %d: %s\n", n, r.error().to_string().c_str());
      return 1;
    }
    bytes += message.size();
    if (a.reconnect) {
      session->quit(deadline);
      session.reset();
    }
  }
  if (session) session->quit(Deadline::after(std::chrono::seconds(10)));
  const double seconds =
      std::max(std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count(), 1e-9);
  std::printf(
      "{\"bench\": \"smtp_send\", \"impl\": \"emailv2\", \"msgs\": %d, \"bytes\": %llu, \"seconds\": %.3f, "
      "\"msgs_per_s\": %.1f, \"mb_per_s\": %.2f, \"peak_rss_mb\": %.1f, \"cpu_s\": %.3f, "
      "\"reconnect\": %s, \"label\": \"%s\"}\n",
      a.count, static_cast<unsigned long long>(bytes), seconds, a.count / seconds,
      static_cast<double>(bytes) / seconds / 1048576.0, peak_rss_mb(), cpu_seconds() - cpu0,
      a.reconnect ? "true" : "false", a.label.c_str());
  std::fflush(stdout);
  return 0;
}

// bench/py_smtplib_send.py: beside this source file, or <repo>/bench for a build directory directly under the repo.
std::string python_script() {
  std::vector<std::filesystem::path> candidates{std::filesystem::path(__FILE__).parent_path()};
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path().parent_path() / "bench");
  for (const auto& dir : candidates) {
    if (std::filesystem::exists(dir / "py_smtplib_send.py", ec)) return (dir / "py_smtplib_send.py").string();
  }
  return "bench/py_smtplib_send.py";
}

int run_python(const Args& a) {
  std::vector<std::string> argv{"python3",     python_script(),
                                "--lab",       a.lab,
                                "--count",     std::to_string(a.count),
                                "--attach-kb", std::to_string(a.attach_kb),
                                "--user",      a.user,
                                "--to",        a.to,
                                "--label",     a.label};
  if (a.reconnect) argv.push_back("--reconnect");
  std::vector<char*> raw;
  for (auto& s : argv) raw.push_back(s.data());
  raw.push_back(nullptr);
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execvp("python3", raw.data());
    _exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int run_cli(const Args& a, const std::map<std::string, std::string>& env, const std::string& attachment) {
  const auto dir = std::filesystem::temp_directory_path() / ("bench-smtp-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "report.bin", std::ios::binary) << attachment;
    std::ofstream cfg(dir / "emailv2.toml");
    cfg << "[integration]\n\"Sender's Address\" = \"" << a.user << "\"\n\"Sender's Display Name\" = \"Bench\"\n"
        << "Username = \"" << a.user << "\"\n\"CA File\" = \"" << env.at("LAB_CA") << "\"\n"
        << "\"SMTP Server Address\" = \"" << env.at("LAB_HOST")
        << "\"\n\"SMTP Port\" = " << env.at("LAB_SUBMISSION_PORT") << "\n\"SMTP - Use SSL\" = false\n";
  }
  ::setenv("EMAILV2_PASSWORD", password_of(env, a.user).c_str(), 1);
  const auto wall0 = std::chrono::steady_clock::now();
  rusage before{};
  ::getrusage(RUSAGE_CHILDREN, &before);
  for (int n = 0; n < a.cli_count; ++n) {
    std::vector<std::string> argv{a.cli,
                                  "--log-level",
                                  "warn",
                                  "--config",
                                  (dir / "emailv2.toml").string(),
                                  "--store",
                                  (dir / "store.sqlite").string(),
                                  "send-email",
                                  "--recipients",
                                  a.to,
                                  "--subject",
                                  "Benchmark message " + std::to_string(n),
                                  "--content",
                                  "<p>Benchmark body " + std::to_string(n) + ".</p>",
                                  "--attachments-paths",
                                  (dir / "report.bin").string()};
    std::vector<char*> raw;
    for (auto& s : argv) raw.push_back(s.data());
    raw.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(126);
      ::execv(raw[0], raw.data());
      _exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "bench_smtp_send: %s send-email exited %d\n", a.cli.c_str(), WEXITSTATUS(status));
      return 1;
    }
  }
  const double seconds =
      std::max(std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count(), 1e-9);
  rusage after{};
  ::getrusage(RUSAGE_CHILDREN, &after);
  const double cpu = static_cast<double>(after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec -
                                         before.ru_stime.tv_sec) +
                     static_cast<double>(after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec -
                                         before.ru_stime.tv_usec) /
                         1e6;
  std::filesystem::remove_all(dir);
  std::printf(
      "{\"bench\": \"smtp_send\", \"impl\": \"emailv2_cli\", \"msgs\": %d, \"bytes\": 0, \"seconds\": %.3f, "
      "\"msgs_per_s\": %.1f, \"mb_per_s\": 0, \"peak_rss_mb\": %.1f, \"cpu_s\": %.3f, \"reconnect\": true, "
      "\"label\": \"%s\"}\n",
      a.cli_count, seconds, a.cli_count / seconds, static_cast<double>(after.ru_maxrss) / 1024.0, cpu, a.label.c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (const char* lab = std::getenv("EMAILV2_LAB_DIR")) a.lab = lab;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    const auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--lab")
      a.lab = value();
    else if (k == "--count")
      a.count = std::atoi(value().c_str());
    else if (k == "--attach-kb")
      a.attach_kb = std::atoi(value().c_str());
    else if (k == "--user")
      a.user = value();
    else if (k == "--to")
      a.to = value();
    else if (k == "--reconnect")
      a.reconnect = true;
    else if (k == "--with-python")
      a.with_python = true;
    else if (k == "--rounds")
      a.rounds = std::atoi(value().c_str());
    else if (k == "--label")
      a.label = value();
    else if (k == "--cli")
      a.cli = value();
    else if (k == "--cli-count")
      a.cli_count = std::atoi(value().c_str());
    else if (k == "--folder" || k == "--port" || k == "--corpus" || k == "--limit")
      (void)value();  // hook flags
    else {
      std::fprintf(stderr, "bench_smtp_send: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (a.label != "direct") return 0;  // the delay proxy fronts IMAPS; submission is only measured directly
  if (a.lab.empty()) {
    std::fprintf(stderr, "bench_smtp_send: no lab (--lab DIR or EMAILV2_LAB_DIR)\n");
    return 2;
  }
  const auto env = lab_env(a.lab);
  if (env.count("LAB_SUBMISSION_PORT") == 0) {
    std::fprintf(stderr, "bench_smtp_send: %s/lab.env has no LAB_SUBMISSION_PORT\n", a.lab.c_str());
    return 2;
  }
  std::mt19937 rng(1);
  std::string attachment(static_cast<std::size_t>(a.attach_kb) * 1024, '\0');
  for (char& c : attachment) c = static_cast<char>(rng() & 0xFF);
  for (int round = 0; round < a.rounds; ++round) {
    if (int rc = run_emailv2(a, env, attachment); rc != 0) return rc;
    if (a.with_python) {
      if (int rc = run_python(a); rc != 0) return rc;
    }
    if (!a.cli.empty()) {
      if (int rc = run_cli(a, env, attachment); rc != 0) return rc;
    }
  }
  return 0;
}
