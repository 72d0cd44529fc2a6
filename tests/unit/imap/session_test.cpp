// Session tests over a FakeTransport: greeting, STARTTLS policy, authentication, errors and the broken-session rule.
#include "imap/session.h"

#include <gtest/gtest.h>

#include "core/log.h"
#include "core/redactor.h"
#include "core/text.h"
#include "imap/commands/authenticate.h"
#include "session_support.h"

namespace emailv2::imap {
namespace {

using emailv2::testing::FakeTransport;
using testing::open_session;
using testing::password_options;

constexpr const char* kTlsGreeting = "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n";

Deadline soon() { return Deadline::after(std::chrono::seconds(5)); }

TEST(SessionConnect, ByeGreetingIsConnectFailed) {
  FakeTransport t;
  t.set_tls(true);
  t.server_sends("* BYE Too many connections\r\n");
  auto s = open_session(t, password_options());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kConnectFailed);
  EXPECT_EQ(s.error().detail(), "Cannot connect to fake.example:143: Too many connections");
  EXPECT_EQ(t.written(), "");
}

TEST(SessionConnect, PreauthOnPlaintextWithStartTlsRequiredIsTlsRequired) {
  FakeTransport t;
  t.server_sends("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n");
  SessionOptions o = password_options();
  o.tls_mode = TlsMode::kStartTlsRequired;
  auto s = open_session(t, o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsRequired);
  EXPECT_EQ(t.written(), "");
}

TEST(SessionConnect, StartTlsNotAdvertisedSendsNoCredentials) {
  FakeTransport t;
  t.server_sends("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n");
  SessionOptions o = password_options();
  o.tls_mode = TlsMode::kStartTlsRequired;
  auto s = open_session(t, o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(),
            "TLS_REQUIRED: fake.example:143 does not offer STARTTLS; refusing to send credentials in clear text");
  EXPECT_EQ(t.written(), "");
}

TEST(SessionConnect, StartTlsRefusedSendsNoCredentials) {
  FakeTransport t;
  t.server_sends("* OK ready\r\n");
  t.server_sends("* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\nA001 OK done\r\n");
  t.server_sends("A002 NO not now\r\n");
  SessionOptions o = password_options();
  o.tls_mode = TlsMode::kStartTlsRequired;
  auto s = open_session(t, o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsRequired);
  EXPECT_EQ(t.written(), "A001 CAPABILITY\r\nA002 STARTTLS\r\n");
  EXPECT_EQ(t.start_tls_calls(), 0);
}

TEST(SessionConnect, BytesAfterStartTlsOkAreRefused) {
  FakeTransport t;
  t.server_sends("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
  t.server_sends("A001 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN LOGIN\r\n");  // injected in clear
  SessionOptions o = password_options();
  o.tls_mode = TlsMode::kStartTlsRequired;
  auto s = open_session(t, o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsRequired);
  EXPECT_EQ(t.start_tls_calls(), 0);
  EXPECT_EQ(t.written(), "A001 STARTTLS\r\n");
}

TEST(SessionConnect, StartTlsThenCapabilitiesAgainThenAuthInsideTls) {
  FakeTransport t;
  t.server_sends("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n");
  t.server_sends("A001 OK Begin TLS\r\n");
  t.server_sends("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA002 OK done\r\n");
  t.server_sends("+ \r\n");
  t.server_sends("A003 OK [CAPABILITY IMAP4rev1 MOVE UIDPLUS] Logged in\r\n");
  SessionOptions o = password_options();
  o.tls_mode = TlsMode::kStartTlsRequired;
  auto s = open_session(t, o);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(t.written_in_clear(), "A001 STARTTLS\r\n");
  EXPECT_EQ(t.start_tls_calls(), 1);
  const std::string payload = commands::sasl_plain("alice@lab.test", "s3cret-pw");
  EXPECT_EQ(t.written(), "A001 STARTTLS\r\nA002 CAPABILITY\r\nA003 AUTHENTICATE PLAIN\r\n" + payload + "\r\n");
  EXPECT_TRUE((*s)->capabilities().has("move"));
  EXPECT_FALSE((*s)->capabilities().has("STARTTLS"));
}

TEST(SessionConnect, PlainWithSaslIrAndByteByByteServer) {
  FakeTransport t;
  t.set_tls(true);
  t.one_byte_reads();
  t.server_sends(kTlsGreeting);
  t.server_sends("A001 OK Logged in\r\n* CAPABILITY IMAP4rev1 IDLE\r\nA002 OK\r\n");
  auto s = open_session(t, password_options());
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(t.written(), "A001 AUTHENTICATE PLAIN " + commands::sasl_plain("alice@lab.test", "s3cret-pw") +
                             "\r\nA002 CAPABILITY\r\n");
  EXPECT_TRUE((*s)->capabilities().has("IDLE"));
}

TEST(SessionConnect, RejectedAuthenticateIsAuthFailed) {
  FakeTransport t;
  t.set_tls(true);
  t.server_sends(kTlsGreeting);
  t.server_sends("A001 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
  auto s = open_session(t, password_options());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(), "AUTH_FAILED: IMAP server rejected AUTHENTICATE: Authentication failed.");
}

TEST(SessionConnect, LoginFallbackQuotesAndRejects) {
  FakeTransport t;
  t.set_tls(true);
  t.server_sends("* OK [CAPABILITY IMAP4rev1] ready\r\n");
  t.server_sends("A001 NO Invalid credentials\r\n");
  auto s = open_session(t, password_options("p\"w\\x"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(), "AUTH_FAILED: IMAP server rejected LOGIN: Invalid credentials");
  EXPECT_EQ(t.written(), "A001 LOGIN \"alice@lab.test\" \"p\\\"w\\\\x\"\r\n");
}

TEST(SessionConnect, LoginDisabledWithoutMechanismIsAuthFailed) {
  FakeTransport t;
  t.set_tls(true);
  t.server_sends("* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready\r\n");
  auto s = open_session(t, password_options());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(t.written(), "");
}

TEST(SessionConnect, Xoauth2FailureChallengeIsAnsweredEmpty) {
  FakeTransport t;
  t.set_tls(true);
  t.server_sends("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER] ready\r\n");
  t.server_sends("+ \r\n");
  t.server_sends("+ eyJzdGF0dXMiOiI0MDEifQ==\r\n");
  t.server_sends("A001 NO [AUTHENTICATIONFAILED] Invalid token\r\n");
  SessionOptions o = password_options();
  o.auth_method = AuthMethod::kXoauth2;
  o.oauth_token = Secret("ya29.token");
  auto s = open_session(t, o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(), "AUTH_FAILED: IMAP server rejected AUTHENTICATE: Invalid token");
  EXPECT_EQ(t.written(), "A001 AUTHENTICATE XOAUTH2\r\n" + commands::sasl_xoauth2("alice@lab.test", "ya29.token") +
                             "\r\n\r\n");
}

TEST(SessionConnect, OauthBearerWhenOnlyThatIsAdvertised) {
  FakeTransport t;
  t.set_tls(true);
  t.server_sends("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=OAUTHBEARER] ready\r\n");
  t.server_sends("A001 OK [CAPABILITY IMAP4rev1] ok\r\n");
  SessionOptions o = password_options();
  o.auth_method = AuthMethod::kXoauth2;
  o.oauth_token = Secret("tok");
  auto s = open_session(t, o);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(t.written(), "A001 AUTHENTICATE OAUTHBEARER " + commands::sasl_oauthbearer("alice@lab.test", "tok") + "\r\n");
  std::string decoded;
  ASSERT_TRUE(text::base64_decode(commands::sasl_oauthbearer("a,b=c", "tok"), decoded));
  EXPECT_EQ(decoded, "n,a=a=2Cb=3Dc,\x01" "auth=Bearer tok\x01\x01");
}

TEST(SessionConnect, TraceLogNeverShowsCredentials) {
  std::vector<std::string> lines;
  log::configure(log::Level::kTrace, log::Format::kText);
  log::set_line_sink_for_testing([&](std::string_view line) { lines.emplace_back(line); });
  {
    FakeTransport t;
    t.set_tls(true);
    t.server_sends("* OK [CAPABILITY IMAP4rev1] ready\r\n");
    t.server_sends("A001 OK [CAPABILITY IMAP4rev1] in\r\n");
    auto s = open_session(t, password_options("Tr1cky\"Pass"));
    ASSERT_TRUE(s) << s.error().to_string();
    FakeTransport t2;
    t2.set_tls(true);
    t2.server_sends(kTlsGreeting);
    t2.server_sends("A001 OK [CAPABILITY IMAP4rev1] in\r\n");
    ASSERT_TRUE(open_session(t2, password_options("An0ther-secret")));
  }
  log::set_line_sink_for_testing(nullptr);
  log::configure(log::Level::kInfo, log::Format::kText);
  bool saw_redacted = false;
  for (const std::string& line : lines) {
    EXPECT_EQ(line.find("Tr1cky"), std::string::npos) << line;
    EXPECT_EQ(line.find("An0ther-secret"), std::string::npos) << line;
    EXPECT_EQ(line.find(commands::sasl_plain("alice@lab.test", "An0ther-secret")), std::string::npos) << line;
    saw_redacted = saw_redacted || line.find("<redacted>") != std::string::npos;
  }
  EXPECT_TRUE(saw_redacted);
}

std::unique_ptr<Session> ready_session(FakeTransport& t, SessionOptions o = password_options()) {
  t.set_tls(true);
  t.server_sends(kTlsGreeting);
  t.server_sends("A001 OK [CAPABILITY IMAP4rev1 LITERAL-] in\r\n");
  auto s = open_session(t, o);
  EXPECT_TRUE(s);
  return s ? std::move(*s) : nullptr;
}

TEST(SessionCommands, NoopNoIsImapNoAndTheSessionStaysUsable) {
  FakeTransport t;
  auto s = ready_session(t);
  ASSERT_TRUE(s);
  t.server_sends("A002 NO [ALERT] go \x01" "away\r\n");
  auto st = s->noop(soon());
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().to_string(), "IMAP_NO: IMAP server replied NO to NOOP: go away");
  EXPECT_TRUE(s->usable());
  t.server_sends("A003 BAD what\r\n");
  EXPECT_EQ(s->noop(soon()).error().code(), ErrorCode::kImapBad);
  t.server_sends("* 4 EXISTS\r\nA004 OK\r\n");
  EXPECT_TRUE(s->noop(soon()));
  EXPECT_EQ(s->mailbox().exists, 4u);
}

TEST(SessionCommands, ByeMidCommandBreaksTheSession) {
  FakeTransport t;
  auto s = ready_session(t);
  ASSERT_TRUE(s);
  t.server_sends("* BYE Server shutting down\r\n");
  auto st = s->noop(soon());
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), ErrorCode::kImapBye);
  EXPECT_FALSE(s->usable());
  EXPECT_FALSE(t.is_open());
  EXPECT_EQ(s->noop(soon()).error().code(), ErrorCode::kImapBye);
}

