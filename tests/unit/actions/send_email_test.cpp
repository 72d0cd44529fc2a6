// Send Email (CONTRACT §3.2) on a scripted SMTP server: the transaction, the message, the envelope, the outcomes,
// and the sent_message row for Wait.
#include "actions/send_email.h"

#include <gtest/gtest.h>

#include "mime/parse_message.h"
#include "send_fixture.h"
#include "store/database.h"
#include "store/sent_message_repository.h"

namespace emailv2::actions::send_test {
namespace {

class SendEmail : public SendActionTest {
 protected:
  ActionResult send(const Flags& flags) { return run(send_email_spec(), &send_email, flags); }
};

TEST_F(SendEmail, SendsOneTransactionWithUniqueRecipientsAndNoBccHeader) {
  smtp_plays(accepting_server(4));
  const ActionResult r = send({{"recipients", "alice@lab.test, ALICE@lab.test; Bob <bob@lab.test>"},
                               {"cc", "carol@lab.test, bob@LAB.test"},
                               {"bcc", "secret@lab.test, carol@lab.test"},
                               {"subject", "Weekly report"},
                               {"content", "<p>Hello</p>"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "Mail sent successfully.");
  EXPECT_TRUE(r.json_result.is_null());
  EXPECT_EQ(smtp_connections_, 1);
  const std::string& w = smtp_.written();
  EXPECT_NE(w.find("EHLO lab.test\r\n"), std::string::npos);
  EXPECT_NE(w.find("MAIL FROM:<soc@lab.test>"), std::string::npos);
  // One RCPT per unique address (case-insensitive), first spelling kept, To then Cc then Bcc.
  std::vector<std::string> rcpts;
  for (std::size_t pos = w.find("RCPT TO:<"); pos != std::string::npos; pos = w.find("RCPT TO:<", pos + 1)) {
    rcpts.push_back(w.substr(pos + 9, w.find('>', pos) - pos - 9));
  }
  EXPECT_EQ(rcpts, (std::vector<std::string>{"alice@lab.test", "bob@lab.test", "carol@lab.test", "secret@lab.test"}));
  const std::string headers = sent_headers();
  EXPECT_EQ(headers.find("Bcc"), std::string::npos) << headers;
  EXPECT_EQ(headers.find("secret@lab.test"), std::string::npos) << headers;
  EXPECT_NE(headers.find("To: alice@lab.test, bob@lab.test\r\n"), std::string::npos) << headers;
  EXPECT_NE(headers.find("Cc: carol@lab.test, bob@LAB.test\r\n"), std::string::npos) << headers;
  EXPECT_NE(headers.find("From: \"SOC Team\" <soc@lab.test>\r\n"), std::string::npos) << headers;
  EXPECT_NE(headers.find("Date: Wed, 1 May 2024 12:34:56 +0000\r\n"), std::string::npos) << headers;
  EXPECT_NE(w.find("QUIT\r\n"), std::string::npos);
}

TEST_F(SendEmail, ReturnMessageIdGivesTheJsonOfTheContract) {
  smtp_plays(accepting_server(2));
  const ActionResult r = send({{"recipients", "alice@lab.test;Bob <bob@lab.test>"},
                               {"subject", "s"},
                               {"content", "c"},
                               {"return-message-id-for-the-sent-email", "true"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  const std::string id = r.json_result.at("message_id");
  EXPECT_EQ(r.output_message, "Mail sent successfully. Mail message ID is: " + id);
  // <32 hex>.<epoch s>@<sender domain>
  ASSERT_EQ(id.size(), 1 + 32 + 1 + 10 + 1 + 8 + 1) << id;
  EXPECT_EQ(id.front(), '<');
  EXPECT_EQ(id.substr(33), ".1714566896@lab.test>");
  EXPECT_EQ(r.json_result.at("date"), "2024-05-01T12:34:56Z");
  EXPECT_EQ(r.json_result.at("recipients"), "alice@lab.test,bob@lab.test");
  EXPECT_EQ(std::vector<std::string>({"message_id", "date", "recipients"}), [&] {
    std::vector<std::string> keys;
    for (const auto& [k, v] : r.json_result.items()) keys.push_back(k);
    return keys;
  }());
  EXPECT_NE(sent_headers().find("Message-ID: " + id + "\r\n"), std::string::npos);
}

TEST_F(SendEmail, RecordsTheSentMessageForWait) {
  smtp_plays(accepting_server(3));
  const ActionResult r = send({{"recipients", "alice@lab.test"},
                               {"cc", "bob@lab.test"},
                               {"bcc", "carol@lab.test"},
                               {"subject", "Please confirm"},
                               {"content", "c"},
                               {"return-message-id-for-the-sent-email", "yes"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  auto db = store::Database::open(store_path_);
  ASSERT_TRUE(db) << db.error().to_string();
  auto row = store::SentMessageRepository(*db).find(r.json_result.at("message_id").get<std::string>());
  ASSERT_TRUE(row) << row.error().to_string();
  ASSERT_TRUE(row->has_value());
  const store::SentMessage& m = **row;
  EXPECT_EQ(m.to, std::vector<std::string>{"alice@lab.test"});
  EXPECT_EQ(m.cc, std::vector<std::string>{"bob@lab.test"});
  EXPECT_EQ(m.bcc, std::vector<std::string>{"carol@lab.test"});
  EXPECT_EQ(m.subject, "Please confirm");
  EXPECT_EQ(m.action, "send-email");
  EXPECT_EQ(rfc3339_utc(m.date), "2024-05-01T12:34:56Z");
  EXPECT_FALSE(m.case_id.has_value());
}

TEST_F(SendEmail, AnUnwritableStoreIsOnlyAWarning) {
  store_path_ = (dir_.path() / "no-such-dir" / "store.sqlite").string();
  smtp_plays(accepting_server(1));
  const ActionResult r = send({{"recipients", "alice@lab.test"}, {"subject", "s"}, {"content", "c"}});
  EXPECT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "Mail sent successfully.");
}

TEST_F(SendEmail, RejectedRecipientIsSmtpRejectedWithRsetAndNothingSent) {
  smtp_plays({"220 fake ESMTP\r\n", "250 fake\r\n", "250 2.1.0 Ok\r\n", "250 2.1.5 Ok\r\n",
              "550 5.1.1 <nobody@lab.test>: Recipient address rejected\r\n", "250 2.0.0 Ok\r\n", "221 Bye\r\n"});
  const ActionResult r = send({{"recipients", "alice@lab.test, nobody@lab.test"}, {"subject", "s"}, {"content", "c"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.error_code, ErrorCode::kSmtpRejected);
  EXPECT_EQ(r.output_message,
            "Failed to send email! The Error is SMTP_REJECTED: RCPT TO nobody@lab.test rejected: 550 5.1.1 "
            "<nobody@lab.test>: Recipient address rejected");
  const std::string& w = smtp_.written();
  EXPECT_EQ(w.find("DATA"), std::string::npos);
  EXPECT_NE(w.find("RSET\r\n"), std::string::npos);
  // Nothing recorded for Wait.
  auto db = store::Database::open(store_path_, {.create_if_missing = false});
  EXPECT_FALSE(db);
}

TEST_F(SendEmail, AttachmentErrorsStopEverythingBeforeConnecting) {
  testing::write_file(dir_.path() / "ok.txt", "fine");
  std::filesystem::create_directory(dir_.path() / "folder");
  struct Row {
    std::string paths;
    std::string message_tail;
    ErrorCode code;
  };
  const std::string ok = (dir_.path() / "ok.txt").string();
  const std::vector<Row> rows{
      {ok + "," + (dir_.path() / "missing.bin").string(),
       "IO_ERROR: cannot read attachment " + (dir_.path() / "missing.bin").string() + ": No such file or directory",
       ErrorCode::kIoError},
      {(dir_.path() / "folder").string(),
       "IO_ERROR: cannot read attachment " + (dir_.path() / "folder").string() + ": not a regular file",
       ErrorCode::kIoError},
  };
  for (const Row& row : rows) {
    const ActionResult r =
        send({{"recipients", "alice@lab.test"}, {"subject", "s"}, {"content", "c"}, {"attachments-paths", row.paths}});
    EXPECT_EQ(r.exit_code(), 2);
    EXPECT_EQ(r.error_code, row.code);
    EXPECT_EQ(r.output_message, "Failed to send email! The Error is " + row.message_tail);
  }
  config_.allowed_paths = {(dir_.path() / "folder").string()};
  const ActionResult outside =
      send({{"recipients", "alice@lab.test"}, {"subject", "s"}, {"content", "c"}, {"attachments-paths", ok}});
  EXPECT_EQ(outside.exit_code(), 64);
  EXPECT_EQ(outside.error_code, ErrorCode::kPathNotAllowed);
  EXPECT_EQ(outside.output_message.rfind("Failed to send email! The Error is PATH_NOT_ALLOWED: Attachment path \"", 0),
            0u)
      << outside.output_message;
  EXPECT_EQ(smtp_connections_, 0);
}

TEST_F(SendEmail, TooLargeMessageIsSizeLimitBeforeConnecting) {
  config_.max_message_mib = 1;
  testing::write_file(dir_.path() / "big.bin", std::string(800 * 1024, 'x'));  // fits, but base64 does not
  const ActionResult r = send({{"recipients", "alice@lab.test"},
                               {"subject", "s"},
                               {"content", "c"},
                               {"attachments-paths", (dir_.path() / "big.bin").string()}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.error_code, ErrorCode::kSizeLimit);
  EXPECT_NE(r.output_message.find("larger than Max Message Size (1 MiB)"), std::string::npos) << r.output_message;
  EXPECT_EQ(smtp_connections_, 0);
}

TEST_F(SendEmail, AttachmentsAndHtmlRoundTrip) {
  const std::string binary("\x00\x01\xff\r\n.\r\nxyz", 12);
  std::filesystem::create_directory(dir_.path() / "a");
  std::filesystem::create_directory(dir_.path() / "b");
  testing::write_file(dir_.path() / "a" / "report.bin", binary);
  testing::write_file(dir_.path() / "b" / "report.bin", "second file, same name");
  testing::write_file(dir_.path() / "Прайс лист.txt", "unicode name");
  smtp_plays(accepting_server(1));
  const ActionResult r = send({{"recipients", "alice@lab.test"},
                               {"subject", "Отчёт 📎"},
                               {"content", "<p>Hello <b>world</b></p>"},
                               {"attachments-paths", (dir_.path() / "a" / "report.bin").string() + "," +
                                                         (dir_.path() / "b" / "report.bin").string() + ", " +
                                                         (dir_.path() / "Прайс лист.txt").string()}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  const mime::Message m = mime::parse_message(sent_message());
  EXPECT_EQ(m.raw_subject, "Отчёт 📎");
  EXPECT_NE(m.html_body.find("<p>Hello <b>world</b></p>"), std::string::npos);
  EXPECT_NE(m.text_body.find("Hello world"), std::string::npos) << m.text_body;
  ASSERT_EQ(m.attachments.size(), 3u);
  EXPECT_EQ(m.attachments[0].name, "report.bin");
  EXPECT_EQ(m.attachments[0].data, binary);
  EXPECT_EQ(m.attachments[1].name, "report.bin");
  EXPECT_EQ(m.attachments[1].data, "second file, same name");
  EXPECT_EQ(m.attachments[2].name, "Прайс лист.txt");
}

}  // namespace
}  // namespace emailv2::actions::send_test

namespace emailv2::actions {
namespace {

TEST(SendingError, TimeoutAfterTheRunDeadlineIsDeadline) {
  const Error timeout(ErrorCode::kTimeout, "Timed out after 5 s waiting for greeting from h:25");
  const Deadline past = Deadline::after(std::chrono::milliseconds(0));
  EXPECT_EQ(sending_error(timeout, past).to_string(),
            "DEADLINE: the run's --timeout was reached: Timed out after 5 s waiting for greeting from h:25");
  EXPECT_EQ(sending_error(timeout, Deadline::after(std::chrono::seconds(60))).code(), ErrorCode::kTimeout);
  EXPECT_EQ(sending_error(Error(ErrorCode::kSmtpRejected, "x"), past).code(), ErrorCode::kSmtpRejected);
}

}  // namespace
}  // namespace emailv2::actions
