// Forward Email (CONTRACT §3.3) on an in-memory mail store and a scripted SMTP server.
#include <gtest/gtest.h>

#include "actions/folder_list.h"
#include "actions/forward_email.h"
#include "actions/original_message.h"
#include "core/text.h"
#include "mime/parse_message.h"
#include "send_fixture.h"

namespace emailv2::actions::send_test {
namespace {

using namespace std::string_literals;
const std::string kPng = "\x89PNG\r\n\x1a\n\0\0\0\rIHDRfake"s;  // 20 bytes, NULs included

std::string multipart_original() {
  return "From: Bob Builder <bob@lab.test>\r\n"
         "To: SOC <soc@lab.test>, alice@lab.test\r\n"
         "Cc: carol@lab.test\r\n"
         "Subject: Invoice & <overdue>\r\n"
         "Date: Mon, 26 Aug 2019 03:20:00 -0700\r\n"
         "Message-ID: <orig-1@lab.test>\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
         "--outer\r\n"
         "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n"
         "--rel\r\n"
         "Content-Type: text/html; charset=utf-8\r\n\r\n"
         "<p>See <img src=\"cid:logo@lab.test\"></p>\r\n"
         "--rel\r\n"
         "Content-Type: image/png\r\n"
         "Content-ID: <logo@lab.test>\r\n"
         "Content-Disposition: inline\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         text::base64_encode(kPng) +
         "\r\n--rel--\r\n"
         "--outer\r\n"
         "Content-Type: application/pdf; name=\"invoice.pdf\"\r\n"
         "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         text::base64_encode("first pdf") +
         "\r\n--outer\r\n"
         "Content-Type: application/pdf; name=\"invoice.pdf\"\r\n"
         "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         text::base64_encode("second pdf, same name") + "\r\n--outer--\r\n";
}

std::string text_original(const std::string& id) {
  return "From: bob@lab.test\r\nTo: soc@lab.test\r\nSubject: plain\r\nMessage-ID: <" + id +
         ">\r\nDate: Tue, 27 Aug 2019 15:05:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
         "charset=utf-8\r\n\r\nLine <one> & more\r\nLine two\r\n";
}

class ForwardEmail : public SendActionTest {
 protected:
  ActionResult forward(Flags flags) {
    flags.emplace_back("recipients", "alice@lab.test");
    flags.emplace_back("subject", "FW: as is");
    return run(forward_email_spec(), &forward_email, flags);
  }
};

TEST_F(ForwardEmail, KeepsInlineImagesAndSameNameAttachments) {
  memory_->deliver("INBOX", multipart_original());
  smtp_plays(accepting_server(1));
  const ActionResult r = forward({{"message-id-of-the-email-to-forward", "<orig-1@lab.test>"},
                                  {"content", "<p>FYI</p>"},
                                  {"return-message-id-for-the-forwarded-email", "true"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "Mail was forwarded successfully. Mail message ID is: " +
                                  r.json_result.at("message_id").get<std::string>());
  EXPECT_EQ(r.json_result.at("recipients"), "alice@lab.test");
  const std::string raw = sent_message();
  const mime::Message m = mime::parse_message(raw);
  EXPECT_EQ(m.raw_subject, "FW: as is");  // verbatim, no Fwd: added
  EXPECT_EQ(m.html_body.rfind("<p>FYI</p><br><br>---------- Forwarded message ----------<br>", 0), 0u) << m.html_body;
  EXPECT_NE(m.html_body.find("From: Bob Builder &lt;bob@lab.test&gt;<br>"), std::string::npos) << m.html_body;
  EXPECT_NE(m.html_body.find("Date: Mon, Aug 26, 2019 at 3:20 AM -0700<br>"), std::string::npos) << m.html_body;
  EXPECT_NE(m.html_body.find("Subject: Invoice &amp; &lt;overdue&gt;<br>"), std::string::npos) << m.html_body;
  EXPECT_NE(m.html_body.find("To: SOC &lt;soc@lab.test&gt;, alice@lab.test<br>"), std::string::npos);
  EXPECT_NE(m.html_body.find("Cc: carol@lab.test<br>"), std::string::npos);
  EXPECT_NE(m.html_body.find("<img src=\"cid:logo@lab.test\">"), std::string::npos);
  ASSERT_EQ(m.attachments.size(), 3u);
  EXPECT_EQ(m.attachments[0].content_id, std::optional<std::string>("logo@lab.test"));
  EXPECT_EQ(m.attachments[0].data, kPng);
  EXPECT_EQ(m.attachments[1].name, "invoice.pdf");
  EXPECT_EQ(m.attachments[1].data, "first pdf");
  EXPECT_EQ(m.attachments[2].name, "invoice.pdf");
  EXPECT_EQ(m.attachments[2].data, "second pdf, same name");
  // The inline image sits in multipart/related with the HTML, the files in multipart/mixed.
  EXPECT_NE(raw.find("multipart/related"), std::string::npos);
  EXPECT_NE(raw.find("Content-ID: <logo@lab.test>"), std::string::npos);
  // Read-only: no flag was set on the original.
  EXPECT_TRUE(memory_->messages("INBOX").front().flags.empty());
  EXPECT_EQ(memory_->calls(mail::MemoryMailStore::Call::kAddFlags), 0u);
}

TEST_F(ForwardEmail, TextOnlyOriginalIsForwardedReadable) {
  memory_->deliver("INBOX", text_original("plain-1@lab.test"));
  smtp_plays(accepting_server(1));
  const ActionResult r = forward({{"message-id-of-the-email-to-forward", "plain-1@lab.test"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "Email was forwarded successfully.");
  EXPECT_TRUE(r.json_result.is_null());
  const mime::Message m = mime::parse_message(sent_message());
  EXPECT_NE(m.html_body.find("Line &lt;one&gt; &amp; more<br>\nLine two"), std::string::npos) << m.html_body;
  EXPECT_NE(m.text_body.find("Line <one> & more"), std::string::npos) << m.text_body;
}

TEST_F(ForwardEmail, LocalFilesComeAfterTheOriginalsAttachments) {
  memory_->deliver("INBOX", multipart_original());
  testing::write_file(dir_.path() / "notes.txt", "analyst notes");
  smtp_plays(accepting_server(1));
  const ActionResult r = forward({{"message-id-of-the-email-to-forward", "<orig-1@lab.test>"},
                                  {"attachment-paths", (dir_.path() / "notes.txt").string()}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  const mime::Message m = mime::parse_message(sent_message());
  ASSERT_EQ(m.attachments.size(), 4u);
  EXPECT_EQ(m.attachments[3].name, "notes.txt");
  EXPECT_EQ(m.attachments[3].data, "analyst notes");
}

TEST_F(ForwardEmail, FirstMatchIsFirstFolderThenLowestUid) {
  memory_->create_folder("Archive");
  memory_->deliver("INBOX", text_original("other@lab.test"));
  memory_->deliver("Archive", text_original("dup@lab.test") + "archive copy 1\r\n");
  memory_->deliver("Archive", text_original("dup@lab.test") + "archive copy 2\r\n");
  memory_->deliver("INBOX", text_original("dup@lab.test") + "inbox copy\r\n");
  smtp_plays(accepting_server(1));
  const ActionResult r = forward(
      {{"message-id-of-the-email-to-forward", "<dup@lab.test>"}, {"folder-name", "Archive, INBOX, Archive, inbox"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_NE(sent_message().find("archive copy 1"), std::string::npos);
}

TEST_F(ForwardEmail, SubstringOfAMessageIdIsNotAMatch) {
  memory_->deliver("INBOX", text_original("abc-orig-1@lab.test"));
  const ActionResult r = forward({{"message-id-of-the-email-to-forward", "orig-1@lab.test"}});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.output_message, "Failed to find email to forward!");
  EXPECT_FALSE(r.is_success);
  EXPECT_EQ(r.state, ExecutionState::kCompleted);
  EXPECT_EQ(smtp_connections_, 0);
}

TEST_F(ForwardEmail, MissingFolderFailsBeforeAnySearch) {
  memory_->deliver("INBOX", text_original("x@lab.test"));
  const ActionResult r = forward({{"message-id-of-the-email-to-forward", "x@lab.test"}, {"folder-name", "Inbox,Nope"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, "Failed to forward the email! The Error is FOLDER_NOT_FOUND: Folder Nope not found");
  EXPECT_EQ(memory_->calls(mail::MemoryMailStore::Call::kFindByMessageId), 0u);
  EXPECT_EQ(smtp_connections_, 0);
}

TEST_F(ForwardEmail, OverLimitOriginalIsSizeLimit) {
  config_.max_message_mib = 1;
  memory_->deliver("INBOX", text_original("big@lab.test") + std::string(1024 * 1024 + 1, 'x'));
  const ActionResult r = forward({{"message-id-of-the-email-to-forward", "big@lab.test"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.error_code, ErrorCode::kSizeLimit);
  EXPECT_EQ(
      r.output_message.rfind("Failed to forward the email! The Error is SIZE_LIMIT: the message big@lab.test is ", 0),
      0u)
      << r.output_message;
  EXPECT_EQ(smtp_connections_, 0);
}

TEST_F(ForwardEmail, ImapErrorsAreReportedWithTheTemplate) {
  memory_->fail_call(mail::MemoryMailStore::Call::kConnect, 1,
                     Error(ErrorCode::kAuthFailed, "IMAP server rejected AUTHENTICATE: [AUTHENTICATIONFAILED] no"));
  const ActionResult r = forward({{"message-id-of-the-email-to-forward", "x@lab.test"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "Failed to forward the email! The Error is AUTH_FAILED: IMAP server rejected AUTHENTICATE: "
            "[AUTHENTICATIONFAILED] no");
}

TEST_F(ForwardEmail, UnreadableLocalFileStopsBeforeImapAndSmtp) {
  const ActionResult r = forward(
      {{"message-id-of-the-email-to-forward", "x@lab.test"}, {"attachment-paths", (dir_.path() / "missing").string()}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.error_code, ErrorCode::kIoError);
  EXPECT_EQ(memory_->connections(), 0u);
  EXPECT_EQ(smtp_connections_, 0);
}

TEST(UniqueFolders, InboxInAnyCaseIsOneFolderOthersAreExact) {
  EXPECT_EQ(mailbox::unique_folders({"Inbox", "INBOX", "inbox", "Archive", "archive", "Archive"}),
            (std::vector<std::string>{"Inbox", "Archive", "archive"}));
}

}  // namespace
}  // namespace emailv2::actions::send_test
