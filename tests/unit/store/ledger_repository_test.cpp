#include "store/ledger_repository.h"

#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::identity;
using testing::insert_ledger;
using testing::kT0;
using testing::ledger_entry;
using testing::open_or_die;

class LedgerTest : public ::testing::Test {
 protected:
  TempDir dir_;
  Database db_ = open_or_die(dir_.path() / "store.sqlite");
  LedgerRepository ledger_{db_};
};

TEST_F(LedgerTest, SecondInsertOfTheSameIdentityIsIgnored) {
  const LedgerId first = insert_ledger(db_, ledger_entry(7));
  LedgerEntry other = ledger_entry(7, "<different@lab.test>", std::string(64, 'b'));
  other.outcome = Outcome::kExcluded;
  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  auto again = ledger_.insert(*tx, other, kT0);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_FALSE(*again);
  ASSERT_TRUE(tx->commit());
  auto row = ledger_.find(identity(7));
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->ledger_id, first);
  EXPECT_EQ((*row)->entry.outcome, Outcome::kAlerted);  // unchanged
  EXPECT_EQ((*row)->entry.message_id, "<m@lab.test>");
}

TEST_F(LedgerTest, IdentityDiffersByEveryComponent) {
  insert_ledger(db_, ledger_entry(7));
  std::vector<MessageIdentity> variants(5, identity(7));
  variants[0].instance = "other";
  variants[1].account = "x@h:993";
  variants[2].folder = "Spam";
  variants[3].uidvalidity = 1;
  variants[4].uid = 8;
  for (const auto& id : variants) {
    LedgerEntry e = ledger_entry(0);
    e.identity = id;
    auto tx = db_.begin_write();
    ASSERT_TRUE(tx);
    auto inserted = ledger_.insert(*tx, e, kT0);
    ASSERT_TRUE(inserted && *inserted);
    ASSERT_TRUE(tx->commit());
  }
}

TEST_F(LedgerTest, RoundTripsEveryField) {
  LedgerEntry e = ledger_entry(9);
  e.message_id.reset();
  e.outcome = Outcome::kFetchFailed;
  e.reason = "IMAP_NO: IMAP server replied NO to UID FETCH: gone";
  e.attempts = 3;
  e.seen_state = SeenState::kPending;
  e.internaldate.reset();
  const LedgerId id = insert_ledger(db_, e);
  auto row = ledger_.get(id);
  ASSERT_TRUE(row && *row);
  const LedgerEntry& got = (*row)->entry;
  EXPECT_EQ(got.identity, e.identity);
  EXPECT_FALSE(got.message_id);
  EXPECT_EQ(got.raw_sha256, e.raw_sha256);
  EXPECT_EQ(got.size, 1234);
  EXPECT_FALSE(got.internaldate);
  EXPECT_EQ(got.outcome, Outcome::kFetchFailed);
  EXPECT_EQ(got.reason, e.reason);
  EXPECT_EQ(got.attempts, 3);
  EXPECT_EQ(got.seen_state, SeenState::kPending);
  EXPECT_FALSE(got.case_id);
  EXPECT_EQ((*row)->ingested_at, kT0);
}

TEST_F(LedgerTest, DuplicateRuleNeedsSameMessageIdAndSameBytesAcrossFolders) {
  LedgerEntry original = ledger_entry(1);
  const LedgerId first = insert_ledger(db_, original);
  // Same Message-ID, same bytes, another folder: a duplicate of the first.
  auto copy = ledger_.find_ingested_copy("default", "<m@lab.test>", std::string(64, 'a'));
  ASSERT_TRUE(copy && *copy);
  EXPECT_EQ((*copy)->ledger_id, first);
  // Same Message-ID, different bytes: not a duplicate (a reused Message-ID must not suppress other mail).
  auto other_bytes = ledger_.find_ingested_copy("default", "<m@lab.test>", std::string(64, 'b'));
  ASSERT_TRUE(other_bytes);
  EXPECT_FALSE(*other_bytes);
  // Another instance never matches.
  auto other_instance = ledger_.find_ingested_copy("other", "<m@lab.test>", std::string(64, 'a'));
  ASSERT_TRUE(other_instance);
  EXPECT_FALSE(*other_instance);
}

TEST_F(LedgerTest, ExcludedAndDuplicateRowsAreNotDedupSources) {
  LedgerEntry excluded = ledger_entry(1);
  excluded.outcome = Outcome::kExcluded;
  insert_ledger(db_, excluded);
  LedgerEntry duplicate = ledger_entry(2);
  duplicate.outcome = Outcome::kDuplicate;
  insert_ledger(db_, duplicate);
  auto copy = ledger_.find_ingested_copy("default", "<m@lab.test>", std::string(64, 'a'));
  ASSERT_TRUE(copy);
  EXPECT_FALSE(*copy);
  LedgerEntry over = ledger_entry(3);
  over.outcome = Outcome::kOverLimit;
  const LedgerId over_id = insert_ledger(db_, over);
  copy = ledger_.find_ingested_copy("default", "<m@lab.test>", std::string(64, 'a'));
  ASSERT_TRUE(copy && *copy);
  EXPECT_EQ((*copy)->ledger_id, over_id);
}

TEST_F(LedgerTest, PendingSeenRowsAreListedAndCleared) {
  LedgerEntry a = ledger_entry(1);
  a.seen_state = SeenState::kPending;
  const LedgerId a_id = insert_ledger(db_, a);
  LedgerEntry b = ledger_entry(2);
  b.seen_state = SeenState::kDone;
  insert_ledger(db_, b);
  LedgerEntry c = ledger_entry(3);
  c.seen_state = SeenState::kPending;
  const LedgerId c_id = insert_ledger(db_, c);

  auto pending = ledger_.pending_seen("default", identity(1).account);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].ledger_id, a_id);
  EXPECT_EQ((*pending)[1].ledger_id, c_id);
  EXPECT_EQ(*ledger_.count_pending_seen("default", identity(1).account), 2);

  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  ASSERT_TRUE(ledger_.set_seen_state(*tx, a_id, SeenState::kDone));
  ASSERT_TRUE(tx->commit());
  EXPECT_EQ(*ledger_.count_pending_seen("default", identity(1).account), 1);
  EXPECT_EQ(*ledger_.count_pending_seen("default", "someone@else:993"), 0);
}

TEST_F(LedgerTest, SetSeenStateOfAMissingRowIsAnError) {
  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  auto result = ledger_.set_seen_state(*tx, 12345, SeenState::kDone);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kInternal);
}

}  // namespace
}  // namespace emailv2::store
