// Forward Email end to end (CONTRACT §3.3): a multipart original with an inline image and two attachments of the
// same name is put in soc's INBOX, forwarded by the real binary, and the copy delivered to alice is checked.
#include <gtest/gtest.h>

#include "core/text.h"
#include "mime/digest.h"
#include "send_lab_support.h"

namespace emailv2::testing::send_lab {
namespace {

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR-lab-image-bytes", 32);

std::string multipart_original(const std::string& id) {
  return "From: =?UTF-8?B?0JHQvtCx?= <bob@lab.test>\r\n"
         "To: soc@lab.test, Alice <alice@lab.test>\r\n"
         "Cc: carol@lab.test\r\n"
         "Subject: =?UTF-8?Q?Rechnung_f=C3=A4llig?=\r\n"
         "Date: Mon, 26 Aug 2019 03:20:00 -0700\r\n"
         "Message-ID: <" +
         id +
         ">\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
         "--outer\r\n"
         "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n"
         "--rel\r\n"
         "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
         "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the logo\r\n"
         "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See <img src=\"cid:logo@lab.test\"></p>\r\n"
         "--alt--\r\n"
         "--rel\r\n"
         "Content-Type: image/png\r\n"
         "Content-ID: <logo@lab.test>\r\n"
         "Content-Disposition: inline; filename=\"logo.png\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         text::base64_encode(kPng) +
         "\r\n--rel--\r\n"
         "--outer\r\n"
         "Content-Type: application/pdf; name=\"invoice.pdf\"\r\n"
         "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         text::base64_encode("%PDF-1.4 first") +
         "\r\n"
         "--outer\r\n"
         "Content-Type: application/pdf; name=\"invoice.pdf\"\r\n"
         "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         text::base64_encode("%PDF-1.4 second, same name") +
         "\r\n"
         "--outer--\r\n";
}

class ForwardEmailLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!lab_available()) GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
  }
  Lab lab_;
};

