#include "store/checkpoint_repository.h"

#include "store/fetch_attempt_repository.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::at_ms;
using testing::identity;
using testing::kT0;
using testing::open_or_die;

class CheckpointTest : public ::testing::Test {
 protected:
  template <typename F>
  void write(F&& f) {
    auto tx = db_.begin_write();
    ASSERT_TRUE(tx) << tx.error().to_string();
    f(*tx);
    ASSERT_TRUE(tx->commit());
  }

  TempDir dir_;
  Database db_ = open_or_die(dir_.path() / "store.sqlite");
  CheckpointRepository checkpoints_{db_};
  const FolderKey inbox_{"default", "soc@lab.test@127.0.0.1:993", "Inbox"};
};

TEST_F(CheckpointTest, FirstRunHasNoCheckpoint) {
  auto cp = checkpoints_.load(inbox_);
  ASSERT_TRUE(cp);
  EXPECT_FALSE(*cp);
}

TEST_F(CheckpointTest, SaveLoadReplaceAndReset) {
  FolderCheckpoint cp;
  cp.uidvalidity = 4294967295u;  // UIDVALIDITY is a 32-bit unsigned value: the top one must survive
  cp.last_uid = 4294967294u;
  cp.backfill_cutoff = at_ms(1'699'000'000'000);
  cp.backfill_until_uid = 120;
  cp.uidvalidity_streak = 2;
  cp.last_success_at = kT0;
  write([&](WriteTransaction& tx) { ASSERT_TRUE(checkpoints_.save(tx, inbox_, cp)); });
  auto loaded = checkpoints_.load(inbox_);
  ASSERT_TRUE(loaded && *loaded);
  EXPECT_EQ(**loaded, cp);

  cp.backfill_cutoff.reset();
  cp.backfill_until_uid.reset();
  cp.last_uid = 130;
  write([&](WriteTransaction& tx) { ASSERT_TRUE(checkpoints_.save(tx, inbox_, cp)); });
  EXPECT_EQ(**checkpoints_.load(inbox_), cp);

  FolderKey spam = inbox_;
  spam.folder = "Spam";
  EXPECT_FALSE(*checkpoints_.load(spam));

  write([&](WriteTransaction& tx) {
    EXPECT_TRUE(*checkpoints_.reset(tx, inbox_));
    EXPECT_FALSE(*checkpoints_.reset(tx, inbox_));
  });
  EXPECT_FALSE(*checkpoints_.load(inbox_));
}

TEST_F(CheckpointTest, NextFolderCursor) {
  EXPECT_FALSE(*checkpoints_.next_folder("default", inbox_.account));
  write([&](WriteTransaction& tx) {
    ASSERT_TRUE(checkpoints_.set_next_folder(tx, "default", inbox_.account, std::string("Spam")));
  });
  EXPECT_EQ(*checkpoints_.next_folder("default", inbox_.account), "Spam");
  EXPECT_FALSE(*checkpoints_.next_folder("other", inbox_.account));
  write([&](WriteTransaction& tx) {
    ASSERT_TRUE(checkpoints_.set_next_folder(tx, "default", inbox_.account, std::nullopt));
  });
  EXPECT_FALSE(*checkpoints_.next_folder("default", inbox_.account));
}

TEST_F(CheckpointTest, FetchAttemptsSurviveARolledBackMessageTransaction) {
  FetchAttemptRepository attempts(db_);
  const MessageIdentity id = identity(42);
  for (int expected = 1; expected <= 3; ++expected) {
    {  // the message transaction: fails and rolls back
      auto message_tx = db_.begin_write();
      ASSERT_TRUE(message_tx);
      FolderCheckpoint cp;
      cp.uidvalidity = 1;
      cp.last_uid = 42;
      ASSERT_TRUE(checkpoints_.save(*message_tx, inbox_, cp));
    }
    // the counter is written in its own transaction after the rollback
    write([&](WriteTransaction& tx) {
      auto n = attempts.record_failure(tx, id, "IMAP_NO: gone " + std::to_string(expected), kT0);
      ASSERT_TRUE(n) << n.error().to_string();
      EXPECT_EQ(*n, expected);
    });
  }
  EXPECT_FALSE(*checkpoints_.load(inbox_));
  auto got = attempts.get(id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->attempts, 3);
  EXPECT_EQ((*got)->last_error, "IMAP_NO: gone 3");
  EXPECT_FALSE(*attempts.get(identity(43)));

  write([&](WriteTransaction& tx) { ASSERT_TRUE(attempts.clear(tx, id)); });
  EXPECT_FALSE(*attempts.get(id));
}

}  // namespace
}  // namespace emailv2::store
