#pragma once
// A scripted server on 127.0.0.1:<ephemeral> for hostile and negative tests of IMAP, SMTP, proxies and TLS.
// It runs in a background thread, plays a Script for each accepted connection and records every byte the client
// sent, split into before and after the server-side TLS handshake.
//
//   ScriptedServer server(Script{}
//                             .send("* OK ready\r\n")
//                             .expect_line_matching("^a1 STARTTLS$")
//                             .send("a1 OK begin\r\n")
//                             .start_tls(certs.server())
//                             .on_line([](const std::string& line) { return line.substr(0, 2) + " OK\r\n"; }));
//   ... connect a client to server.endpoint() ...
//   client->close();
//   ASSERT_TRUE(server.wait_finished());
//   EXPECT_EQ(server.failures(), std::vector<std::string>{});
//   EXPECT_EQ(server.received_after_tls(), "...");
//
// Robustness contract: no wait is unbounded. Every expectation waits at most Script::step_timeout (default 10 s)
// and then records a failure and drops the connection; stall()/the end of a script read (and record) until the
// client closes or the server is destroyed. The destructor stops the thread, closes every socket and joins.
// Lines are split on LF; the recorded line has its CRLF/LF removed.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net/transport.h"
#include "support/test_certs.h"

namespace emailv2::testing {

// The answer of an on_line_reply() callback: bytes to send (may be empty), then what to do.
struct LineReply {
  enum class Then { kContinue, kStartTls, kClose };
  std::string bytes;
  Then then = Then::kContinue;
};

class Script {
 public:
  struct Step;  // one instruction; opaque to tests
  Script();
  ~Script();
  Script(Script&&) noexcept;
  Script& operator=(Script&&) noexcept;
  Script(const Script&);
  Script& operator=(const Script&);

  Script& send(std::string bytes);
  // Reads one line and records it.
  Script& expect_line();
  // Reads one line; it must contain a match of the POSIX extended regex `pattern` (regexec: anchors ^ $ work; no
  // \d or lookarounds), else a failure is recorded and the connection dropped.
  Script& expect_line_matching(std::string pattern);
  // Reads lines up to and including an empty line (an HTTP header block); each is recorded.
  Script& expect_headers();
  // Reads exactly n bytes (binary protocols such as SOCKS5); recorded in received_*(), not in lines().
  Script& expect_bytes(std::size_t n);
  // Server-side TLS handshake with this certificate. max_tls_version: an OpenSSL *_VERSION constant (0 = default).
  Script& start_tls(const CertKey& identity, int max_tls_version = 0);
  Script& sleep(std::chrono::milliseconds duration);
  // Records whatever the client already sent, then closes the connection: an orderly close (TLS close_notify first
  // when TLS is up, then TCP FIN).
  Script& close();
  // Like close(), but abrupt: TCP FIN without a TLS close_notify (a truncated TLS stream).
  Script& drop();
  // Never answers: reads and records until the client closes or the server is destroyed.
  Script& stall();
  // Dialogue mode (the last step): each client line is passed to `answer`, whose result is sent (nothing if empty),
  // until the client closes.
  Script& on_line(std::function<std::string(const std::string& line)> answer);
  // Like on_line, but the reply can also start TLS (with `identity`) or close the connection after its bytes.
  Script& on_line_reply(std::function<LineReply(const std::string& line)> answer,
                        std::optional<CertKey> identity = std::nullopt);
  // Upper bound for each expectation and handshake (default 10 s).
  Script& step_timeout(std::chrono::milliseconds timeout);

 private:
  friend class ScriptedServer;
  std::vector<Step> steps_;
  std::chrono::milliseconds step_timeout_{10'000};
};

class ScriptedServer {
 public:
  // Listens on 127.0.0.1:0 and plays `script` for each of the first `connections` clients, one after the other.
  explicit ScriptedServer(Script script, int connections = 1);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::uint16_t port() const { return port_; }
  net::Endpoint endpoint() const { return {"127.0.0.1", port_}; }

  // Waits until every expected connection has been served (script played and, if it did not close, the client
  // closed). False on timeout.
  bool wait_finished(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits until `n` connections have been accepted. False on timeout.
  bool wait_accepted(int n = 1, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Recordings, accumulated over all connections (copies; thread-safe).
  std::string received_before_tls() const;
  std::string received_after_tls() const;
  std::string received() const;  // before + after, in order, for single-connection scripts
  std::vector<std::string> lines() const;
  // Expectation mismatches, timeouts, TLS errors; empty when the script played as written.
  std::vector<std::string> failures() const;
  bool tls_established() const;
  int accepted() const;

 private:
  class Connection;
  void run(int connections);
  void serve(int fd);
  void record(const std::string& bytes, bool after_tls);
  void record_line(const std::string& line);
  void record_failure(const std::string& what);

  Script script_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string before_tls_;
  std::string after_tls_;
  std::vector<std::string> lines_;
  std::vector<std::string> failures_;
  bool tls_established_ = false;
  int accepted_ = 0;
  bool finished_ = false;
  std::thread thread_;
};

}  // namespace emailv2::testing
