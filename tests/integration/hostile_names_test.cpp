// The hostile-names suite through the real binary against the lab (issue 8 "Filesystem", CONTRACT §6.4): ≥ 200
// hostile attachment names (and hostile Message-IDs) APPENDed to a folder, then Download Email Attachments, Save Email
// Attachments to Case and `emailv2 parse --attachments-out`, into directories with pre-planted symlinks, hardlinks,
// FIFOs, files and directories. Afterwards the trees are walked without following links:
// 0 escapes, 0 overwrites, 0 symlink follows; every byte that was sent is found exactly once.
#include <gtest/gtest.h>

#include "actions/attachment_files.h"
#include "actions/download_email_attachments.h"
#include "download_lab_support.h"
#include "mime/digest.h"
#include "mime/parse_message.h"
#include "support/hostile_names_fs.h"
#include "support/hostile_names_mail.h"

namespace emailv2::testing::attach_lab {
namespace {

class HostileNamesLab : public AttachmentLab {
 protected:
  void SetUp() override {
    AttachmentLab::SetUp();
    if (IsSkipped()) return;
    set_ = hostile::mail_set(24);
    for (const auto& c : set_.contents) contents_.insert(c);
    work_ = dir_.path() / "work";
    root_ = work_ / "target";
    outside_ = work_ / "outside";
    fs::create_directories(work_);
  }

  // Planted entries: under the sanitised names of the first mail's first attachments (where a careless writer would
  // put them), plus classic names; `msgdirs` also plants in / over each mail's message directory.
  void plant(bool msgdirs) {
    const auto first = mime::parse_message(set_.mails[0]);
    std::vector<std::string> names{"_.._escape.txt", "escape.txt", "_etc_passwd", "planted.txt", "fifo"};
    for (std::size_t i = 0; i < 40 && i < first.attachments.size(); ++i) {
      names.push_back(actions::disk_name(first.attachments[i].name));
    }
    hostile::plant(root_, outside_, names);
    if (msgdirs) {
      for (std::size_t m = 0; m < set_.mails.size(); ++m) {
        const auto parsed = mime::parse_message(set_.mails[m]);
        const fs::path dir = root_ / actions::disk_name(actions::message_directory_name(parsed.message_id, "x", 0));
        if (m == 1) {
          fs::create_directory_symlink(outside_, dir);
        } else if (m == 2) {
          hostile::write_bytes(dir, "a file where a message directory goes");
        } else if (!fs::exists(fs::symlink_status(dir))) {
          std::vector<std::string> inner;
          for (std::size_t i = 0; i < 20 && i < parsed.attachments.size(); ++i) {
            inner.push_back(actions::disk_name(parsed.attachments[i].name));
          }
          hostile::plant(dir, outside_ / ("m" + std::to_string(m)), inner);
        }
      }
    }
    root_before_ = hostile::snapshot(root_);
    outside_before_ = hostile::snapshot(outside_);
    work_before_ = hostile::listing(work_);
  }

  std::map<std::string, std::string> check() {
    return hostile::expect_contained(root_, root_before_, outside_, outside_before_, work_, work_before_, contents_);
  }

  hostile::HostileMailSet set_;
  std::set<std::string> contents_;
  fs::path work_, root_, outside_;
  std::map<std::string, hostile::Entry> root_before_, outside_before_;
  std::set<std::string> work_before_;
};

TEST_F(HostileNamesLab, DownloadThroughTheBinary) {
  ASSERT_GE(set_.contents.size(), 200u);
  const std::string folder = folder_with(set_.mails, "hostile names");
  plant(true);
  const auto r = emailv2({"download-email-attachments", "--folder-name", folder, "--download-path", root_.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 3000) << r.err.substr(0, 3000);
  const auto created = check();
  EXPECT_EQ(created.size(), set_.contents.size()) << "one new file per attachment";
  std::set<std::string> found;
  for (const auto& [rel, bytes] : created) found.insert(bytes);
  EXPECT_EQ(found, contents_) << "every attachment's bytes on disk exactly once";
  const auto envelope = r.envelope();
  const auto& files = envelope["json_result"]["attachments"];
  ASSERT_EQ(files.size(), set_.contents.size());
  for (const auto& f : files) {
    const fs::path rel = fs::path(f["path"].get<std::string>()).lexically_relative(root_);
    EXPECT_EQ(std::distance(rel.begin(), rel.end()), 2) << rel;
    ASSERT_EQ(created.count(rel.string()), 1u) << rel;
    EXPECT_EQ(mime::digests_of(created.at(rel.string())).sha256, f["sha256"]);
  }
}

TEST_F(HostileNamesLab, ParseAttachmentsOutThroughTheBinary) {
  plant(false);
  std::size_t written = 0;
  for (std::size_t m = 0; m < set_.mails.size(); ++m) {
    const fs::path eml = dir_.path() / ("hostile-" + std::to_string(m) + ".eml");
    write_file(eml, set_.mails[m]);
    const auto r = run_cli({"parse", eml.string(), "--attachments-out", root_.string()}, {}, dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 2000);
    const auto envelope = r.envelope();
    const auto& files = envelope["json_result"]["written_files"];
    for (const auto& f : files) {
      EXPECT_EQ(fs::path(f["path"].get<std::string>()).parent_path(), root_);
      EXPECT_FALSE(f["reused"].get<bool>());
    }
    written += files.size();
  }
  const auto created = check();
  EXPECT_EQ(written, set_.contents.size());
  EXPECT_EQ(created.size(), set_.contents.size());
}

TEST_F(HostileNamesLab, SaveThroughTheBinaryKeepsNamesVerbatim) {
  const std::string folder = folder_with(set_.mails, "hostile save");
  const auto ids = seed_case(store_path(), {set_.ids[0]});
  const std::string case_id = std::to_string(ids[0]);
  const auto before = hostile::listing(dir_.path());
  std::multiset<std::pair<std::string, std::string>> expected;
  for (std::size_t m = 0; m < set_.mails.size(); ++m) {
    const auto r = emailv2({"save-email-attachments-to-case", "--folder-name", folder, "--message-id", set_.ids[m]},
                           {"--case-id", case_id});
    ASSERT_EQ(r.exit_code, 0) << set_.ids[m] << ": " << r.out.substr(0, 1000);
    for (const auto& att : mime::parse_message(set_.mails[m]).attachments) expected.insert({att.name, att.sha256});
  }
  const auto show = run_cli({"--store", store_path().string(), "cases", "show", case_id}, {}, dir_.path());
  ASSERT_EQ(show.exit_code, 0);
  std::multiset<std::pair<std::string, std::string>> stored;
  const auto detail = nlohmann::json::parse(show.out);
  for (const auto& w : detail["wall"]) {
    stored.insert({w["file_name"].get<std::string>(), w["sha256"].get<std::string>()});
  }
  EXPECT_EQ(stored, expected);
  EXPECT_GE(stored.size(), 200u);
  auto after = hostile::listing(dir_.path());
  after.erase("cases.sqlite-wal");
  after.erase("cases.sqlite-shm");
  EXPECT_EQ(after, before) << "Save writes no file";
}

}  // namespace
}  // namespace emailv2::testing::attach_lab
