// IMAP commands against the lab's Dovecot: non-ASCII and quoted folder names, search, batched fetch, store,
// move with and without MOVE / UIDPLUS, and fetching 10,000 messages.
#include <gtest/gtest.h>

#include <chrono>

#include "imap/commands/fetch.h"
#include "imap/commands/list.h"
#include "imap/commands/move.h"
#include "imap/commands/search.h"
#include "imap/commands/select.h"
#include "imap/commands/store.h"
#include "imap_lab_support.h"

namespace emailv2::imap::commands {
namespace {

std::vector<std::uint32_t> all_uids(Session& s) {
  auto uids = uid_search(s, {}, lab::soon());
  EXPECT_TRUE(uids) << uids.error().to_string();
  return uids ? *uids : std::vector<std::uint32_t>{};
}

TEST(ImapLabCommands, NonAsciiAndQuotedFolderNamesRoundTrip) {
  auto s = lab::connect(lab::options());
  ASSERT_TRUE(s);
  const std::string utf8 = lab::unique_folder("\xC3\x89t\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC");
  const std::string quoted = lab::unique_folder("Space \"quoted\" name");
  ASSERT_TRUE(lab::create(*s, utf8));
  ASSERT_TRUE(lab::create(*s, quoted));
  auto folders = list_folders(*s, lab::soon());
  ASSERT_TRUE(folders) << folders.error().to_string();
  int found = 0;
  bool sent_special_use = false;
  for (const auto& f : *folders) {
    if (f.name == utf8 || f.name == quoted) ++found;
    if (f.has_attribute("\\Sent")) sent_special_use = true;
  }
  EXPECT_EQ(found, 2);
  EXPECT_TRUE(sent_special_use);
  auto listed = find_folder(*s, quoted, lab::soon());
  ASSERT_TRUE(listed && *listed);
  auto st = select(*s, utf8, Access::kReadOnly, lab::soon());
  ASSERT_TRUE(st) << st.error().to_string();
  EXPECT_TRUE(st->read_only);
  EXPECT_EQ(st->exists, 0u);
  EXPECT_TRUE(st->uid_validity);
  auto inbox = select(*s, "Inbox", Access::kReadOnly, lab::soon());
  EXPECT_TRUE(inbox) << inbox.error().to_string();
  auto missing = select(*s, lab::unique_folder("Missing"), Access::kReadWrite, lab::soon());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kFolderNotFound);
  EXPECT_TRUE(lab::remove(*s, utf8));
  EXPECT_TRUE(lab::remove(*s, quoted));
}

TEST(ImapLabCommands, SearchFetchAndStore) {
  auto s = lab::connect(lab::options());
  ASSERT_TRUE(s);
  const std::string folder = lab::unique_folder("Search");
  ASSERT_TRUE(lab::create(*s, folder));
  ASSERT_TRUE(lab::append_all(*s, folder,
                              {lab::message("=?UTF-8?Q?Caf=C3=A9_=C3=9Cn=C3=AFcode?=", "one", "one@lab.test"),
                               lab::message("Plain \"quoted\" subject", "two", "two@lab.test"),
                               lab::message("Other", std::string(6000, 'x'), "three@lab.test")}));
  auto st = select(*s, folder, Access::kReadWrite, lab::soon());
  ASSERT_TRUE(st) << st.error().to_string();
  EXPECT_EQ(st->exists, 3u);
  const auto uids = all_uids(*s);
  ASSERT_EQ(uids.size(), 3u);

  wire::SearchCriteria utf8;
  utf8.subject = "Caf\xC3\xA9";
  auto hit = uid_search(*s, utf8, lab::soon());
  ASSERT_TRUE(hit) << hit.error().to_string();
  EXPECT_EQ(*hit, (std::vector<std::uint32_t>{uids[0]}));
  wire::SearchCriteria quoted;
  quoted.subject = "\"quoted\"";
  EXPECT_EQ(uid_search(*s, quoted, lab::soon()).value(), (std::vector<std::uint32_t>{uids[1]}));
  wire::SearchCriteria by_id;
  by_id.headers.push_back({"Message-ID", "three@lab.test"});
  EXPECT_EQ(uid_search(*s, by_id, lab::soon()).value(), (std::vector<std::uint32_t>{uids[2]}));

  FetchRequest req;
  req.uids = uids;
  req.items = {true, true, true, {"", "HEADER.FIELDS (MESSAGE-ID)"}};
  req.memory_limit = 4096;  // the third body spools
  std::vector<FetchedMessage> got;
  auto summary = uid_fetch(*s, req, [&](FetchedMessage&& m) {
    got.push_back(std::move(m));
    return ok();
  }, lab::soon());
  ASSERT_TRUE(summary) << summary.error().to_string();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(summary->missing.empty());
  EXPECT_NE(got[0].part("")->body.memory().find("one"), std::string::npos);
  EXPECT_NE(got[1].part("HEADER.FIELDS (MESSAGE-ID)")->body.memory().find("<two@lab.test>"), std::string::npos);
  EXPECT_TRUE(got[2].part("")->body.spooled());
  EXPECT_EQ(got[2].part("")->body.size(), *got[2].rfc822_size);
  EXPECT_TRUE(got[0].internal_date_epoch);
  for (const auto& m : got) {
    for (const auto& f : *m.flags) EXPECT_NE(f, "\\Seen");  // BODY.PEEK never sets \Seen
  }
  ASSERT_TRUE(uid_store(*s, wire::UidSet::from({uids[1]}), FlagChange::kAdd, {"\\Seen", "$Forwarded"}, lab::soon()));
  wire::SearchCriteria unseen;
  unseen.unseen = true;
  EXPECT_EQ(uid_search(*s, unseen, lab::soon()).value(), (std::vector<std::uint32_t>{uids[0], uids[2]}));
  EXPECT_TRUE(lab::remove(*s, folder));
}

// Moves two messages from a fresh source to a fresh destination over `port_key`; returns the method used.
void move_over(const std::string& port_key, MoveMethod expected) {
  auto s = lab::connect(lab::options(port_key, 3));
  ASSERT_TRUE(s);
  const std::string source = lab::unique_folder("Move src");
  const std::string dest = lab::unique_folder("Move dst \xC3\xA9");
  ASSERT_TRUE(lab::create(*s, source));
  ASSERT_TRUE(lab::create(*s, dest));
  ASSERT_TRUE(lab::append_all(*s, source, {lab::message("a", "a", "a@x"), lab::message("b", "b", "b@x"),
                                           lab::message("c", "c", "c@x")}));
  ASSERT_TRUE(select(*s, source, Access::kReadWrite, lab::soon()));
  const auto uids = all_uids(*s);
  ASSERT_EQ(uids.size(), 3u);
  auto moved = uid_move(*s, wire::UidSet::from({uids[0], uids[1]}), dest, lab::soon());
  ASSERT_TRUE(moved) << moved.error().to_string();
  EXPECT_EQ(moved->method, expected);
  EXPECT_EQ(all_uids(*s), (std::vector<std::uint32_t>{uids[2]}));
  ASSERT_TRUE(select(*s, dest, Access::kReadOnly, lab::soon()));
  EXPECT_EQ(all_uids(*s).size(), 2u);
  if (expected != MoveMethod::kCopyStoreExpunge) {
    EXPECT_EQ(moved->copy.destination_uids.size(), 2u);
  }
  ASSERT_TRUE(select(*s, "INBOX", Access::kReadOnly, lab::soon()));
  EXPECT_TRUE(lab::remove(*s, source));
  EXPECT_TRUE(lab::remove(*s, dest));
}

TEST(ImapLabCommands, MoveWithMoveCapability) { move_over("LAB_IMAPS_PORT", MoveMethod::kMove); }
TEST(ImapLabCommands, MoveWithoutMoveUsesUidplus) {
  move_over("LAB_IMAPS_NOMOVE_PORT", MoveMethod::kCopyStoreUidExpunge);
}
TEST(ImapLabCommands, MoveWithoutUidplusAppliesTheSafetyRule) {
  move_over("LAB_IMAPS_NOUIDPLUS_PORT", MoveMethod::kCopyStoreExpunge);
}

TEST(ImapLabCommands, SafetyRuleRefusesWhenAnotherMessageIsFlaggedDeleted) {
  auto s = lab::connect(lab::options("LAB_IMAPS_NOUIDPLUS_PORT", 3));
  ASSERT_TRUE(s);
  ASSERT_FALSE(s->capabilities().has("UIDPLUS"));
  const std::string source = lab::unique_folder("Safety src");
  const std::string dest = lab::unique_folder("Safety dst");
  ASSERT_TRUE(lab::create(*s, source));
  ASSERT_TRUE(lab::create(*s, dest));
  ASSERT_TRUE(lab::append_all(*s, source, {lab::message("a", "a", "a@x"), lab::message("b", "b", "b@x")}));
  ASSERT_TRUE(select(*s, source, Access::kReadWrite, lab::soon()));
  const auto uids = all_uids(*s);
  ASSERT_EQ(uids.size(), 2u);
  ASSERT_TRUE(uid_store(*s, wire::UidSet::from({uids[1]}), FlagChange::kAdd, {"\\Deleted"}, lab::soon()));
  auto moved = uid_move(*s, wire::UidSet::from({uids[0]}), dest, lab::soon());
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code(), ErrorCode::kCapabilityMissing);
  EXPECT_EQ(all_uids(*s), uids);  // nothing expunged
  wire::SearchCriteria deleted;
  deleted.deleted = true;
  EXPECT_EQ(uid_search(*s, deleted, lab::soon()).value(), (std::vector<std::uint32_t>{uids[1]}));  // ours un-flagged
  ASSERT_TRUE(select(*s, "INBOX", Access::kReadOnly, lab::soon()));  // deleting the selected folder ends the session
  auto removed_source = lab::remove(*s, source);
  EXPECT_TRUE(removed_source) << removed_source.error().to_string();
  auto removed_dest = lab::remove(*s, dest);
  EXPECT_TRUE(removed_dest) << removed_dest.error().to_string();
}

