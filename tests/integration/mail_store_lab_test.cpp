// ImapMailStore against the lab (EMAILV2_LAB_DIR): exact time filter, exact Message-ID lookup, move/delete in a
// non-INBOX folder, read-only access, missing folders, over-limit fetches.

#include <gtest/gtest.h>

#include "imap_lab_support.h"
#include "mail/dry_run_mail_store.h"
#include "mail/imap_mail_store.h"

namespace emailv2::mail {
namespace {

namespace lab = imap::lab;
using namespace std::chrono_literals;

TimePoint at(int y, unsigned m, unsigned d, std::chrono::seconds s) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) + s;
}

class MailStoreLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::lab_available()) {
      GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
    }
    admin_ = lab::connect(lab::options());
    ASSERT_TRUE(admin_);
    folder_ = lab::unique_folder("mailstore src");
    ASSERT_TRUE(lab::create(*admin_, folder_));
    store_ = std::make_unique<ImapMailStore>([](Deadline d) { return imap::Session::connect(lab::options(), d); });
  }
  void TearDown() override {
    if (store_) {
      EXPECT_TRUE(store_->close(lab::soon()));
    }
    if (admin_) {
      for (const auto& f : created_) (void)lab::remove(*admin_, f);
      (void)lab::remove(*admin_, folder_);
      (void)admin_->logout(lab::soon());
    }
  }
  // APPEND with an explicit INTERNALDATE ("10-May-2024 11:59:59 +0000"); no flags.
  void append(const std::string& folder, const std::string& bytes, const std::string& date = {}) {
    imap::wire::CommandBuilder b("APPEND", admin_->capabilities().has("LITERAL+"));
    b.mailbox(folder);
    if (!date.empty()) b.string(date);
    b.literal(bytes);
    auto c = b.build();
    ASSERT_TRUE(c);
    auto r = admin_->run(*c, {}, lab::soon());
    ASSERT_TRUE(r) << r.error().to_string();
  }
  std::string other_folder(const std::string& prefix) {
    created_.push_back(lab::unique_folder(prefix));
    EXPECT_TRUE(lab::create(*admin_, created_.back()));
    return created_.back();
  }
  std::vector<std::uint32_t> all(const std::string& folder) {
    auto r = store_->search(folder, SearchCriteria::all(), lab::soon());
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : std::vector<std::uint32_t>{};
  }

  std::unique_ptr<imap::Session> admin_;
  std::unique_ptr<ImapMailStore> store_;
  std::string folder_;
  std::vector<std::string> created_;
};

TEST_F(MailStoreLab, ExactTimeFilterExcludesOlderMailOnTheSameDay) {
  append(folder_, lab::message("day before", "x", "t1@lab.test"), "09-May-2024 23:59:59 +0000");
  append(folder_, lab::message("one second early", "x", "t2@lab.test"), "10-May-2024 11:59:59 +0000");
  append(folder_, lab::message("at cutoff", "x", "t3@lab.test"), "10-May-2024 12:00:00 +0000");
  append(folder_, lab::message("east of cutoff", "x", "t4@lab.test"), "10-May-2024 14:00:00 +0200");  // 12:00Z
  append(folder_, lab::message("next day", "x", "t5@lab.test"), "11-May-2024 00:00:01 +0000");
  SearchCriteria c;
  c.received_since = at(2024, 5, 10, 12h);
  auto uids = store_->search(folder_, c, lab::soon());
  ASSERT_TRUE(uids) << uids.error().to_string();
  EXPECT_EQ(*uids, (std::vector<std::uint32_t>{3, 4, 5}));
  c.subject = "cutoff";
  EXPECT_EQ(*store_->search(folder_, c, lab::soon()), (std::vector<std::uint32_t>{3, 4}));
}

TEST_F(MailStoreLab, MessageIdLookupRejectsSubstringMatches) {
  append(folder_, lab::message("longer", "x", "xabc@lab.test.example"));
  append(folder_, lab::message("exact", "x", "abc@lab.test"));
  append(folder_, lab::message("upper", "x", "ABC@lab.test"));
  for (const char* id : {"abc@lab.test", "<abc@lab.test>", "  <abc@lab.test> "}) {
    auto found = store_->find_by_message_id(folder_, id, lab::soon());
    ASSERT_TRUE(found) << found.error().to_string();
    EXPECT_EQ(*found, (std::vector<std::uint32_t>{2})) << id;
  }
  EXPECT_TRUE(store_->find_by_message_id(folder_, "bc@lab.test", lab::soon())->empty());
  EXPECT_TRUE(store_->find_by_message_id(folder_, "<>", lab::soon())->empty());
  EXPECT_EQ(store_->find_by_message_id(folder_, "a\r\nb", lab::soon()).error().code(), ErrorCode::kParamInvalid);
}

