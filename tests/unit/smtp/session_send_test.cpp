// The mail transaction of smtp::Session on an in-memory transport: MAIL/RCPT/DATA, rejections, limits.
#include <gtest/gtest.h>

#include "core/log.h"
#include "session_fixture.h"
#include "support/test_env.h"

namespace emailv2::smtp {
namespace {

using test::ehlo;
using test::kGreeting;
using test::options;
using test::play;
using test::soon;
using test::start;
using testing::FakeTransport;

const std::string kConnect = "EHLO lab.test\r\n";
const std::string kMessage = "Subject: hi\r\n\r\nline one\n.hidden\r\n.\r\nend";
const std::string kWireBody = "Subject: hi\r\n\r\nline one\r\n..hidden\r\n..\r\nend\r\n.\r\n";

// A connected session without AUTH on plaintext, with these extensions, then `replies`.
Result<Session> ready(FakeTransport& fake, const std::vector<std::string>& extensions,
                      const std::vector<std::string>& replies, bool one_byte = false) {
  std::vector<std::string> script{kGreeting, ehlo(extensions)};
  script.insert(script.end(), replies.begin(), replies.end());
  play(fake, script, one_byte);
  return start(fake, options(TlsMode::kOff, false));
}

Envelope envelope(std::vector<std::string> recipients) {
  return Envelope{"alice@lab.test", std::move(recipients), false};
}

// --- Rejections first ------------------------------------------------------------------------------------------

TEST(SessionSend, RcptRejectedSendsRsetQuitAndNoData) {
  FakeTransport fake;
  auto s = ready(fake, {"SIZE 100000"},
                 {"250 2.1.0 Ok\r\n", "250 2.1.5 Ok\r\n", "550 5.1.1 <nobody@lab.test>: Recipient address rejected\r\n",
                  "250 2.0.0 Ok\r\n", "221 2.0.0 Bye\r\n"});
  ASSERT_TRUE(s);
  auto r = s->send(envelope({"bob@lab.test", "nobody@lab.test", "carol@lab.test"}), kMessage, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(),
            "SMTP_REJECTED: RCPT TO nobody@lab.test rejected: 550 5.1.1 <nobody@lab.test>: Recipient address rejected");
  EXPECT_EQ(fake.written(), kConnect + "MAIL FROM:<alice@lab.test> SIZE=" + std::to_string(kMessage.size()) +
                                "\r\nRCPT TO:<bob@lab.test>\r\nRCPT TO:<nobody@lab.test>\r\nRSET\r\nQUIT\r\n");
  EXPECT_FALSE(s->is_open());
  EXPECT_EQ(s->send(envelope({"bob@lab.test"}), kMessage, soon()).error().to_string(),
            "PROTOCOL_ERROR: SMTP session is closed");
}

TEST(SessionSend, PipelinedRcptRejectedReadsEveryReplyThenRset) {
  for (bool one_byte : {false, true}) {
    FakeTransport fake;
    auto s =
        ready(fake, {"PIPELINING"},
              {"250 ok\r\n", "550 5.1.1 no such user\r\n", "250 ok\r\n", "250 reset\r\n", "221 bye\r\n"}, one_byte);
    ASSERT_TRUE(s);
    auto r = s->send(envelope({"nobody@lab.test", "carol@lab.test"}), kMessage, soon());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().to_string(), "SMTP_REJECTED: RCPT TO nobody@lab.test rejected: 550 5.1.1 no such user");
    EXPECT_EQ(fake.written(), kConnect +
                                  "MAIL FROM:<alice@lab.test>\r\nRCPT TO:<nobody@lab.test>\r\n"
                                  "RCPT TO:<carol@lab.test>\r\nRSET\r\nQUIT\r\n");
  }
}

TEST(SessionSend, MailFromRejected) {
  FakeTransport fake;
  auto s = ready(
      fake, {},
      {"553 5.7.1 <alice@lab.test>: Sender address rejected: not owned by user\r\n", "250 ok\r\n", "221 bye\r\n"});
  ASSERT_TRUE(s);
  auto r = s->send(envelope({"bob@lab.test"}), kMessage, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(
      r.error().to_string(),
      "SMTP_REJECTED: MAIL FROM rejected: 553 5.7.1 <alice@lab.test>: Sender address rejected: not owned by user");
  EXPECT_EQ(fake.written(), kConnect + "MAIL FROM:<alice@lab.test>\r\nRSET\r\nQUIT\r\n");
}

TEST(SessionSend, DataCommandRejected) {
  FakeTransport fake;
  auto s = ready(fake, {},
                 {"250 ok\r\n", "250 ok\r\n", "554 5.5.1 Error: no valid recipients\r\n", "250 ok\r\n", "221 bye\r\n"});
  ASSERT_TRUE(s);
  auto r = s->send(envelope({"bob@lab.test"}), kMessage, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(), "SMTP_REJECTED: DATA rejected: 554 5.5.1 Error: no valid recipients");
  EXPECT_EQ(fake.written(),
            kConnect + "MAIL FROM:<alice@lab.test>\r\nRCPT TO:<bob@lab.test>\r\nDATA\r\nRSET\r\nQUIT\r\n");
}

TEST(SessionSend, FinalDotRejected) {
  FakeTransport fake;
  auto s = ready(fake, {},
                 {"250 ok\r\n", "250 ok\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n",
                  "552 5.3.4 Message size exceeds fixed limit\r\n", "250 ok\r\n", "221 bye\r\n"});
  ASSERT_TRUE(s);
  auto r = s->send(envelope({"bob@lab.test"}), kMessage, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(), "SMTP_REJECTED: DATA rejected: 552 5.3.4 Message size exceeds fixed limit");
  EXPECT_EQ(fake.written(), kConnect + "MAIL FROM:<alice@lab.test>\r\nRCPT TO:<bob@lab.test>\r\nDATA\r\n" + kWireBody +
                                "RSET\r\nQUIT\r\n");
}

TEST(SessionSend, TransientRejectionIsAlsoRejected) {
  FakeTransport fake;
  auto s = ready(fake, {}, {"250 ok\r\n", "451 4.3.0 try later\r\n", "250 ok\r\n", "221 bye\r\n"});
  ASSERT_TRUE(s);
  auto r = s->send(envelope({"bob@lab.test"}), kMessage, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kSmtpRejected);
}

TEST(SessionSend, InjectionInAnAddressSendsNothing) {
  FakeTransport fake;
  auto s = ready(fake, {"PIPELINING", "SMTPUTF8"}, {"250 ok\r\n"});
  ASSERT_TRUE(s);
  for (const Envelope& bad : {envelope({"bob@lab.test\r\nRCPT TO:<eve@evil.test>"}), envelope({"bob@lab.test>"}),
                              envelope({"<bob@lab.test"}), envelope({std::string("bob@lab.test\0", 13)}), envelope({}),
                              Envelope{"alice@lab.test\r\n", {"bob@lab.test"}, false},
                              Envelope{"alice@lab.test> SIZE=1", {"bob@lab.test"}, false}}) {
    auto r = s->send(bad, kMessage, soon());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::kParamInvalid);
  }
  EXPECT_EQ(fake.written(), kConnect);
  EXPECT_TRUE(s->is_open());  // nothing was sent: the session is still usable
}

TEST(SessionSend, SizeLimitsCrossedByOneBeforeMailFrom) {
  const std::string at_limit(100, 'x');
  const std::string over(101, 'x');
  FakeTransport fake;
  auto s = ready(fake, {"SIZE 100"}, {"250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 queued\r\n"});
  ASSERT_TRUE(s);
  auto r = s->send(envelope({"bob@lab.test"}), over, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(),
            "SIZE_LIMIT: The message of 101 bytes exceeds the SIZE limit of 100 bytes announced by fake.example:143");
  EXPECT_EQ(fake.written(), kConnect);
  EXPECT_TRUE(s->send(envelope({"bob@lab.test"}), at_limit, soon()));

  FakeTransport own;
  play(own, {kGreeting, ehlo({"SIZE 0"}), "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 queued\r\n"});
  auto o = options(TlsMode::kOff, false);
  o.max_message_bytes = 100;
  auto t = start(own, o);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->send(envelope({"bob@lab.test"}), over, soon()).error().code(), ErrorCode::kSizeLimit);
  auto fine = t->send(envelope({"bob@lab.test"}), at_limit, soon());
  ASSERT_TRUE(fine) << fine.error().to_string();
  EXPECT_NE(own.written().find("MAIL FROM:<alice@lab.test> SIZE=100\r\n"), std::string::npos);
}

