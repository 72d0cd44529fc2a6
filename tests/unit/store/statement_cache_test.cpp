// The per-connection prepared-statement cache behind Statement::prepare (store/statement_cache.h).

#include "store/statement_cache.h"

#include <sqlite3.h>

#include "store/statement.h"
#include "store/transaction.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::open_or_die;

constexpr std::string_view kInsert = "INSERT INTO t (k, v) VALUES (?1, ?2)";
constexpr std::string_view kSelect = "SELECT v FROM t WHERE k = ?1";

Database open_with_table(const TempDir& dir) {
  Database db = open_or_die(dir.path() / "store.sqlite");
  EXPECT_TRUE(db.handle().exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"));
  return db;
}

std::optional<std::string> value_of(Database& db, std::int64_t k) {
  auto s = Statement::prepare(db.handle(), kSelect);
  EXPECT_TRUE(s);
  s->bind_int(1, k);
  auto row = s->step();
  EXPECT_TRUE(row);
  if (!row || !*row) return std::nullopt;
  return s->column_optional_text(0);
}

TEST(StatementCache, ReuseGivesTheSameStatementAndIdenticalResults) {
  TempDir dir;
  Database db = open_with_table(dir);
  const auto& cache = db.handle().statement_cache();
  ASSERT_NE(cache, nullptr);
  const std::size_t idle_before = cache->idle();  // opening the store ran statements of its own
  for (int k = 1; k <= 5; ++k) {
    auto s = Statement::prepare(db.handle(), kInsert);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->bind_int(1, k).bind_text(2, "v" + std::to_string(k)).run());
  }
  const std::size_t hits_before = cache->hits();
  for (int round = 0; round < 3; ++round) {
    for (int k = 1; k <= 5; ++k) EXPECT_EQ(value_of(db, k), "v" + std::to_string(k)) << round << " " << k;
    EXPECT_EQ(value_of(db, 99), std::nullopt);
  }
  EXPECT_EQ(cache->hits() - hits_before, 17U);  // 18 lookups: every one after the first prepare was a cache hit
  EXPECT_EQ(cache->idle() - idle_before, 2U);  // one INSERT, one SELECT: no growth from reuse
}

TEST(StatementCache, NestedUseOfTheSameSqlGetsItsOwnStatement) {
  TempDir dir;
  Database db = open_with_table(dir);
  for (int k = 1; k <= 3; ++k) {
    auto s = Statement::prepare(db.handle(), kInsert);
    ASSERT_TRUE(s && s->bind_int(1, k).bind_text(2, "v" + std::to_string(k)).run());
  }
  auto outer = Statement::prepare(db.handle(), "SELECT k FROM t ORDER BY k");
  ASSERT_TRUE(outer);
  std::vector<std::string> seen;
  for (;;) {
    auto row = outer->step();
    ASSERT_TRUE(row);
    if (!*row) break;
    const std::int64_t k = outer->column_int(0);
    // The same SQL while `outer` is mid-iteration: must not reset `outer` under it.
    auto inner = Statement::prepare(db.handle(), "SELECT k FROM t ORDER BY k");
    ASSERT_TRUE(inner);
    ASSERT_TRUE(*inner->step());
    EXPECT_EQ(inner->column_int(0), 1);
    seen.push_back(std::to_string(k) + "=" + *value_of(db, k));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1=v1", "2=v2", "3=v3"}));
  // Two live borrows of one SQL text are two distinct statements.
  auto a = Statement::prepare(db.handle(), kSelect);
  auto b = Statement::prepare(db.handle(), kSelect);
  ASSERT_TRUE(a && b);
  a->bind_int(1, 1);
  b->bind_int(1, 2);
  ASSERT_TRUE(*a->step());
  ASSERT_TRUE(*b->step());
  EXPECT_EQ(a->column_text(0), "v1");
  EXPECT_EQ(b->column_text(0), "v2");
}

TEST(StatementCache, BindingsAreClearedBetweenBorrowers) {
  TempDir dir;
  Database db = open_with_table(dir);
  {
    auto s = Statement::prepare(db.handle(), kInsert);
    ASSERT_TRUE(s && s->bind_int(1, 1).bind_text(2, "secret-ish").run());
  }
  {
    // Same SQL, parameter 2 deliberately not bound: it must be NULL, not the previous borrower's value.
    auto s = Statement::prepare(db.handle(), kInsert);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->bind_int(1, 2).run());
  }
  auto s = Statement::prepare(db.handle(), "SELECT v IS NULL FROM t WHERE k = 2");
  ASSERT_TRUE(s && *s->step());
  EXPECT_EQ(s->column_int(0), 1);
  // A bind error is not inherited either.
  {
    auto bad = Statement::prepare(db.handle(), kSelect);
    ASSERT_TRUE(bad);
    bad->bind_int(7, 1);
    EXPECT_FALSE(bad->step());
  }
  EXPECT_EQ(value_of(db, 1), "secret-ish");
}

