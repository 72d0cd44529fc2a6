// The connection phase of smtp::Session on an in-memory transport: greeting, EHLO/HELO, STARTTLS, AUTH.
#include <gtest/gtest.h>

#include "core/log.h"
#include "core/text.h"
#include "session_fixture.h"
#include "smtp/sasl.h"

namespace emailv2::smtp {
namespace {

using test::ehlo;
using test::kGreeting;
using test::options;
using test::play;
using test::start;
using testing::FakeTransport;

const std::string kTlsRequired =
    "TLS_REQUIRED: fake.example:143 does not offer STARTTLS; refusing to send credentials in clear text";

// --- Hostile servers first -------------------------------------------------------------------------------------

TEST(SessionConnect, StartTlsNotOfferedRefusesWithZeroCredentialBytes) {
  for (bool one_byte : {false, true}) {
    FakeTransport fake;
    play(fake, {kGreeting, ehlo({"AUTH PLAIN LOGIN", "SIZE 1000"})}, one_byte);
    auto s = start(fake, options(TlsMode::kStartTlsRequired));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().to_string(), kTlsRequired);
    EXPECT_EQ(fake.written(), "EHLO lab.test\r\n");
    EXPECT_EQ(fake.written_in_clear().find("AUTH"), std::string::npos);
    EXPECT_EQ(fake.start_tls_calls(), 0);
    EXPECT_FALSE(fake.is_open());
  }
}

TEST(SessionConnect, StartTlsRefusedIsTlsRequired) {
  FakeTransport fake;
  play(fake, {kGreeting, ehlo({"STARTTLS", "AUTH PLAIN"}), "454 4.7.0 TLS not available due to local problem\r\n"});
  auto s = start(fake, options(TlsMode::kStartTlsRequired));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(), kTlsRequired + " (454 4.7.0 TLS not available due to local problem)");
  EXPECT_EQ(fake.written(), "EHLO lab.test\r\nSTARTTLS\r\n");
  EXPECT_EQ(fake.start_tls_calls(), 0);
}

TEST(SessionConnect, BytesPipelinedAfterStartTlsReplyAreRefused) {
  FakeTransport fake;
  // The injected reply arrives in the same read as the 220: it would be taken as the answer to our next command.
  play(fake, {kGreeting, ehlo({"STARTTLS"}), "220 2.0.0 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n"});
  auto s = start(fake, options(TlsMode::kStartTlsRequired));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsRequired);
  EXPECT_NE(s.error().detail().find("possible injection"), std::string::npos);
  EXPECT_EQ(fake.start_tls_calls(), 0);
  EXPECT_EQ(fake.written(), "EHLO lab.test\r\nSTARTTLS\r\n");
}

TEST(SessionConnect, HeloFallbackHasNoStartTls) {
  FakeTransport fake;
  play(fake, {kGreeting, "502 5.5.1 EHLO not implemented\r\n", "250 mail.lab.test\r\n"});
  auto s = start(fake, options(TlsMode::kStartTlsRequired));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(), kTlsRequired);
  EXPECT_EQ(fake.written(), "EHLO lab.test\r\nHELO lab.test\r\n");
}

TEST(SessionConnect, GreetingOtherThan220IsConnectFailed) {
  FakeTransport fake;
  play(fake, {"554-mail.lab.test no SMTP service here\r\n554 go away\x07\r\n"});
  auto s = start(fake, options(TlsMode::kOff));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(),
            "CONNECT_FAILED: Cannot connect to fake.example:143: server greeting was 554 mail.lab.test no SMTP "
            "service here go away");
  EXPECT_EQ(fake.written(), "");
}

TEST(SessionConnect, MalformedAndOversizedRepliesAreProtocolErrors) {
  // A 250 EHLO reply of `total` lines: the domain, X-PAD1..X-PAD<total-2>, END.
  const auto ehlo_lines = [](int total) {
    std::string out = "250-mail.lab.test\r\n";
    for (int i = 1; i <= total - 2; ++i) out += "250-X-PAD" + std::to_string(i) + "\r\n";
    return out + "250 END\r\n";
  };
  const std::string at_limit = ehlo_lines(513);  // over by one
  for (const std::string& bad : {std::string("HTTP/1.1 400 Bad Request\r\n"), std::string("220 ok\r\n"),
                                 std::string("250-a\r\n251 b\r\n"), at_limit}) {
    FakeTransport fake;
    play(fake, {kGreeting, bad});
    auto s = start(fake, options(TlsMode::kOff, false));
    ASSERT_FALSE(s);
    const bool is_220 = bad == "220 ok\r\n";
    EXPECT_EQ(s.error().code(), is_220 ? ErrorCode::kConnectFailed : ErrorCode::kProtocolError) << bad.substr(0, 40);
    EXPECT_FALSE(fake.is_open());
  }
  FakeTransport fake;
  play(fake, {kGreeting, ehlo_lines(512)});  // at the limit: accepted
  auto s = start(fake, options(TlsMode::kOff, false));
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_TRUE(s->extensions().has("X-PAD510"));
  EXPECT_TRUE(s->extensions().has("END"));
}