TEST(SessionSend, Smtputf8NeededButNotOffered) {
  FakeTransport fake;
  auto s = ready(fake, {"8BITMIME"}, {});
  ASSERT_TRUE(s);
  auto r = s->send(envelope({"j\xC3\xB6rg@lab.test"}), kMessage, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kSmtputf8Unsupported);
  Envelope headers_only = envelope({"bob@lab.test"});
  headers_only.headers_need_smtputf8 = true;
  EXPECT_EQ(s->send(headers_only, kMessage, soon()).error().code(), ErrorCode::kSmtputf8Unsupported);
  EXPECT_EQ(fake.written(), kConnect);
}

TEST(SessionSend, ServerClosesMidTransaction) {
  FakeTransport fake;
  auto s = ready(fake, {}, {"250 ok\r\n"});
  ASSERT_TRUE(s);
  auto r = s->send(envelope({"bob@lab.test"}), kMessage, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(),
            "PROTOCOL_ERROR: connection closed by fake.example:143 while waiting for response to RCPT TO");
  EXPECT_FALSE(s->is_open());
}

TEST(SessionSend, FinalDotTimeoutNamesTheLongerWait) {
  FakeTransport fake;
  auto s = ready(fake, {}, {"250 ok\r\n", "250 ok\r\n", "354 go\r\n"});
  ASSERT_TRUE(s);
  fake.timeout_when_empty();
  auto r = s->send(envelope({"bob@lab.test"}), kMessage, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(), "TIMEOUT: Timed out after 300 s waiting for response to DATA from fake.example:143");
}