TEST(StatementCache, AHalfReadSelectIsResetWhenGivenBack) {
  TempDir dir;
  Database db = open_with_table(dir);
  for (int k = 1; k <= 3; ++k) {
    auto s = Statement::prepare(db.handle(), kInsert);
    ASSERT_TRUE(s && s->bind_int(1, k).bind_text(2, "v").run());
  }
  {
    auto s = Statement::prepare(db.handle(), "SELECT k FROM t ORDER BY k");
    ASSERT_TRUE(s && *s->step());  // abandoned after one row
  }
  {
    auto s = Statement::prepare(db.handle(), "SELECT k FROM t ORDER BY k");
    ASSERT_TRUE(s && *s->step());
    EXPECT_EQ(s->column_int(0), 1);  // starts from the top, not row 2
  }
  // No cached statement is left busy (holding a read transaction open).
  int busy = 0;
  for (sqlite3_stmt* p = sqlite3_next_stmt(db.handle().raw(), nullptr); p != nullptr;
       p = sqlite3_next_stmt(db.handle().raw(), p)) {
    busy += sqlite3_stmt_busy(p) != 0 ? 1 : 0;
  }
  EXPECT_EQ(busy, 0);
  ASSERT_TRUE(db.handle().exec("BEGIN IMMEDIATE; COMMIT"));  // the write lock is free: nothing holds the read
}

TEST(StatementCache, SurvivesARolledBackTransaction) {
  TempDir dir;
  Database db = open_with_table(dir);
  {
    auto tx = db.begin_write();
    ASSERT_TRUE(tx);
    auto s = Statement::prepare(tx->handle(), kInsert);
    ASSERT_TRUE(s && s->bind_int(1, 1).bind_text(2, "rolled back").run());
    EXPECT_EQ(value_of(db, 1), "rolled back");
    tx->rollback();
  }
  EXPECT_EQ(value_of(db, 1), std::nullopt);
  {
    auto tx = db.begin_write();
    ASSERT_TRUE(tx);
    auto s = Statement::prepare(tx->handle(), kInsert);
    ASSERT_TRUE(s && s->bind_int(1, 1).bind_text(2, "kept").run());
    ASSERT_TRUE(tx->commit());
  }
  EXPECT_EQ(value_of(db, 1), "kept");
  EXPECT_GE(db.handle().statement_cache()->hits(), 2U);
}

TEST(StatementCache, SchemaChangeIsPickedUpByACachedStatement) {
  TempDir dir;
  Database db = open_with_table(dir);
  EXPECT_EQ(value_of(db, 1), std::nullopt);
  ASSERT_TRUE(db.handle().exec("DROP TABLE t; CREATE TABLE t (v TEXT, k INTEGER PRIMARY KEY)"));
  ASSERT_TRUE(db.handle().exec("INSERT INTO t (k, v) VALUES (1, 'after')"));
  EXPECT_EQ(value_of(db, 1), "after");
}

TEST(StatementCache, TextThatSqliteTrimsIsNotCachedAndStillWorks) {
  TempDir dir;
  Database db = open_with_table(dir);
  const auto& cache = db.handle().statement_cache();
  const std::size_t idle_before = cache->idle();
  for (int i = 0; i < 3; ++i) {
    auto s = Statement::prepare(db.handle(), "SELECT 42;  ");
    ASSERT_TRUE(s && *s->step());
    EXPECT_EQ(s->column_int(0), 42);
  }
  EXPECT_EQ(cache->idle(), idle_before);
  EXPECT_FALSE(Statement::prepare(db.handle(), "SELECT 1; SELECT 2"));
  EXPECT_EQ(cache->idle(), idle_before);
}

TEST(StatementCache, IdleStatementsAreBounded) {
  TempDir dir;
  Database db = open_with_table(dir);
  const auto& cache = db.handle().statement_cache();
  const std::size_t idle_before = cache->idle();
  {
    std::vector<Statement> live;
    for (std::size_t i = 0; i < StatementCache::kMaxIdlePerSql + 3; ++i) {
      auto s = Statement::prepare(db.handle(), kSelect);
      ASSERT_TRUE(s);
      live.push_back(std::move(*s));
    }
  }
  EXPECT_EQ(cache->idle() - idle_before, StatementCache::kMaxIdlePerSql);
  for (std::size_t i = 0; i < StatementCache::kMaxIdleTotal + 10; ++i) {
    auto s = Statement::prepare(db.handle(), "SELECT " + std::to_string(i));
    ASSERT_TRUE(s);
  }
  EXPECT_EQ(cache->idle(), StatementCache::kMaxIdleTotal);
}

TEST(StatementCache, ClosingTheConnectionFinalizesIdleAndOutlivingStatements) {
  TempDir dir;
  std::shared_ptr<StatementCache> cache;
  std::optional<Statement> outliving;
  {
    Database db = open_with_table(dir);
    cache = db.handle().statement_cache();
    const std::size_t idle_before = cache->idle();
    EXPECT_EQ(value_of(db, 1), std::nullopt);
    EXPECT_EQ(cache->idle(), idle_before + 1);
    auto s = Statement::prepare(db.handle(), kSelect);
    ASSERT_TRUE(s);
    outliving.emplace(std::move(*s));
  }
  EXPECT_FALSE(cache->is_open());
  EXPECT_EQ(cache->idle(), 0U);
  outliving.reset();  // finalized, not kept: the cache is closed (ASan/valgrind would flag a leak or use-after-free)
  EXPECT_EQ(cache->idle(), 0U);
}

}  // namespace
}  // namespace emailv2::store
