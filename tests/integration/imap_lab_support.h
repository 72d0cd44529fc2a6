#pragma once
// Shared by the imap_*_test.cpp integration tests: session options for the lab, a fresh folder per test, and
// APPEND to fill it (pipelined with LITERAL+).

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "imap/session.h"
#include "support/test_env.h"

namespace emailv2::imap::lab {

inline Deadline soon(int seconds = 60) { return Deadline::after(std::chrono::seconds(seconds)); }

inline SessionOptions options(const std::string& port_key = "LAB_IMAPS_PORT", int user = 1) {
  SessionOptions o;
  o.endpoint = {testing::lab("LAB_HOST"), static_cast<std::uint16_t>(testing::lab_port(port_key))};
  o.tls_mode = port_key.find("IMAPS") != std::string::npos ? TlsMode::kImplicit : TlsMode::kStartTlsRequired;
  o.tls.ca_file = testing::lab("LAB_CA");
  o.username = testing::lab("LAB_USER" + std::to_string(user));
  o.password = Secret(testing::lab("LAB_PASS" + std::to_string(user)));
  o.connect_timeout = std::chrono::seconds(10);
  o.operation_timeout = std::chrono::seconds(60);
  return o;
}

inline std::unique_ptr<Session> connect(const SessionOptions& o) {
  auto s = Session::connect(o, soon());
  EXPECT_TRUE(s) << s.error().to_string();
  return s ? std::move(*s) : nullptr;
}

// A folder name nobody else uses: prefix + pid + counter.
inline std::string unique_folder(const std::string& prefix) {
  // pid + counter alone repeat when a PID is reused within one lab's life (thousands of test processes); the random
  // part keeps a name from an earlier process (whose folder may still exist) from colliding.
  static std::atomic<int> counter{0};
  static const unsigned long long nonce = std::random_device{}() * 0x100000000ULL + std::random_device{}();
  return prefix + " " + std::to_string(::getpid()) + "-" + std::to_string(nonce % 1000000007ULL) + "-" +
         std::to_string(counter++);
}

inline Status simple(Session& s, const char* verb, const std::string& folder) {
  wire::CommandBuilder b(verb, s.capabilities().has("LITERAL+"));
  b.mailbox(folder);
  auto c = b.build();
  if (!c) return fail(c.error());
  auto r = s.run(*c, {}, soon());
  if (!r) return fail(r.error());
  return ok();
}

// CREATE, retried a few times on NO: tests running in parallel create and delete folders of the same lab user at
// once, and Dovecot can refuse one while its mailbox list is locked by another (a rare flake in CI otherwise).
// A refused CREATE can still have made the folder (seen once under ASan: the retry answered "Mailbox already
// exists"); the name is unique to this process, so that answer to a retry means the folder is there and ours.
inline Status create(Session& s, const std::string& folder) {
  Status st = simple(s, "CREATE", folder);
  std::string refusals;
  for (int attempt = 1; attempt < 5 && !st && st.error().code() == ErrorCode::kImapNo; ++attempt) {
    refusals += " [attempt " + std::to_string(attempt) + ": " + st.error().detail() + "]";
    std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
    st = simple(s, "CREATE", folder);
    if (!st && st.error().code() == ErrorCode::kImapNo && st.error().detail().find("already exists") != std::string::npos)
      return ok();
  }
  if (!st) ADD_FAILURE() << "CREATE " << folder << ": " << st.error().to_string() << refusals;
  return st;
}
inline Status remove(Session& s, const std::string& folder) { return simple(s, "DELETE", folder); }

inline std::string message(const std::string& subject, const std::string& body, const std::string& id) {
  return "From: Bob <bob@lab.test>\r\nTo: alice@lab.test\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + id + ">\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

// APPENDs every message: MULTIAPPEND batches of 500 when advertised, else one APPEND each; several in flight.
inline Status append_all(Session& s, const std::string& folder, const std::vector<std::string>& messages) {
  const std::size_t per_command = s.capabilities().has("MULTIAPPEND") ? 500 : 1;
  std::vector<PendingCommand> pending;
  for (std::size_t i = 0; i < messages.size(); i += per_command) {
    wire::CommandBuilder b("APPEND", s.capabilities().has("LITERAL+"));
    b.mailbox(folder);
    for (std::size_t k = i; k < std::min(messages.size(), i + per_command); ++k) b.literal(messages[k]);
    auto c = b.build();
    if (!c) return fail(c.error());
    auto p = s.send(*c, {}, soon());
    if (!p) return fail(p.error());
    pending.push_back(*p);
    if (pending.size() >= 4) {
      auto r = s.complete(pending.front(), soon(300));
      if (!r) return fail(r.error());
      pending.erase(pending.begin());
    }
  }
  for (const PendingCommand& p : pending) {
    auto r = s.complete(p, soon(300));
    if (!r) return fail(r.error());
  }
  return ok();
}

}  // namespace emailv2::imap::lab
