// A scripted hostile IMAP server on 127.0.0.1:0 drives the session through the decoder's hostile cases: each ends
// in a clean error (or a correct result) within the deadline — never a crash or a hang.
#include <gtest/gtest.h>

#include <chrono>

#include "imap/commands/fetch.h"
#include "imap/session.h"
#include "support/scripted_server.h"

namespace emailv2::imap {
namespace {

using emailv2::testing::Script;
using emailv2::testing::ScriptedServer;
using Clock = std::chrono::steady_clock;

SessionOptions plaintext_options(const net::Endpoint& endpoint) {
  SessionOptions o;
  o.endpoint = endpoint;
  o.tls_mode = TlsMode::kStartTlsOff;
  o.username = "alice@lab.test";
  o.password = Secret("hostile-pw");
  o.connect_timeout = std::chrono::seconds(2);
  o.operation_timeout = std::chrono::seconds(1);
  return o;
}

// Greets, accepts the login, answers NOOP with `reply`, then closes (or stalls).
Script after_noop(const std::string& reply, bool stall = false) {
  Script s;
  s.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hostile ready\r\n")
      .expect_line_matching("^A001 AUTHENTICATE PLAIN ")
      .send("A001 OK [CAPABILITY IMAP4rev1] in\r\n")
      .expect_line_matching("^A002 NOOP$")
      .send(reply);
  if (stall) {
    s.stall();
  } else {
    s.close();
  }
  return s;
}

struct Row {
  const char* name;
  std::string reply;
  bool stall;
  ErrorCode expected;
};

TEST(ImapHostileServer, EveryCaseEndsInACleanErrorWithinTheDeadline) {
  const std::vector<Row> rows = {
      {"literal claims more bytes than follow", "* 1 FETCH (BODY[] {100}\r\nshort", false, ErrorCode::kProtocolError},
      {"literal of 2^32 bytes", "* 1 FETCH (BODY[] {4294967296}\r\n", true, ErrorCode::kProtocolError},
      {"10,000-deep parentheses",
       "* 1 FETCH (BODYSTRUCTURE " + std::string(10'000, '(') + std::string(10'000, ')') + ")\r\n", true,
       ErrorCode::kProtocolError},
      {"unterminated quoted string", "* LIST () \"/\" \"INBOX\r\n", true, ErrorCode::kProtocolError},
      {"NUL byte", std::string("* OK a\0b\r\n", 10), true, ErrorCode::kProtocolError},
      {"BYE in the middle of a literal", "* 1 FETCH (BODY[] {64}\r\nhalf\r\n* BYE going away\r\n", false,
       ErrorCode::kProtocolError},
      {"BYE instead of the tagged reply", "* BYE going away\r\n", false, ErrorCode::kImapBye},
      {"connection dropped mid-command", "* 3 EXISTS\r\n", false, ErrorCode::kImapBye},
      {"server stalls", "", true, ErrorCode::kTimeout},
      {"garbage line", "\x01\x02 nonsense\r\n", true, ErrorCode::kProtocolError},
      {"a line over 1 MiB", "* OK " + std::string(limits::kImapLineBytes, 'x') + "\r\n", true,
       ErrorCode::kProtocolError},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    ScriptedServer server(after_noop(row.reply, row.stall));
    const auto start = Clock::now();
    auto s = Session::connect(plaintext_options(server.endpoint()), Deadline::after(std::chrono::seconds(10)));
    ASSERT_TRUE(s) << s.error().to_string();
    auto st = (*s)->noop(Deadline::after(std::chrono::seconds(10)));
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code(), row.expected) << st.error().to_string();
    EXPECT_FALSE((*s)->usable());
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
    s->reset();
    EXPECT_TRUE(server.wait_finished());
  }
}

TEST(ImapHostileServer, TaggedOkInsideALiteralAndExpungeMidFetch) {
  Script script;
  script.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n")
      .expect_line_matching("^A001 AUTHENTICATE PLAIN ")
      .send("A001 OK [CAPABILITY IMAP4rev1] in\r\n")
      .expect_line_matching("^A002 UID FETCH 5:6 \\(UID BODY.PEEK\\[\\]\\)$")
      .send("* 1 FETCH (UID 5 BODY[] {20}\r\nA002 OK fake\r\nbody\r\n)\r\n* 1 EXPUNGE\r\n"
            "* 1 FETCH (UID 6 BODY[] {2}\r\nhi)\r\nA002 OK done\r\n")
      .close();
  ScriptedServer server(std::move(script));
  auto s = Session::connect(plaintext_options(server.endpoint()), Deadline::after(std::chrono::seconds(10)));
  ASSERT_TRUE(s) << s.error().to_string();
  commands::FetchRequest req;
  req.uids = {5, 6};
  req.items.body_sections = {""};
  std::vector<std::string> bodies;
  auto r = commands::uid_fetch(**s, req, [&](commands::FetchedMessage&& m) {
    bodies.push_back(m.part("")->body.memory());
    return ok();
  }, Deadline::after(std::chrono::seconds(10)));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(bodies, (std::vector<std::string>{"A002 OK fake\r\nbody\r\n", "hi"}));
  EXPECT_EQ((*s)->mailbox().expunged, 1u);
  EXPECT_TRUE((*s)->usable());
}

TEST(ImapHostileServer, StartTlsStrippedSendsNoCredentials) {
  Script script;
  script.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no tls here\r\n").stall();
  ScriptedServer server(std::move(script));
  SessionOptions o = plaintext_options(server.endpoint());
  o.tls_mode = TlsMode::kStartTlsRequired;
  auto s = Session::connect(o, Deadline::after(std::chrono::seconds(10)));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsRequired);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_EQ(server.received(), "");
}

TEST(ImapHostileServer, InjectionAfterStartTlsOkIsRefused) {
  Script script;
  script.send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
      .expect_line_matching("^A001 STARTTLS$")
      .send("A001 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN LOGIN\r\n")
      .stall();
  ScriptedServer server(std::move(script));
  SessionOptions o = plaintext_options(server.endpoint());
  o.tls_mode = TlsMode::kStartTlsRequired;
  auto s = Session::connect(o, Deadline::after(std::chrono::seconds(10)));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsRequired);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_EQ(server.received(), "A001 STARTTLS\r\n");
}

}  // namespace
}  // namespace emailv2::imap