TEST_F(ForwardEmailLab, MultipartWithInlineImageAndSameNameAttachments) {
  const std::string orig = unique_id("fwd-orig");
  append(4, multipart_original(orig));
  write_file(lab_.dir.path() / "notes.txt", "analyst notes\n");
  const auto r =
      lab_.run({"forward-email", "--message-id-of-the-email-to-forward", "<" + orig + ">", "--recipients", address(1),
                "--bcc", address(3), "--subject", "FW: Rechnung", "--content", "<p>Please check</p>",
                "--attachment-paths", "notes.txt", "--return-message-id-for-the-forwarded-email"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto env = r.envelope();
  const std::string id = env["json_result"]["message_id"];
  EXPECT_EQ(env["output_message"], "Mail was forwarded successfully. Mail message ID is: " + id);
  EXPECT_EQ(env["json_result"]["recipients"], address(1));

  const std::string raw = read_back(1, id);
  ASSERT_FALSE(raw.empty());
  EXPECT_EQ(header_section(raw).find(address(3)), std::string::npos);
  const mime::Message m = mime::parse_message(raw);
  EXPECT_EQ(m.raw_subject, "FW: Rechnung");
  EXPECT_EQ(m.html_body.rfind("<p>Please check</p><br><br>---------- Forwarded message ----------<br>", 0), 0u);
  EXPECT_NE(m.html_body.find("From: Боб &lt;bob@lab.test&gt;<br>"), std::string::npos) << m.html_body;
  EXPECT_NE(m.html_body.find("Date: Mon, Aug 26, 2019 at 3:20 AM -0700<br>"), std::string::npos);
  EXPECT_NE(m.html_body.find("Subject: Rechnung fällig<br>"), std::string::npos);
  EXPECT_NE(m.html_body.find("To: soc@lab.test, Alice &lt;alice@lab.test&gt;<br>"), std::string::npos);
  EXPECT_NE(m.html_body.find("Cc: carol@lab.test<br>"), std::string::npos);
  EXPECT_NE(m.html_body.find("<img src=\"cid:logo@lab.test\">"), std::string::npos);
  EXPECT_FALSE(m.text_body.empty());
  ASSERT_EQ(m.attachments.size(), 4u);
  EXPECT_EQ(m.attachments[0].content_id, std::optional<std::string>("logo@lab.test"));
  EXPECT_EQ(m.attachments[0].sha256, mime::sha256_hex(kPng));
  EXPECT_EQ(m.attachments[0].content_type, "image/png");
  EXPECT_EQ(m.attachments[1].name, "invoice.pdf");
  EXPECT_EQ(m.attachments[1].sha256, mime::sha256_hex("%PDF-1.4 first"));
  EXPECT_EQ(m.attachments[2].name, "invoice.pdf");
  EXPECT_EQ(m.attachments[2].sha256, mime::sha256_hex("%PDF-1.4 second, same name"));
  EXPECT_EQ(m.attachments[3].name, "notes.txt");
  EXPECT_EQ(m.attachments[3].sha256, mime::sha256_hex("analyst notes\n"));
  // The image is in multipart/related next to the HTML, so cid: resolves.
  const auto related = raw.find("multipart/related");
  ASSERT_NE(related, std::string::npos);
  EXPECT_LT(related, raw.find("Content-ID: <logo@lab.test>"));
  EXPECT_FALSE(read_back(3, id).empty());  // Bcc delivered
}

TEST_F(ForwardEmailLab, TextOnlyOriginalIsReadableAndNotMarkedSeen) {
  const std::string orig = unique_id("fwd-text");
  append(4, "From: bob@lab.test\r\nTo: soc@lab.test\r\nSubject: plain\r\nMessage-ID: <" + orig +
                ">\r\nDate: Tue, 27 Aug 2019 15:05:00 +0000\r\n\r\nFirst <line> & co\r\nSecond line\r\n");
  const auto r = lab_.run({"forward-email", "--message-id-of-the-email-to-forward", orig, "--recipients", address(1),
                           "--subject", "FW: plain", "--return-message-id-for-the-forwarded-email"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const mime::Message m = mime::parse_message(read_back(1, r.envelope()["json_result"]["message_id"]));
  EXPECT_NE(m.html_body.find("First &lt;line&gt; &amp; co<br>\nSecond line"), std::string::npos) << m.html_body;
  // Read-only: the original in soc's INBOX is still unseen.
  auto store = mailbox(4);
  auto uids = store->find_by_message_id("INBOX", orig, imap::lab::soon());
  ASSERT_TRUE(uids && uids->size() == 1);
  auto meta = store->fetch_metadata("INBOX", *uids, imap::lab::soon());
  ASSERT_TRUE(meta && meta->size() == 1);
  EXPECT_FALSE(meta->front().has_flag("\\Seen"));
  (void)store->close(imap::lab::soon());
}

TEST_F(ForwardEmailLab, NotFoundAndMissingFolder) {
  const auto nf = lab_.run({"forward-email", "--message-id-of-the-email-to-forward", unique_id("never"), "--recipients",
                            address(1), "--subject", "x"});
  EXPECT_EQ(nf.exit_code, 1) << nf.out << nf.err;
  EXPECT_EQ(nf.envelope()["output_message"], "Failed to find email to forward!");
  const auto nofolder =
      lab_.run({"forward-email", "--message-id-of-the-email-to-forward", unique_id("never"), "--folder-name",
                "Inbox, \"No Such Folder\"", "--recipients", address(1), "--subject", "x"});
  EXPECT_EQ(nofolder.exit_code, 2) << nofolder.out;
  EXPECT_EQ(nofolder.envelope()["output_message"],
            "Failed to forward the email! The Error is FOLDER_NOT_FOUND: Folder No Such Folder not found");
}

}  // namespace
}  // namespace emailv2::testing::send_lab
