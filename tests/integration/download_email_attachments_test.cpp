// Download Email Attachments end to end: the real emailv2 binary against the mail lab (mail delivered over LMTP or
// APPENDed by the test), bytes and SHA-256 checked on disk, exit codes and messages of CONTRACT §3.9, no \Seen.
#include <gtest/gtest.h>

#include "download_lab_support.h"
#include "mime/digest.h"
#include "support/hostile_names_mail.h"

namespace emailv2::testing::attach_lab {
namespace {

using hostile::Part;

std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return s + std::string("\r\n.\r\nFrom \r\n", 12);
}

class DownloadLab : public AttachmentLab {};

TEST_F(DownloadLab, DeliveredMailBytesAndHashesOnDisk) {
  const std::string id = unique_id("download");
  const std::vector<Part> parts = {{"report.pdf", "%PDF-1.4 report"}, {"binary.bin", all_bytes()},
                                   {"../../../etc/cron.d/evil", "* * * * * root id"}, {"report.pdf", "second report"}};
  deliver(hostile::mail(id, "Invoice with attachments", parts));
  const fs::path out = dir_.path() / "downloads";
  const auto r = emailv2({"download-email-attachments", "--folder-name", "Inbox", "--message-id", id,
                          "--download-path", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = r.envelope();
  const fs::path msgdir = out / id.substr(1, id.size() - 2);
  const std::vector<fs::path> expected = {msgdir / "report.pdf", msgdir / "binary.bin", msgdir / "_.._.._etc_cron.d_evil",
                                          msgdir / "report (2).pdf"};
  std::string listing;
  for (const auto& p : expected) listing += (listing.empty() ? "" : "\n") + p.string();
  EXPECT_EQ(j["output_message"], "Downloaded 4 attachments. \n\nFiles:\n" + listing);
  const auto& files = j["json_result"]["attachments"];
  ASSERT_EQ(files.size(), parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(files[i]["path"], expected[i].string());
    EXPECT_EQ(files[i]["name"], parts[i].name);
    EXPECT_EQ(files[i]["message_id"], id);
    EXPECT_EQ(files[i]["folder"], "Inbox");
    EXPECT_EQ(read_file(expected[i]), parts[i].data) << expected[i];
    EXPECT_EQ(files[i]["sha256"], mime::digests_of(parts[i].data).sha256);
    EXPECT_EQ(files[i]["size"], parts[i].data.size());
  }
  EXPECT_TRUE(flags_of("INBOX", id).empty()) << "read-only: no \\Seen";
  // Again: every file reused, nothing new, same result.
  const auto again = emailv2({"download-email-attachments", "--folder-name", "Inbox", "--message-id", id,
                              "--download-path", out.string()});
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(again.envelope()["result_value"], j["result_value"]);
  EXPECT_EQ(std::distance(fs::directory_iterator(msgdir), fs::directory_iterator()), 4);
}

TEST_F(DownloadLab, FolderModeSubjectFilterAndUidDirectory) {
  std::string no_id = hostile::mail("<x@x>", "Quarterly numbers", {{"q.xlsx", "Q"}});
  no_id.erase(no_id.find("Message-ID: <x@x>\r\n"), 19);
  const std::string folder = folder_with({hostile::mail(unique_id("a"), "Quarterly numbers", {{"a.txt", "A"}}),
                                          hostile::mail(unique_id("b"), "Holiday photos", {{"b.jpg", "B"}}), no_id});
  const fs::path out = dir_.path() / "by subject";
  const auto r = emailv2({"download-email-attachments", "--folder-name", folder, "--subject-filter", "quarterly",
                          "--download-path", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto envelope = r.envelope();
  const auto& files = envelope["json_result"]["attachments"];
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0]["name"], "a.txt");
  EXPECT_EQ(files[1]["name"], "q.xlsx");
  const std::string uid_dir = "uid-" + mime::digests_of(folder).sha1.substr(0, 8) + "-3";
  EXPECT_EQ(files[1]["path"], (out / uid_dir / "q.xlsx").string());
  EXPECT_TRUE(files[1]["message_id"].is_null());
  EXPECT_EQ(read_file(out / uid_dir / "q.xlsx"), "Q");
}

TEST_F(DownloadLab, OutcomesAndExitCodes) {
  const std::string folder = folder_with({hostile::mail(unique_id("plain"), "no files", {})});
  const fs::path out = dir_.path() / "out";
  auto r = emailv2({"download-email-attachments", "--folder-name", folder, "--download-path", out.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.envelope()["output_message"], "No attachments found to download!");
  EXPECT_EQ(r.envelope()["result_value"], "");

  r = emailv2({"download-email-attachments", "--folder-name", folder + ",No such folder", "--download-path",
               out.string()});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.envelope()["output_message"],
            "failed to download email attachments, the error is: FOLDER_NOT_FOUND: Folder No such folder not found");

  write_file(dir_.path() / "a-file", "x");
  r = emailv2({"download-email-attachments", "--download-path", (dir_.path() / "a-file").string()});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_EQ(r.envelope()["error_code"], "PARAM_INVALID");

  r = emailv2({"download-attachments", "--folder-name", "Inbox", "--message-ids", "a@b\r\nX", "--download-path",
               out.string()});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_EQ(r.envelope()["output_message"],
            "Invalid value for parameter \"Message ID\": control characters (CR, LF, NUL) are not allowed");
}

TEST_F(DownloadLab, AllowedPathsFromTheConfiguration) {
  const fs::path allowed = dir_.path() / "allowed";
  fs::create_directory(allowed);
  write_file(config_, read_file(config_) + "\"Allowed Paths\" = \"" + allowed.string() + "\"\n");
  const auto r = emailv2({"download-email-attachments", "--download-path", (dir_.path() / "elsewhere").string()});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_EQ(r.envelope()["error_code"], "PATH_NOT_ALLOWED");
  EXPECT_FALSE(fs::exists(dir_.path() / "elsewhere"));
}

}  // namespace
}  // namespace emailv2::testing::attach_lab
