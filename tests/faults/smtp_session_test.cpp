// smtp::Session against scripted hostile SMTP servers on 127.0.0.1 through the real net::Transport: STARTTLS
// missing or stripped, rejections at RCPT and at the final dot, oversized replies, stalls and drops.
#include <gtest/gtest.h>

#include <memory>
#include <regex>

#include "smtp/session.h"
#include "support/scripted_server.h"
#include "support/test_certs.h"

namespace emailv2::smtp {
namespace {

using namespace std::chrono_literals;
using testing::LineReply;
using testing::Script;
using testing::ScriptedServer;
using testing::TestCerts;

constexpr const char* kPassword = "fault-Pa55word-x";
const std::string kGreeting = "220 fault.test ESMTP\r\n";

std::string ehlo(const std::vector<std::string>& extensions) {
  std::string out = "250-fault.test\r\n";
  for (std::size_t i = 0; i < extensions.size(); ++i) {
    out += (i + 1 == extensions.size() ? "250 " : "250-") + extensions[i] + "\r\n";
  }
  return extensions.empty() ? "250 fault.test\r\n" : out;
}

SessionOptions options(const ScriptedServer& server, TlsMode mode, const TestCerts* certs = nullptr) {
  SessionOptions o;
  o.endpoint = server.endpoint();
  o.tls_mode = mode;
  if (certs != nullptr) o.tls.ca_file = certs->ca_file().string();
  o.connect_timeout = 5s;
  o.operation_timeout = 5s;
  o.ehlo_domain = "lab.test";
  o.username = "alice@lab.test";
  o.password = Secret(kPassword);
  return o;
}

Envelope envelope(std::vector<std::string> to) {
  return Envelope{"alice@lab.test", std::move(to), false};
}

// A dialogue server for the transaction: replies by command; `final_dot` answers the end of DATA.
std::function<LineReply(const std::string&)> transaction_server(std::string rcpt_reply, std::string final_dot) {
  auto in_data = std::make_shared<bool>(false);
  return [=](const std::string& line) -> LineReply {
    if (*in_data) {
      if (line == ".") {
        *in_data = false;
        return {final_dot};
      }
      return {""};
    }
    if (line.rfind("EHLO", 0) == 0) return {ehlo({"PIPELINING", "SIZE 100000", "AUTH PLAIN"})};
    if (line.rfind("AUTH PLAIN", 0) == 0) return {"235 2.7.0 ok\r\n"};
    if (line.rfind("MAIL FROM", 0) == 0) return {"250 2.1.0 ok\r\n"};
    if (line.find("nobody") != std::string::npos) return {rcpt_reply};
    if (line.rfind("RCPT TO", 0) == 0) return {"250 2.1.5 ok\r\n"};
    if (line == "DATA") {
      *in_data = true;
      return {"354 go ahead\r\n"};
    }
    if (line == "RSET") return {"250 2.0.0 reset\r\n"};
    if (line == "QUIT") return {"221 2.0.0 bye\r\n", LineReply::Then::kClose};
    return {"502 5.5.2 unknown\r\n"};
  };
}

TEST(SmtpFaults, NoStartTlsOfferedSendsZeroCredentialBytes) {
  ScriptedServer server(Script{}
                            .send(kGreeting)
                            .expect_line_matching("^EHLO lab.test$")
                            .send(ehlo({"AUTH PLAIN LOGIN", "SIZE 1000"}))
                            .stall());
  auto s = Session::connect(options(server, TlsMode::kStartTlsRequired), Deadline::after(10s));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(), "TLS_REQUIRED: " + server.endpoint().to_string() +
                                       " does not offer STARTTLS; refusing to send credentials in clear text");
  ASSERT_TRUE(server.wait_finished());
  EXPECT_EQ(server.received(), "EHLO lab.test\r\n");
  EXPECT_EQ(server.received().find(kPassword), std::string::npos);
  EXPECT_EQ(server.failures(), std::vector<std::string>{});
}

TEST(SmtpFaults, StartTlsStrippedWithPipelinedInjection) {
  // A man in the middle answers STARTTLS and appends a forged EHLO reply in the same packet.
  ScriptedServer server(Script{}
                            .send(kGreeting)
                            .expect_line()
                            .send(ehlo({"STARTTLS"}))
                            .expect_line_matching("^STARTTLS$")
                            .send("220 2.0.0 go\r\n250-fault.test\r\n250 AUTH PLAIN\r\n")
                            .stall());
  auto s = Session::connect(options(server, TlsMode::kStartTlsRequired), Deadline::after(10s));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsRequired);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_EQ(server.received(), "EHLO lab.test\r\nSTARTTLS\r\n");
}