TEST(SessionConnect, ConnectionClosedOrTimedOut) {
  FakeTransport closed;
  play(closed, {kGreeting});
  auto s = start(closed, options(TlsMode::kOff));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(),
            "PROTOCOL_ERROR: connection closed by fake.example:143 while waiting for response to EHLO");

  FakeTransport stalled;
  play(stalled, {kGreeting});
  stalled.timeout_when_empty();
  auto t = start(stalled, options(TlsMode::kOff));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().to_string(), "TIMEOUT: Timed out after 60 s waiting for response to EHLO from fake.example:143");
}

TEST(SessionConnect, ImplicitTlsOnAPlainTransportIsRefused) {
  FakeTransport fake;
  play(fake, {kGreeting});
  auto s = start(fake, options(TlsMode::kImplicit));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsRequired);
  EXPECT_EQ(fake.written(), "");
}

TEST(SessionConnect, UnsafeEhloDomainIsRefusedBeforeAnything) {
  for (const std::string& d : std::vector<std::string>{"", "lab.test\r\nRSET", "lab test",
                                                       "l\xC3\xA4"
                                                       "b.test",
                                                       "<lab.test>"}) {
    FakeTransport fake;
    play(fake, {kGreeting});
    auto o = options(TlsMode::kOff);
    o.ehlo_domain = d;
    auto s = start(fake, o);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code(), ErrorCode::kParamInvalid);
    EXPECT_EQ(fake.written(), "");
  }
}

TEST(SessionConnect, AuthRejectedAndNoMechanism) {
  FakeTransport rejected;
  play(rejected, {kGreeting, ehlo({"AUTH PLAIN"}), "535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6\r\n"});
  auto s = start(rejected, options(TlsMode::kOff));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(),
            "AUTH_FAILED: SMTP server rejected AUTH: 535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6");

  FakeTransport none;
  play(none, {kGreeting, ehlo({"SIZE 10"})});
  auto n = start(none, options(TlsMode::kOff));
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(none.written(), "EHLO lab.test\r\n");

  FakeTransport login_rejected;
  play(login_rejected,
       {kGreeting, ehlo({"AUTH LOGIN"}), "334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n", "535 5.7.8 nope\r\n"});
  auto l = start(login_rejected, options(TlsMode::kOff));
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().to_string(), "AUTH_FAILED: SMTP server rejected AUTH: 535 5.7.8 nope");

  FakeTransport xoauth_rejected;
  auto o = options(TlsMode::kOff);
  o.auth_method = AuthMethod::kXoauth2;
  o.oauth2_token = Secret("ya29.token-value");
  play(xoauth_rejected, {kGreeting, ehlo({"AUTH PLAIN XOAUTH2"}), "334 eyJzdGF0dXMiOiI0MDEifQ==\r\n",
                         "535 5.7.8 Username and Password not accepted\r\n"});
  auto x = start(xoauth_rejected, o);
  ASSERT_FALSE(x);
  EXPECT_EQ(x.error().to_string(),
            "AUTH_FAILED: SMTP server rejected AUTH: 535 5.7.8 Username and Password not accepted");
  EXPECT_EQ(xoauth_rejected.written(),
            "EHLO lab.test\r\nAUTH XOAUTH2 " + xoauth2_payload("alice@lab.test", "ya29.token-value") + "\r\n\r\n");
}

// --- The good paths --------------------------------------------------------------------------------------------

TEST(SessionConnect, StartTlsThenEhloAgainThenAuthPlain) {
  for (bool one_byte : {false, true}) {
    FakeTransport fake;
    play(fake,
         {kGreeting, ehlo({"STARTTLS", "SIZE 1000"}), "220 2.0.0 Ready to start TLS\r\n",
          ehlo({"AUTH PLAIN LOGIN", "SIZE 2000", "PIPELINING"}), "235 2.7.0 Authentication successful\r\n"},
         one_byte);
    auto s = start(fake, options(TlsMode::kStartTlsRequired));
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_EQ(fake.start_tls_calls(), 1);
    EXPECT_TRUE(s->is_tls());
    EXPECT_EQ(fake.written_in_clear(), "EHLO lab.test\r\nSTARTTLS\r\n");
    EXPECT_EQ(fake.written(), "EHLO lab.test\r\nSTARTTLS\r\nEHLO lab.test\r\nAUTH PLAIN " +
                                  plain_payload("alice@lab.test", test::kPassword) + "\r\n");
    EXPECT_EQ(s->extensions().size(), 2000u);  // replaced by the EHLO after TLS
    EXPECT_FALSE(s->extensions().starttls());
    EXPECT_EQ(s->auth_mechanism(), "PLAIN");
  }
}

TEST(SessionConnect, StartTlsHandshakeFailurePassesThrough) {
  FakeTransport fake;
  play(fake, {kGreeting, ehlo({"STARTTLS"}), "220 go\r\n"});
  fake.fail_start_tls();
  auto s = start(fake, options(TlsMode::kStartTlsRequired));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsFailed);
  EXPECT_EQ(fake.written_in_clear().find("AUTH"), std::string::npos);
}