// A source that yields some bytes, then fails (a spool file that became unreadable).
class FailingSource final : public MessageSource {
 public:
  std::uint64_t size() const override { return 100; }
  Result<std::size_t> read(std::span<char> buffer) override {
    if (calls_++ > 0) return fail(ErrorCode::kIoError, "cannot read message /spool/x: read error");
    buffer[0] = 'x';
    return std::size_t{1};
  }

 private:
  int calls_ = 0;
};

TEST(SessionSend, SourceErrorMidDataClosesWithoutTheFinalDot) {
  FakeTransport fake;
  auto s = ready(fake, {}, {"250 ok\r\n", "250 ok\r\n", "354 go\r\n"});
  ASSERT_TRUE(s);
  FailingSource source;
  auto r = s->send(envelope({"bob@lab.test"}), source, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kIoError);
  EXPECT_FALSE(s->is_open());
  EXPECT_EQ(fake.written(), kConnect + "MAIL FROM:<alice@lab.test>\r\nRCPT TO:<bob@lab.test>\r\nDATA\r\n");
}

// --- Good paths --------------------------------------------------------------------------------------------------

TEST(SessionSend, FullTransactionDedupesAndDotStuffs) {
  for (bool one_byte : {false, true}) {
    FakeTransport fake;
    auto s = ready(fake, {"SIZE 100000", "8BITMIME"},
                   {"250 2.1.0 Ok\r\n", "250 2.1.5 Ok\r\n", "250 2.1.5 Ok\r\n", "354 go\r\n",
                    "250 2.0.0 Ok: queued as 4Xyz\r\n", "221 bye\r\n"},
                   one_byte);
    ASSERT_TRUE(s);
    auto r = s->send(envelope({"bob@lab.test", "Carol@lab.test", "BOB@LAB.TEST", "carol@LAB.test"}), kMessage, soon());
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->recipients, 2u);
    EXPECT_EQ(r->final_reply.summary(), "250 2.0.0 Ok: queued as 4Xyz");
    s->quit(soon());
    EXPECT_EQ(fake.written(), kConnect + "MAIL FROM:<alice@lab.test> SIZE=" + std::to_string(kMessage.size()) +
                                  "\r\nRCPT TO:<bob@lab.test>\r\nRCPT TO:<Carol@lab.test>\r\nDATA\r\n" + kWireBody +
                                  "QUIT\r\n");
  }
}