TEST_F(MailStoreLab, MoveAndDeleteTouchExactlyTheRightMessage) {
  const std::string dest = other_folder("mailstore dest");
  for (int i = 1; i <= 4; ++i) append(folder_, lab::message("m" + std::to_string(i), "x", "m" + std::to_string(i) + "@lab.test"));
  auto moved = store_->move(folder_, {2, 77}, dest, lab::soon());
  ASSERT_TRUE(moved) << moved.error().to_string();
  ASSERT_EQ(moved->moved.size(), 1U);  // UID 77 never existed
  EXPECT_EQ(moved->moved[0].uid, 2U);
  ASSERT_TRUE(moved->moved[0].destination_uid);  // the lab has UIDPLUS
  EXPECT_EQ(all(folder_), (std::vector<std::uint32_t>{1, 3, 4}));
  EXPECT_EQ(*store_->find_by_message_id(dest, "m2@lab.test", lab::soon()),
            (std::vector<std::uint32_t>{*moved->moved[0].destination_uid}));

  auto deleted = store_->delete_messages(folder_, {3, 99}, lab::soon());
  ASSERT_TRUE(deleted) << deleted.error().to_string();
  EXPECT_EQ(*deleted, (std::vector<std::uint32_t>{3}));
  EXPECT_EQ(all(folder_), (std::vector<std::uint32_t>{1, 4}));
  EXPECT_EQ(all(dest).size(), 1U);
  EXPECT_TRUE(store_->delete_messages(folder_, {3}, lab::soon())->empty());
}

TEST_F(MailStoreLab, MissingFoldersAreFolderNotFoundAndChangeNothing) {
  append(folder_, lab::message("stay", "x", "stay@lab.test"));
  EXPECT_EQ(store_->open_folder(folder_ + " nope", Access::kReadOnly, lab::soon()).error().code(),
            ErrorCode::kFolderNotFound);
  auto moved = store_->move(folder_, {1}, folder_ + " nope", lab::soon());
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code(), ErrorCode::kFolderNotFound);
  EXPECT_EQ(all(folder_), (std::vector<std::uint32_t>{1}));
  auto inbox = store_->open_folder("inbox", Access::kReadOnly, lab::soon());
  ASSERT_TRUE(inbox) << inbox.error().to_string();
  EXPECT_TRUE(inbox->read_only);
  EXPECT_NE(inbox->uid_validity, 0U);
}

TEST_F(MailStoreLab, ReadOnlyAccessChangesNoFlagsAndOverLimitGivesHeaders) {
  append(folder_, lab::message("small", "tiny", "s@lab.test"));
  append(folder_, lab::message("big", std::string(5000, 'b'), "b@lab.test"));
  std::vector<std::pair<std::uint32_t, bool>> seen;
  auto report = store_->fetch_messages(
      folder_, {1, 2, 3}, 1000,
      [&](StoredMessage&& m) -> Status {
        auto bytes = m.bytes.read_all();
        EXPECT_TRUE(bytes);
        const bool has_body = bytes->find(m.over_limit ? "bbbb" : "tiny") != std::string::npos;
        EXPECT_EQ(has_body, !m.over_limit);
        seen.emplace_back(m.metadata.uid, m.over_limit);
        return ok();
      },
      lab::soon());
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(seen, (std::vector<std::pair<std::uint32_t, bool>>{{1, false}, {2, true}}));
  EXPECT_EQ(report->missing, (std::vector<std::uint32_t>{3}));
  auto headers = store_->fetch_headers(folder_, {2}, lab::soon());
  ASSERT_TRUE(headers);
  EXPECT_NE(headers->at(0).header.find("Subject: big"), std::string::npos);
  auto metadata = store_->fetch_metadata(folder_, {1, 2}, lab::soon());
  ASSERT_TRUE(metadata);
  for (const auto& m : *metadata) EXPECT_FALSE(m.has_flag("\\Seen")) << m.uid;
  SearchCriteria unseen;
  unseen.unseen = true;
  EXPECT_EQ(*store_->search(folder_, unseen, lab::soon()), (std::vector<std::uint32_t>{1, 2}));

  ASSERT_TRUE(store_->add_flags(folder_, {2}, {"\\Seen"}, lab::soon()));
  EXPECT_EQ(*store_->search(folder_, unseen, lab::soon()), (std::vector<std::uint32_t>{1}));
}

