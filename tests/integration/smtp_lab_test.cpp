// smtp::Session against the lab's Postfix (scripts/mail-lab): submission with STARTTLS + AUTH, SMTPS, wrong
// password, and real deliveries read back over IMAPS (python3 imaplib) and compared byte for byte.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <random>

#include "core/text.h"
#include "smtp/session.h"
#include "support/test_env.h"

namespace emailv2::smtp {
namespace {

using namespace std::chrono_literals;
using testing::lab;
using testing::lab_port;

SessionOptions submission(TlsMode mode = TlsMode::kStartTlsRequired, const char* port_key = "LAB_SUBMISSION_PORT") {
  SessionOptions o;
  o.endpoint = {lab("LAB_HOST"), static_cast<std::uint16_t>(lab_port(port_key))};
  o.tls_mode = mode;
  o.tls.ca_file = lab("LAB_CA");
  o.connect_timeout = 10s;
  o.operation_timeout = 20s;
  o.ehlo_domain = "lab.test";
  o.username = lab("LAB_USER1");
  o.password = Secret(lab("LAB_PASS1"));
  return o;
}

Deadline soon() {
  return Deadline::after(60s);
}

std::string unique_token() {
  std::random_device rd;
  return text::hex_lower(std::to_string(rd()) + std::to_string(rd())).substr(0, 24);
}

// Fetches the message whose Message-ID contains `token` from the user's INBOX over IMAPS (waiting for delivery up
// to wait_s seconds). Empty when it never arrived.
std::string read_back(const std::string& user, const std::string& pass, const std::string& token, int wait_s = 30) {
  testing::TempDir dir;
  const auto script = dir.path() / "fetch.py";
  const auto out = dir.path() / "message.eml";
  testing::write_file(script,
                      "import imaplib, os, ssl, sys, time\n"
                      "e = os.environ\n"
                      "ctx = ssl.create_default_context(cafile=e['T_CA'])\n"
                      "end = time.time() + int(e['T_WAIT'])\n"
                      "while True:\n"
                      "    m = imaplib.IMAP4_SSL(e['T_HOST'], int(e['T_PORT']), ssl_context=ctx)\n"
                      "    m.login(e['T_USER'], e['T_PASS'])\n"
                      "    m.select('INBOX', readonly=True)\n"
                      "    typ, data = m.search(None, 'HEADER', 'Message-ID', e['T_TOKEN'])\n"
                      "    ids = data[0].split()\n"
                      "    if ids:\n"
                      "        typ, msg = m.fetch(ids[-1], '(BODY.PEEK[])')\n"
                      "        open(e['T_OUT'], 'wb').write(msg[0][1])\n"
                      "        m.logout()\n"
                      "        sys.exit(0)\n"
                      "    m.logout()\n"
                      "    if time.time() > end:\n"
                      "        sys.exit(3)\n"
                      "    time.sleep(0.2)\n");
  ::setenv("T_CA", lab("LAB_CA").c_str(), 1);
  ::setenv("T_HOST", lab("LAB_HOST").c_str(), 1);
  ::setenv("T_PORT", lab("LAB_IMAPS_PORT").c_str(), 1);
  ::setenv("T_USER", user.c_str(), 1);
  ::setenv("T_PASS", pass.c_str(), 1);
  ::setenv("T_TOKEN", token.c_str(), 1);
  ::setenv("T_OUT", out.c_str(), 1);
  ::setenv("T_WAIT", std::to_string(wait_s).c_str(), 1);
  const int rc = std::system(("python3 " + script.string()).c_str());
  const int status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  if (status != 0 && status != 3) ADD_FAILURE() << "the IMAP reader failed (exit " << status << ")";
  if (status != 0 || !std::filesystem::exists(out)) return "";
  return testing::read_file(out);
}

std::string body_of(const std::string& message) {
  const auto pos = message.find("\r\n\r\n");
  return pos == std::string::npos ? "" : message.substr(pos + 4);
}

TEST(SmtpLab, SubmissionStartTlsAuthPlainNoopQuit) {
  auto s = Session::connect(submission(), soon());
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_TRUE(s->is_tls());
  EXPECT_EQ(s->auth_mechanism(), "PLAIN");
  EXPECT_FALSE(s->extensions().starttls());  // the EHLO after TLS no longer offers it
  EXPECT_FALSE(s->extensions().lines().empty());
  EXPECT_TRUE(s->noop(soon()));
  s->quit(soon());
  EXPECT_FALSE(s->is_open());
}

TEST(SmtpLab, SmtpsImplicitTls) {
  auto s = Session::connect(submission(TlsMode::kImplicit, "LAB_SMTPS_PORT"), soon());
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_TRUE(s->is_tls());
  EXPECT_TRUE(s->noop(soon()));
  s->quit(soon());
}

TEST(SmtpLab, SubmissionThroughSocks5hProxy) {
  auto o = submission();
  o.endpoint.host = "localhost";  // resolved by the proxy
  o.proxy.scheme = net::ProxyScheme::kSocks5h;
  o.proxy.endpoint = {lab("LAB_HOST"), static_cast<std::uint16_t>(lab_port("LAB_SOCKS_PORT"))};
  auto s = Session::connect(o, soon());
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_TRUE(s->is_tls());
  EXPECT_TRUE(s->noop(soon()));
  s->quit(soon());
}

TEST(SmtpLab, WrongPasswordIsAuthFailed) {
  auto o = submission();
  o.password = Secret("definitely-not-the-password");
  auto s = Session::connect(o, soon());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(s.error().detail().rfind("SMTP server rejected AUTH: 535", 0), 0u) << s.error().detail();
}

TEST(SmtpLab, SpecialCharacterPasswordAuthenticates) {
  auto o = submission(TlsMode::kImplicit, "LAB_SMTPS_PORT");
  o.username = lab("LAB_SPECIAL_USER");
  o.password = Secret(lab("LAB_SPECIAL_PASS"));
  auto s = Session::connect(o, soon());
  ASSERT_TRUE(s) << s.error().to_string();
  s->quit(soon());
}

TEST(SmtpLab, WrongCaIsTlsFailed) {
  auto o = submission(TlsMode::kImplicit, "LAB_SMTPS_PORT");
  o.tls.ca_file = lab("LAB_OTHER_CA");
  auto s = Session::connect(o, soon());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsFailed);
}

TEST(SmtpLab, SendToBobWithBccArrivesByteForByte) {
  const std::string token = unique_token();
  // Lines starting with dots, a lone dot line and a bare LF: the wire encoding must be undone exactly by the server.
  const std::string body =
      "Hello Bob,\r\n"
      ".leading dot\r\n"
      ".\r\n"
      "..two dots\r\n"
      "last line\r\n";
  const std::string message =
      "From: Alice <alice@lab.test>\r\n"
      "To: bob@lab.test\r\n"
      "Subject: smtp lab " +
      token +
      "\r\n"
      "Date: Mon, 30 Nov 2026 02:00:00 +0000\r\n"
      "Message-ID: <" +
      token +
      "@lab.test>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=us-ascii\r\n"
      "\r\n" +
      body;
  auto s = Session::connect(submission(), soon());
  ASSERT_TRUE(s) << s.error().to_string();
  // soc@lab.test is Bcc-only: it is in the envelope and nowhere in the headers.
  auto receipt =
      s->send(Envelope{"alice@lab.test", {"bob@lab.test", "soc@lab.test", "BOB@lab.test"}, false}, message, soon());
  ASSERT_TRUE(receipt) << receipt.error().to_string();
  EXPECT_EQ(receipt->recipients, 2u);
  EXPECT_EQ(receipt->final_reply.code, 250);
  s->quit(soon());

  const std::string at_bob = read_back(lab("LAB_USER2"), lab("LAB_PASS2"), token);
  ASSERT_FALSE(at_bob.empty()) << "message did not arrive at bob";
  EXPECT_EQ(body_of(at_bob), body);
  EXPECT_NE(at_bob.find("Subject: smtp lab " + token + "\r\n"), std::string::npos);
  const std::string at_soc = read_back(lab("LAB_USER4"), lab("LAB_PASS4"), token);
  ASSERT_FALSE(at_soc.empty()) << "Bcc-only recipient did not get the message";
  EXPECT_EQ(body_of(at_soc), body);
  EXPECT_EQ(at_soc.find("soc@lab.test>\r\nSubject"), std::string::npos);
}

TEST(SmtpLab, TwoMessagesOneSessionLargeFromFile) {
  const std::string token = unique_token();
  std::string body;
  for (int i = 0; i < 40'000; ++i)
    body += (i % 100 == 0 ? "." : "") + std::string(70, static_cast<char>('a' + i % 26)) + "\r\n";
  const std::string message = "From: alice@lab.test\r\nTo: carol@lab.test\r\nSubject: big " + token +
                              "\r\nMessage-ID: <" + token + "@lab.test>\r\n\r\n" + body;
  testing::TempDir dir;
  testing::write_file(dir.path() / "big.eml", message);
  auto file = FileMessageSource::open(dir.path() / "big.eml");
  ASSERT_TRUE(file);
  auto s = Session::connect(submission(TlsMode::kImplicit, "LAB_SMTPS_PORT"), soon());
  ASSERT_TRUE(s) << s.error().to_string();
  ASSERT_TRUE(s->send(Envelope{"alice@lab.test", {"carol@lab.test"}, false}, **file, soon()));
  const std::string small_token = unique_token();
  ASSERT_TRUE(s->send(Envelope{"alice@lab.test", {"carol@lab.test"}, false},
                      "Subject: small\r\nMessage-ID: <" + small_token + "@lab.test>\r\n\r\nsmall\r\n", soon()));
  s->quit(soon());
  const std::string got = read_back(lab("LAB_USER3"), lab("LAB_PASS3"), token);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(body_of(got), body);
  EXPECT_EQ(body_of(read_back(lab("LAB_USER3"), lab("LAB_PASS3"), small_token)), "small\r\n");
}

TEST(SmtpLab, UnknownRecipientRejectedNothingHalfDelivered) {
  // Postfix refuses the unknown user at RCPT; bob, accepted just before, must not get the message either.
  const std::string token = unique_token();
  auto s = Session::connect(submission(), soon());
  ASSERT_TRUE(s) << s.error().to_string();
  auto r = s->send(Envelope{"alice@lab.test", {"bob@lab.test", "no-such-user@lab.test"}, false, false},
                   "Subject: half " + token + "\r\nMessage-ID: <" + token + "@lab.test>\r\n\r\nx\r\n", soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kSmtpRejected);
  EXPECT_EQ(r.error().detail().rfind("RCPT TO no-such-user@lab.test rejected: 550 5.1.1 ", 0), 0u)
      << r.error().detail();
  EXPECT_FALSE(s->is_open());
  EXPECT_EQ(read_back(lab("LAB_USER2"), lab("LAB_PASS2"), token, 3), "");
}

}  // namespace
}  // namespace emailv2::smtp