TEST(SessionCommands, EofAndTimeoutBreakTheSession) {
  FakeTransport t;
  auto s = ready_session(t);
  ASSERT_TRUE(s);
  t.server_sends("* 1 EXISTS\r\n");
  EXPECT_EQ(s->noop(soon()).error().code(), ErrorCode::kImapBye);
  FakeTransport t2;
  auto s2 = ready_session(t2);
  ASSERT_TRUE(s2);
  t2.timeout_when_empty();
  auto st = s2->noop(soon());
  EXPECT_EQ(st.error().code(), ErrorCode::kTimeout);
  EXPECT_NE(st.error().detail().find("response to NOOP"), std::string::npos);
  EXPECT_FALSE(s2->usable());
}

TEST(SessionCommands, LiteralCutShortIsProtocolError) {
  FakeTransport t;
  auto s = ready_session(t);
  ASSERT_TRUE(s);
  t.server_sends("* 1 FETCH (BODY[] {50}\r\nhello\r\n* BYE shutting down\r\n");
  EXPECT_EQ(s->noop(soon()).error().code(), ErrorCode::kProtocolError);
}

TEST(SessionCommands, SynchronisingLiteralWaitsForContinuation) {
  FakeTransport t;
  auto s = ready_session(t);
  ASSERT_TRUE(s);
  wire::CommandBuilder b("SELECT");
  b.mailbox("caf\xC3\xA9 \xE2\x98\x95").string("\xC3\xA9");
  auto cmd = b.build();
  ASSERT_TRUE(cmd);
  ASSERT_EQ(cmd->segments.size(), 2u);  // the mailbox is mUTF-7 (quoted), the second value a literal
  t.server_sends("A002 NO [CANNOT] no literal for you\r\n");
  const std::size_t before = t.written().size();
  auto r = s->run(*cmd, {}, soon());
  EXPECT_EQ(r.error().code(), ErrorCode::kImapNo);
  EXPECT_EQ(t.written().substr(before), "A002 " + cmd->segments[0]);  // the literal bytes were never sent
  t.server_sends("+ go ahead\r\n");
  t.server_sends("A003 OK done\r\n");
  EXPECT_TRUE(s->run(*cmd, {}, soon()));
}