TEST_F(MailStoreLab, ListsSpecialUseFolders) {
  auto folders = store_->list_folders(lab::soon());
  ASSERT_TRUE(folders) << folders.error().to_string();
  bool found_ours = false;
  for (const auto& f : *folders) found_ours = found_ours || f.name == folder_;
  EXPECT_TRUE(found_ours);
  auto found = store_->find_folder(folder_, lab::soon());
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->has_value());
}

TEST_F(MailStoreLab, DryRunMakesNoChange) {
  const std::string dest = other_folder("mailstore dry dest");
  append(folder_, lab::message("d1", "x", "d1@lab.test"));
  append(folder_, lab::message("d2", "x", "d2@lab.test"));
  DryRunMailStore dry(std::move(store_));
  auto info = dry.open_folder(folder_, Access::kReadWrite, lab::soon());
  ASSERT_TRUE(info) << info.error().to_string();
  EXPECT_TRUE(info->read_only);  // EXAMINE, not SELECT
  ASSERT_TRUE(dry.add_flags(folder_, {1}, {"\\Seen"}, lab::soon()));
  auto moved = dry.move(folder_, {1, 50}, dest, lab::soon());
  ASSERT_TRUE(moved) << moved.error().to_string();
  ASSERT_EQ(moved->moved.size(), 1U);
  EXPECT_FALSE(moved->moved[0].destination_uid);
  EXPECT_EQ(dry.move(folder_, {1}, dest + " nope", lab::soon()).error().code(), ErrorCode::kFolderNotFound);
  EXPECT_EQ(*dry.delete_messages(folder_, {2, 60}, lab::soon()), (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(*dry.search(folder_, SearchCriteria::all(), lab::soon()), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_TRUE(dry.search(dest, SearchCriteria::all(), lab::soon())->empty());
  auto metadata = dry.fetch_metadata(folder_, {1, 2}, lab::soon());
  ASSERT_TRUE(metadata);
  for (const auto& m : *metadata) EXPECT_FALSE(m.has_flag("\\Seen") || m.has_flag("\\Deleted")) << m.uid;
  EXPECT_TRUE(dry.close(lab::soon()));
}

TEST_F(MailStoreLab, DeleteWithoutUidplusFollowsTheSafetyRule) {
  if (testing::lab("LAB_IMAPS_NOUIDPLUS_PORT").empty()) GTEST_SKIP() << "lab has no NOUIDPLUS port";
  ImapMailStore plain([](Deadline d) { return imap::Session::connect(lab::options("LAB_IMAPS_NOUIDPLUS_PORT"), d); });
  for (int i = 1; i <= 3; ++i) append(folder_, lab::message("n" + std::to_string(i), "x", "n" + std::to_string(i) + "@lab.test"));
  ASSERT_TRUE(plain.add_flags(folder_, {1}, {"\\Deleted"}, lab::soon()));  // someone else's pending deletion
  auto refused = plain.delete_messages(folder_, {2}, lab::soon());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kCapabilityMissing);
  EXPECT_EQ(all(folder_), (std::vector<std::uint32_t>{1, 2, 3}));
  auto metadata = plain.fetch_metadata(folder_, {2}, lab::soon());
  ASSERT_TRUE(metadata);
  EXPECT_FALSE(metadata->at(0).has_flag("\\Deleted"));  // our flag was taken back

  auto admin_store = ImapMailStore([](Deadline d) { return imap::Session::connect(lab::options(), d); });
  ASSERT_TRUE(admin_store.delete_messages(folder_, {1}, lab::soon()));  // clears the foreign \Deleted
  auto deleted = plain.delete_messages(folder_, {2}, lab::soon());
  ASSERT_TRUE(deleted) << deleted.error().to_string();
  EXPECT_EQ(*deleted, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(*plain.search(folder_, SearchCriteria::all(), lab::soon()), (std::vector<std::uint32_t>{3}));
  EXPECT_TRUE(plain.close(lab::soon()));
  EXPECT_TRUE(admin_store.close(lab::soon()));
}

}  // namespace
}  // namespace emailv2::mail