TEST(SmtpFaults, StartTlsThenAuthOnlyInsideTls) {
  TestCerts certs;
  ScriptedServer server(Script{}
                            .send(kGreeting)
                            .expect_line_matching("^EHLO lab.test$")
                            .send(ehlo({"STARTTLS", "SIZE 10"}))
                            .expect_line_matching("^STARTTLS$")
                            .send("220 2.0.0 Ready to start TLS\r\n")
                            .start_tls(certs.server())
                            .expect_line_matching("^EHLO lab.test$")
                            .send(ehlo({"AUTH PLAIN LOGIN"}))
                            .expect_line_matching("^AUTH PLAIN [A-Za-z0-9+/=]+$")
                            .send("235 2.7.0 Authentication successful\r\n")
                            .expect_line_matching("^NOOP$")
                            .send("250 2.0.0 Ok\r\n")
                            .expect_line_matching("^QUIT$")
                            .send("221 2.0.0 Bye\r\n")
                            .close());
  auto s = Session::connect(options(server, TlsMode::kStartTlsRequired, &certs), Deadline::after(10s));
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_TRUE(s->is_tls());
  EXPECT_FALSE(s->extensions().size().has_value());  // the pre-TLS EHLO was forgotten
  ASSERT_TRUE(s->noop(Deadline::after(10s)));
  s->quit(Deadline::after(10s));
  ASSERT_TRUE(server.wait_finished());
  EXPECT_EQ(server.failures(), std::vector<std::string>{});
  EXPECT_EQ(server.received_before_tls(), "EHLO lab.test\r\nSTARTTLS\r\n");
  EXPECT_NE(server.received_after_tls().find("AUTH PLAIN "), std::string::npos);
}

TEST(SmtpFaults, RcptRejectedRsetAndQuitSeenByTheServer) {
  TestCerts certs;
  ScriptedServer server(Script{}
                            .start_tls(certs.server())
                            .send(kGreeting)
                            .on_line_reply(transaction_server(
                                "550 5.1.1 <nobody@lab.test>: Recipient address rejected: User unknown\r\n", "")));
  auto s = Session::connect(options(server, TlsMode::kImplicit, &certs), Deadline::after(10s));
  ASSERT_TRUE(s) << s.error().to_string();
  auto r = s->send(envelope({"bob@lab.test", "nobody@lab.test"}), "Subject: x\r\n\r\nbody\r\n", Deadline::after(10s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(),
            "SMTP_REJECTED: RCPT TO nobody@lab.test rejected: 550 5.1.1 <nobody@lab.test>: Recipient address "
            "rejected: User unknown");
  ASSERT_TRUE(server.wait_finished());
  const auto lines = server.lines();
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(lines.end() - 4, lines.end()),
            (std::vector<std::string>{"RCPT TO:<bob@lab.test>", "RCPT TO:<nobody@lab.test>", "RSET", "QUIT"}));
  EXPECT_EQ(server.received().find("DATA"), std::string::npos);
}

TEST(SmtpFaults, FinalDotRejected) {
  TestCerts certs;
  ScriptedServer server(Script{}
                            .start_tls(certs.server())
                            .send(kGreeting)
                            .on_line_reply(transaction_server("", "554 5.7.1 Message rejected as spam\r\n")));
  auto s = Session::connect(options(server, TlsMode::kImplicit, &certs), Deadline::after(10s));
  ASSERT_TRUE(s) << s.error().to_string();
  auto r = s->send(envelope({"bob@lab.test"}), "Subject: x\r\n\r\n.\r\nbody\r\n", Deadline::after(10s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(), "SMTP_REJECTED: DATA rejected: 554 5.7.1 Message rejected as spam");
  ASSERT_TRUE(server.wait_finished());
  const auto lines = server.lines();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(lines.end() - 3, lines.end()), (std::vector<std::string>{".", "RSET", "QUIT"}));
  EXPECT_NE(server.received().find("\r\n..\r\nbody\r\n.\r\n"), std::string::npos);  // dot-stuffed on the wire
}

TEST(SmtpFaults, ReplyOf513LinesIsProtocolError) {
  std::string huge = "250-fault.test\r\n";
  for (int i = 0; i < 511; ++i) huge += "250-X" + std::to_string(i) + "\r\n";
  huge += "250 END\r\n";  // 513 lines
  ScriptedServer server(Script{}.send(kGreeting).expect_line().send(huge).stall());
  auto s = Session::connect(options(server, TlsMode::kOff), Deadline::after(10s));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kProtocolError);
  EXPECT_NE(s.error().detail().find("512 lines"), std::string::npos) << s.error().detail();
}

TEST(SmtpFaults, StalledServerTimesOutNamingTheStep) {
  ScriptedServer server(Script{}.send(kGreeting).stall());
  auto o = options(server, TlsMode::kOff);
  o.operation_timeout = 1s;
  const auto started = std::chrono::steady_clock::now();
  auto s = Session::connect(o, Deadline::after(20s));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(),
            "TIMEOUT: Timed out after 1 s waiting for response to EHLO from " + server.endpoint().to_string());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(SmtpFaults, GreetingRefusedAndConnectionDropped) {
  ScriptedServer refused(Script{}.send("554 5.3.2 fault.test closing: too busy\r\n").close());
  auto s = Session::connect(options(refused, TlsMode::kOff), Deadline::after(10s));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(), "CONNECT_FAILED: Cannot connect to " + refused.endpoint().to_string() +
                                       ": server greeting was 554 5.3.2 fault.test closing: too busy");

  ScriptedServer dropped(Script{}.send(kGreeting).expect_line().send("250-fault.test\r\n250-PIPE").drop());
  auto d = Session::connect(options(dropped, TlsMode::kOff), Deadline::after(10s));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code(), ErrorCode::kProtocolError);
}

}  // namespace
}  // namespace emailv2::smtp
