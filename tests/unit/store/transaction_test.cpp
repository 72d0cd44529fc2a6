#include "store/transaction.h"

#include <chrono>
#include <thread>
#include <vector>

#include "store/migrations.h"
#include "store/statement.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::create_case;
using testing::ledger_entry;
using testing::open_or_die;
using namespace std::chrono_literals;

std::int64_t count(Database& db, std::string_view table) {
  auto s = Statement::prepare(db.handle(), "SELECT count(*) FROM \"" + std::string(table) + "\"");
  EXPECT_TRUE(s);
  EXPECT_TRUE(s->step());
  return s->column_int(0);
}

TEST(WriteTransaction, DestructionWithoutCommitRollsBackEverything) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  {
    auto tx = db.begin_write();
    ASSERT_TRUE(tx);
    auto ledger = LedgerRepository(db).insert(*tx, ledger_entry(1), testing::kT0);
    ASSERT_TRUE(ledger && *ledger);
    auto created = CaseRepository(db).create(*tx, testing::sample_case(**ledger), testing::kT0);
    ASSERT_TRUE(created) << created.error().to_string();
    EXPECT_EQ(count(db, "alert"), 1);  // visible inside the transaction
  }
  for (const char* table : {"ingested_message", "case", "alert", "event", "wall_attachment"}) {
    EXPECT_EQ(count(db, table), 0) << table;
  }
  EXPECT_FALSE(db.handle().in_transaction());
}

TEST(WriteTransaction, ExplicitRollbackAndCommit) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  {
    auto tx = db.begin_write();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(LedgerRepository(db).insert(*tx, ledger_entry(1), testing::kT0));
    tx->rollback();
    EXPECT_FALSE(tx->active());
    EXPECT_FALSE(tx->commit());  // nothing left to commit
  }
  EXPECT_EQ(count(db, "ingested_message"), 0);
  create_case(db, 2);
  EXPECT_EQ(count(db, "case"), 1);
}

TEST(WriteTransaction, NestingIsRefused) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  auto outer = db.begin_write();
  ASSERT_TRUE(outer);
  auto inner = db.begin_write();
  ASSERT_FALSE(inner);
  EXPECT_EQ(inner.error().code(), ErrorCode::kInternal);
  EXPECT_TRUE(outer->commit());
}

TEST(WriteTransaction, SecondWriterGetsStoreBusyAfterTheTimeout) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  Database first = open_or_die(path);
  OpenOptions short_wait;
  short_wait.busy_timeout = 300ms;
  Database second = open_or_die(path, short_wait);

  auto held = first.begin_write();
  ASSERT_TRUE(held);
  const auto start = std::chrono::steady_clock::now();
  auto blocked = second.begin_write();
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code(), ErrorCode::kStoreBusy);
  EXPECT_TRUE(blocked.error().retryable());
  EXPECT_NE(blocked.error().detail().find(path.string()), std::string::npos);
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 5s);
  EXPECT_TRUE(held->commit());
  // Once released, the second connection writes normally.
  auto after = second.begin_write();
  ASSERT_TRUE(after) << after.error().to_string();
  EXPECT_TRUE(after->commit());
}

TEST(WriteTransaction, SecondWriterWaitsForAShortTransaction) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  Database first = open_or_die(path);
  Database second = open_or_die(path);  // default 5000 ms
  auto held = first.begin_write();
  ASSERT_TRUE(held);
  ASSERT_TRUE(LedgerRepository(first).insert(*held, ledger_entry(1), testing::kT0));
  std::thread committer([&] {
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(held->commit());
  });
  const auto start = std::chrono::steady_clock::now();
  auto waited_tx = second.begin_write();
  const auto waited = std::chrono::steady_clock::now() - start;
  committer.join();
  ASSERT_TRUE(waited_tx) << waited_tx.error().to_string();
  EXPECT_GE(waited, 150ms);
  // The second writer sees the first one's committed row and its insert of the same identity is ignored.
  auto again = LedgerRepository(second).insert(*waited_tx, ledger_entry(1), testing::kT0);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_TRUE(waited_tx->commit());
}

TEST(WriteTransaction, ConcurrentFirstOpensCreateAndMigrateOnce) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  std::vector<std::thread> openers;
  std::vector<int> versions(4, -1);
  std::vector<std::string> errors(4);
  for (std::size_t i = 0; i < versions.size(); ++i) {
    openers.emplace_back([&, i] {
      auto db = Database::open(path);
      if (db) {
        versions[i] = db->schema_version();
      } else {
        errors[i] = db.error().to_string();
      }
    });
  }
  for (auto& t : openers) t.join();
  for (std::size_t i = 0; i < versions.size(); ++i) {
    EXPECT_EQ(versions[i], kSchemaVersion) << errors[i];
  }
  Database db = open_or_die(path);
  EXPECT_EQ(count(db, "schema_info"), 1);
}

}  // namespace
}  // namespace emailv2::store
