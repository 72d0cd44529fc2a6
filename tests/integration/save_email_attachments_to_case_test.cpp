// Save Email Attachments to Case end to end: the real emailv2 binary against the mail lab and a real case store; the
// result checked with `emailv2 cases show` / `cases attachment` (bytes and SHA-256 in the store), idempotence,
// the case/alert context rules and exit codes of CONTRACT §3.8, no \Seen.
#include <gtest/gtest.h>

#include "download_lab_support.h"
#include "mime/digest.h"
#include "support/hostile_names_mail.h"

namespace emailv2::testing::attach_lab {
namespace {

using hostile::Part;

class SaveLab : public AttachmentLab {};

TEST_F(SaveLab, AttachmentsLandOnTheCaseWallOnce) {
  const std::string id = unique_id("save");
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(255 - i);
  const std::vector<Part> parts = {{"invoice.pdf", "%PDF invoice"}, {"payload.bin", binary},
                                   {"invoice.pdf", "%PDF other invoice"}};
  deliver(hostile::mail(id, "Phish with files", parts));
  const auto ids = seed_case(store_path(), {id});
  const std::string case_id = std::to_string(ids[0]);
  const auto r = emailv2({"save-email-attachments-to-case", "--folder-name", "Inbox"}, {"--case-id", case_id});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"],
            "Successfully saved the following attachments from the email " + id + ": invoice.pdf, payload.bin");
  EXPECT_EQ(r.envelope()["json_result"]["emails"][0]["message_id"], id);

  const auto show = run_cli({"--store", store_path().string(), "cases", "show", case_id}, {}, dir_.path());
  ASSERT_EQ(show.exit_code, 0) << show.out;
  const auto wall = nlohmann::json::parse(show.out)["wall"];
  ASSERT_EQ(wall.size(), 3u) << wall;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(wall[i]["file_name"], parts[i].name);
    EXPECT_EQ(wall[i]["sha256"], mime::digests_of(parts[i].data).sha256);
    EXPECT_EQ(wall[i]["size"], parts[i].data.size());
    EXPECT_EQ(wall[i]["added_by"], "save-email-attachments-to-case");
    EXPECT_EQ(wall[i]["description"], "Email attachment (" + id + ")");
    EXPECT_EQ(wall[i]["alert_id"], ids[1]);
  }
  const fs::path exported = dir_.path() / "payload.out";
  const auto att = run_cli({"--store", store_path().string(), "cases", "attachment",
                            std::to_string(wall[1]["attachment_id"].get<std::int64_t>()), "--out", exported.string()},
                           {}, dir_.path());
  ASSERT_EQ(att.exit_code, 0) << att.out;
  EXPECT_EQ(read_file(exported), binary);

  // Again, by explicit Message ID and name: nothing new on the wall, still a success.
  const auto again = emailv2({"save-email-attachments-to-case", "--folder-name", "Inbox", "--message-id", id,
                              "--attachment-name", "payload.bin"},
                             {"--case-id", case_id});
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(again.envelope()["output_message"],
            "Successfully saved the following attachments from the email " + id + ": payload.bin");
  const auto show2 = run_cli({"--store", store_path().string(), "cases", "show", case_id}, {}, dir_.path());
  EXPECT_EQ(nlohmann::json::parse(show2.out)["wall"].size(), 3u);
  EXPECT_TRUE(flags_of("INBOX", id).empty()) << "read-only: no \\Seen";
}

TEST_F(SaveLab, ContextRulesAndOutcomes) {
  const std::string with_files = unique_id("files");
  const std::string without = unique_id("nofiles");
  const std::string folder = folder_with({hostile::mail(with_files, "s", {{"a.txt", "A"}}),
                                          hostile::mail(without, "s", {})});
  const auto ids = seed_case(store_path(), {without});
  const std::string case_id = std::to_string(ids[0]);

  auto r = emailv2({"save-email-attachments-to-case", "--folder-name", folder});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_EQ(r.envelope()["output_message"],
            "Missing mandatory parameter --case-id (Save Email Attachments to Case needs a case context)");

  r = emailv2({"save-email-attachments-to-case", "--folder-name", folder}, {"--case-id", "999999"});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_EQ(r.envelope()["output_message"], "Case 999999 not found in the case store");

  r = emailv2({"save-email-attachments-to-case", "--folder-name", folder}, {"--case-id", case_id});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.envelope()["output_message"], "No attachments have been found!");

  r = emailv2({"save-email-attachments-to-case", "--folder-name", folder, "--message-id", with_files,
               "--attachment-to-save", "A.TXT"},
              {"--case-id", case_id});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.envelope()["output_message"],
            "Failed to save the email attachments to the case, the error is: Attachment \"A.TXT\" was not found in "
            "the email " + with_files);

  r = emailv2({"save-email-attachments-to-case", "--folder-name", folder, "--message-id", "<nobody@lab.test>"},
              {"--case-id", case_id});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.envelope()["output_message"],
            "Failed to save the email attachments to the case, the error is: Email with message ID <nobody@lab.test> "
            "was not found in folder(s) " + folder);

  r = emailv2({"save-email-attachments-to-case", "--folder-name", "No such folder", "--message-id", with_files},
              {"--case-id", case_id});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.envelope()["output_message"],
            "Failed to save the email attachments to the case, the error is: FOLDER_NOT_FOUND: Folder No such folder "
            "not found");
}

}  // namespace
}  // namespace emailv2::testing::attach_lab