TEST(ImapLabCommands, FetchesTenThousandMessages) {
  constexpr std::size_t kCount = 10'000;
  auto s = lab::connect(lab::options("LAB_IMAPS_PORT", 2));
  ASSERT_TRUE(s);
  const std::string folder = lab::unique_folder("Bulk");
  ASSERT_TRUE(lab::create(*s, folder));
  std::vector<std::string> messages;
  for (std::size_t i = 0; i < kCount; ++i) {
    messages.push_back(lab::message("bulk " + std::to_string(i), std::string(400, 'a' + static_cast<char>(i % 26)),
                                    "bulk-" + std::to_string(i) + "@lab.test"));
  }
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(lab::append_all(*s, folder, messages));
  const auto t1 = std::chrono::steady_clock::now();
  ASSERT_TRUE(select(*s, folder, Access::kReadOnly, lab::soon()));
  const auto uids = all_uids(*s);
  ASSERT_EQ(uids.size(), kCount);
  FetchRequest req;
  req.uids = uids;
  req.items.body_sections = {""};
  std::size_t delivered = 0;
  std::uint64_t bytes = 0;
  auto summary = uid_fetch(*s, req, [&](FetchedMessage&& m) {
    ++delivered;
    bytes += m.part("")->body.size();
    return ok();
  }, lab::soon(300));
  const auto t2 = std::chrono::steady_clock::now();
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(delivered, kCount);
  EXPECT_TRUE(summary->missing.empty());
  const double fetch_s = std::chrono::duration<double>(t2 - t1).count();
  std::printf("appended %zu messages in %.2f s; searched + fetched %zu bodies (%.1f MB) in %.2f s = %.0f msg/s\n",
              kCount, std::chrono::duration<double>(t1 - t0).count(), delivered, static_cast<double>(bytes) / 1e6,
              fetch_s, static_cast<double>(delivered) / fetch_s);
  ASSERT_TRUE(select(*s, "INBOX", Access::kReadOnly, lab::soon()));
  EXPECT_TRUE(lab::remove(*s, folder));
}

}  // namespace
}  // namespace emailv2::imap::commands