TEST(SessionSend, PipelinedEnvelopeAndSmtputf8) {
  FakeTransport fake;
  // The three envelope replies arrive in one read, as a pipelining server sends them.
  auto s = ready(fake, {"PIPELINING", "SMTPUTF8"}, {"250 ok\r\n250 ok\r\n250 ok\r\n", "354 go\r\n", "250 queued\r\n"});
  ASSERT_TRUE(s);
  auto r = s->send(envelope({"j\xC3\xB6rg@lab.test", "bob@lab.test"}), "x", soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(fake.written(), kConnect +
                                "MAIL FROM:<alice@lab.test> SMTPUTF8\r\nRCPT TO:<j\xC3\xB6rg@lab.test>\r\n"
                                "RCPT TO:<bob@lab.test>\r\nDATA\r\nx\r\n.\r\n");
}

TEST(SessionSend, Body8BitMimeOnlyWhenAnnounced) {
  for (bool announced : {false, true}) {
    FakeTransport fake;
    auto s = ready(fake, announced ? std::vector<std::string>{"8BITMIME", "SIZE 0"} : std::vector<std::string>{"SIZE"},
                   {"250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 queued\r\n"});
    ASSERT_TRUE(s);
    Envelope e = envelope({"bob@lab.test"});
    e.body_8bitmime = true;
    ASSERT_TRUE(s->send(e, "h\xC3\xA9", soon()));
    EXPECT_NE(fake.written().find(announced ? "MAIL FROM:<alice@lab.test> SIZE=3 BODY=8BITMIME\r\n"
                                            : "MAIL FROM:<alice@lab.test> SIZE=3\r\n"),
              std::string::npos)
        << fake.written();
  }
}

TEST(SessionSend, TwoMessagesOnOneSessionFromAFileAndAString) {
  testing::TempDir dir;
  const std::string big = "Subject: big\r\n\r\n" + std::string(200'000, 'y') + "\r\n.\r\n";
  testing::write_file(dir.path() / "big.eml", big);
  auto file = FileMessageSource::open(dir.path() / "big.eml");
  ASSERT_TRUE(file);
  FakeTransport fake;
  auto s = ready(fake, {},
                 {"250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 first\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n",
                  "250 second\r\n"});
  ASSERT_TRUE(s);
  auto first = s->send(envelope({"bob@lab.test"}), **file, soon());
  ASSERT_TRUE(first) << first.error().to_string();
  auto second = s->send(envelope({"carol@lab.test"}), "", soon());
  ASSERT_TRUE(second) << second.error().to_string();
  EXPECT_EQ(second->final_reply.summary(), "250 second");
  const std::string expected_first = "Subject: big\r\n\r\n" + std::string(200'000, 'y') + "\r\n..\r\n.\r\n";
  EXPECT_EQ(fake.written(), kConnect + "MAIL FROM:<alice@lab.test>\r\nRCPT TO:<bob@lab.test>\r\nDATA\r\n" +
                                expected_first + "MAIL FROM:<alice@lab.test>\r\nRCPT TO:<carol@lab.test>\r\nDATA\r\n" +
                                ".\r\n");
}

TEST(SessionSend, BodyIsNotLoggedEvenAtTrace) {
  std::vector<std::string> lines;
  log::configure(log::Level::kTrace, log::Format::kText);
  log::set_line_sink_for_testing([&](std::string_view l) { lines.emplace_back(l); });
  FakeTransport fake;
  auto s = ready(fake, {}, {"250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 queued\r\n"});
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->send(envelope({"bob@lab.test"}), "Subject: x\r\n\r\nTOP-SECRET-BODY\r\n", soon()));
  log::set_line_sink_for_testing(nullptr);
  log::configure(log::Level::kInfo, log::Format::kText);
  bool saw_size = false;
  for (const auto& l : lines) {
    EXPECT_EQ(l.find("TOP-SECRET-BODY"), std::string::npos) << l;
    saw_size = saw_size || l.find("C: <message, 31 bytes>") != std::string::npos;
  }
  EXPECT_TRUE(saw_size);
}

}  // namespace
}  // namespace emailv2::smtp