TEST(SessionConnect, ImplicitTlsAuthLogin) {
  FakeTransport fake;
  fake.set_tls(true);
  play(fake, {kGreeting, ehlo({"AUTH=LOGIN"}), "334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n", "235 ok\r\n"});
  auto s = start(fake, options(TlsMode::kImplicit));
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(fake.written(), "EHLO lab.test\r\nAUTH LOGIN\r\n" + text::base64_encode("alice@lab.test") + "\r\n" +
                                text::base64_encode(test::kPassword) + "\r\n");
  EXPECT_EQ(s->auth_mechanism(), "LOGIN");
}

TEST(SessionConnect, Xoauth2WhenConfigured) {
  FakeTransport fake;
  fake.set_tls(true);
  play(fake, {kGreeting, ehlo({"AUTH PLAIN LOGIN XOAUTH2"}), "235 2.7.0 Accepted\r\n"});
  auto o = options(TlsMode::kImplicit);
  o.auth_method = AuthMethod::kXoauth2;
  o.oauth2_token = Secret("ya29.another-token");
  auto s = start(fake, o);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(fake.written(),
            "EHLO lab.test\r\nAUTH XOAUTH2 " + xoauth2_payload("alice@lab.test", "ya29.another-token") + "\r\n");
}

TEST(SessionConnect, PlainServerIgnoringInitialResponse) {
  FakeTransport fake;
  fake.set_tls(true);
  play(fake, {kGreeting, ehlo({"AUTH PLAIN"}), "334 \r\n", "235 ok\r\n"});
  auto s = start(fake, options(TlsMode::kImplicit));
  ASSERT_TRUE(s) << s.error().to_string();
  const std::string payload = plain_payload("alice@lab.test", test::kPassword);
  EXPECT_EQ(fake.written(), "EHLO lab.test\r\nAUTH PLAIN " + payload + "\r\n" + payload + "\r\n");
}

TEST(SessionConnect, StartTlsOffWithoutAuthNoopAndQuit) {
  FakeTransport fake;
  play(fake, {kGreeting, ehlo({"STARTTLS", "PIPELINING"}), "250 2.0.0 Ok\r\n", "221 2.0.0 Bye\r\n"});
  auto s = start(fake, options(TlsMode::kOff, false));
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_FALSE(s->is_tls());
  EXPECT_TRUE(s->noop(test::soon()));
  s->quit(test::soon());
  EXPECT_FALSE(s->is_open());
  s->quit(test::soon());  // twice is harmless
  EXPECT_EQ(fake.written(), "EHLO lab.test\r\nNOOP\r\nQUIT\r\n");
  EXPECT_EQ(s->noop(test::soon()).error().to_string(), "PROTOCOL_ERROR: SMTP session is closed");
}

TEST(SessionConnect, DestructorSendsQuit) {
  FakeTransport fake;
  play(fake, {kGreeting, ehlo({}), "221 bye\r\n"});
  {
    auto s = start(fake, options(TlsMode::kOff, false));
    ASSERT_TRUE(s);
    Session moved = std::move(*s);
    EXPECT_TRUE(moved.is_open());
  }
  EXPECT_EQ(fake.written(), "EHLO lab.test\r\nQUIT\r\n");
}

TEST(SessionConnect, TraceRedactsAuthPayloads) {
  std::vector<std::string> lines;
  log::configure(log::Level::kTrace, log::Format::kText);
  log::set_line_sink_for_testing([&](std::string_view l) { lines.emplace_back(l); });
  for (AuthMethod method : {AuthMethod::kPassword, AuthMethod::kXoauth2}) {
    FakeTransport fake;
    fake.set_tls(true);
    play(fake, {kGreeting, ehlo({"AUTH PLAIN LOGIN XOAUTH2"}), "235 ok\r\n", "221 bye\r\n"});
    auto o = options(TlsMode::kImplicit);
    o.auth_method = method;
    o.oauth2_token = Secret("ya29.trace-token");
    auto s = start(fake, o);
    ASSERT_TRUE(s) << s.error().to_string();
  }
  FakeTransport login;
  login.set_tls(true);
  play(login, {kGreeting, ehlo({"AUTH LOGIN"}), "334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n", "235 ok\r\n"});
  ASSERT_TRUE(start(login, options(TlsMode::kImplicit)));
  log::set_line_sink_for_testing(nullptr);
  log::configure(log::Level::kInfo, log::Format::kText);

  const std::string all = [&] {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
  }();
  EXPECT_NE(all.find("C: AUTH PLAIN <redacted>"), std::string::npos) << all;
  EXPECT_NE(all.find("C: AUTH XOAUTH2 <redacted>"), std::string::npos) << all;
  EXPECT_NE(all.find("S: 235 ok"), std::string::npos) << all;
  for (const std::string& secret : {std::string(test::kPassword), plain_payload("alice@lab.test", test::kPassword),
                                    text::base64_encode(test::kPassword), std::string("ya29.trace-token"),
                                    xoauth2_payload("alice@lab.test", "ya29.trace-token")}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace emailv2::smtp
