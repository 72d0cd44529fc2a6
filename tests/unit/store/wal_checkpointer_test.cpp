// WalCheckpointer (store/wal_checkpointer.h): WAL checkpoints on their own thread, the writer's automatic checkpoint
// off while it lives, the WAL bounded by back-pressure, every committed row intact, SQLite's own checkpoint back after.

#include "store/wal_checkpointer.h"

#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "store/statement.h"
#include "store/transaction.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::open_or_die;

constexpr std::size_t kBlobBytes = 64 * 1024;  // 16 pages of 4 KiB per row

Database open_with_table(const std::filesystem::path& path) {
  Database db = open_or_die(path);
  EXPECT_TRUE(db.handle().exec("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)"));
  return db;
}

std::string blob_for(std::int64_t k) { return std::string(kBlobBytes, static_cast<char>('a' + k % 26)); }

void insert_rows(Database& db, std::int64_t from, std::int64_t to) {
  for (std::int64_t k = from; k < to; ++k) {
    auto tx = db.begin_write();
    ASSERT_TRUE(tx);
    auto s = Statement::prepare(db.handle(), "INSERT INTO t (k, v) VALUES (?1, ?2)");
    ASSERT_TRUE(s);
    const std::string v = blob_for(k);
    s->bind_int(1, k).bind_blob_ref(2, v);
    ASSERT_TRUE(s->run());
    ASSERT_TRUE(tx->commit());
  }
}

std::uintmax_t wal_bytes(const std::filesystem::path& db) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(db.string() + "-wal", ec);
  return ec ? 0 : n;
}

void expect_rows(Database& db, std::int64_t n) {
  auto s = Statement::prepare(db.handle(), "SELECT k, v FROM t ORDER BY k");
  ASSERT_TRUE(s);
  std::int64_t k = 0;
  while (true) {
    auto row = s->step();
    ASSERT_TRUE(row);
    if (!*row) break;
    ASSERT_EQ(s->column_int(0), k);
    ASSERT_EQ(s->column_blob(1), blob_for(k)) << k;
    ++k;
  }
  EXPECT_EQ(k, n);
}

TEST(WalCheckpointer, CheckpointsOnItsOwnThreadAndKeepsEveryRow) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  Database db = open_with_table(path);
  WalCheckpointerOptions options;
  options.wake_at_frames = 64;
  options.writer_waits_at_frames = 100000;
  auto checkpointer = WalCheckpointer::start(db, options);
  ASSERT_TRUE(checkpointer) << checkpointer.error().to_string();
  insert_rows(db, 0, 300);  // ~4,800 pages
  const auto rounds = (*checkpointer)->rounds();
  checkpointer->reset();
  EXPECT_GT(rounds, 0u);
  expect_rows(db, 300);
  Database reopened = open_with_table(path);
  expect_rows(reopened, 300);
}

TEST(WalCheckpointer, TheWriterWaitsSoTheWalStaysBounded) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  Database db = open_with_table(path);
  WalCheckpointerOptions options;
  options.wake_at_frames = 32;
  options.writer_waits_at_frames = 200;  // 800 KiB of 4 KiB pages
  auto checkpointer = WalCheckpointer::start(db, options);
  ASSERT_TRUE(checkpointer);
  std::uintmax_t largest = 0;
  for (std::int64_t k = 0; k < 400; k += 20) {
    insert_rows(db, k, k + 20);
    largest = std::max(largest, wal_bytes(path));
  }
  EXPECT_GT((*checkpointer)->rounds(), 0u);
  // A commit adds ~17 pages after the last wait: the WAL never holds much more than the wait threshold.
  EXPECT_LT(largest, (200u + 40u) * (4096u + 24u)) << largest;
  checkpointer->reset();
  expect_rows(db, 400);
}

TEST(WalCheckpointer, WithoutItTheWalWouldGrowPastTheSameBound) {
  // The control for the test above: with the automatic checkpoint off and no checkpointer, 400 rows leave a WAL of
  // ~6,800 pages, so the bound above is the checkpointer's doing.
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  Database db = open_with_table(path);
  sqlite3_wal_autocheckpoint(db.handle().raw(), 0);
  insert_rows(db, 0, 400);
  EXPECT_GT(wal_bytes(path), 6000u * 4096u);
}

TEST(WalCheckpointer, SqlitesOwnCheckpointIsBackAfterIt) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  Database db = open_with_table(path);
  { auto checkpointer = WalCheckpointer::start(db); ASSERT_TRUE(checkpointer); }
  insert_rows(db, 0, 400);  // SQLite's 1,000-page automatic checkpoint restarts the WAL along the way
  EXPECT_LT(wal_bytes(path), 1200u * (4096u + 24u));
  expect_rows(db, 400);
}

TEST(WalCheckpointer, RefusesAStoreThatIsNotInWalMode) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  Database db = open_with_table(path);
  ASSERT_TRUE(db.handle().exec("PRAGMA journal_mode = DELETE"));
  auto checkpointer = WalCheckpointer::start(db);
  ASSERT_FALSE(checkpointer);
  EXPECT_NE(checkpointer.error().to_string().find("WAL"), std::string::npos);
  insert_rows(db, 0, 3);
  expect_rows(db, 3);
}

}  // namespace
}  // namespace emailv2::store