TEST(SessionCommands, ResponsesPerCommandCrossedByOne) {
  SessionOptions o = password_options();
  o.responses_per_command = 3;
  FakeTransport t;
  auto s = ready_session(t, o);
  ASSERT_TRUE(s);
  t.server_sends("* 1 RECENT\r\n* 1 RECENT\r\n* 1 RECENT\r\nA002 OK\r\n");
  EXPECT_TRUE(s->noop(soon()));
  t.server_sends("* 1 RECENT\r\n* 1 RECENT\r\n* 1 RECENT\r\n* 1 RECENT\r\nA003 OK\r\n");
  auto st = s->noop(soon());
  EXPECT_EQ(st.error().code(), ErrorCode::kProtocolError);
  EXPECT_NE(st.error().detail().find("more than 3 responses to NOOP"), std::string::npos);
}

TEST(SessionCommands, UnknownTagIsProtocolError) {
  FakeTransport t;
  auto s = ready_session(t);
  ASSERT_TRUE(s);
  t.server_sends("A999 OK surprise\r\n");
  EXPECT_EQ(s->noop(soon()).error().code(), ErrorCode::kProtocolError);
}

TEST(SessionCommands, PipelinedCommandsCompleteOutOfOrderWithinTheWindow) {
  SessionOptions o = password_options();
  o.pipeline_window = 2;
  FakeTransport t;
  auto s = ready_session(t, o);
  ASSERT_TRUE(s);
  auto noop = wire::CommandBuilder("NOOP").build();
  t.server_sends("A003 OK second\r\nA002 OK first\r\nA004 OK third\r\n");
  auto a = s->send(*noop, {}, soon());
  auto b = s->send(*noop, {}, soon());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(s->in_flight(), 2u);
  const std::size_t before = t.written().size();
  auto c = s->send(*noop, {}, soon());  // the window is full: reads until one completes
  ASSERT_TRUE(c);
  EXPECT_EQ(t.written().substr(before), "A004 NOOP\r\n");
  EXPECT_EQ(s->complete(*a, soon())->text, "first");
  EXPECT_EQ(s->complete(*b, soon())->text, "second");
  EXPECT_EQ(s->complete(*c, soon())->text, "third");
  EXPECT_EQ(s->in_flight(), 0u);
}

TEST(SessionCommands, LogoutAcceptsByeThenCloses) {
  FakeTransport t;
  auto s = ready_session(t);
  ASSERT_TRUE(s);
  t.server_sends("* BYE Logging out\r\nA002 OK Logout completed.\r\n");
  EXPECT_TRUE(s->logout(soon()));
  EXPECT_FALSE(t.is_open());
  EXPECT_FALSE(s->usable());
  FakeTransport t2;
  auto s2 = ready_session(t2);
  ASSERT_TRUE(s2);
  t2.server_sends("* BYE Logging out\r\n");  // then EOF before the tagged OK
  EXPECT_TRUE(s2->logout(soon()));
}

}  // namespace
}  // namespace emailv2::imap
