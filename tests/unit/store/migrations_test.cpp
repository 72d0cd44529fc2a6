#include "store/migrations.h"

#include <fcntl.h>
#include <unistd.h>

#include <set>

#include "store/statement.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;

std::set<std::string> tables(const SqliteHandle& db) {
  auto s = Statement::prepare(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  EXPECT_TRUE(s);
  std::set<std::string> out;
  while (true) {
    auto row = s->step();
    EXPECT_TRUE(row);
    if (!row || !*row) break;
    out.insert(s->column_text(0));
  }
  return out;
}

SqliteHandle empty_handle(const std::filesystem::path& path) {
  EXPECT_EQ(::close(::open(path.c_str(), O_CREAT | O_WRONLY, 0600)), 0);
  auto handle = SqliteHandle::open_existing(path);
  EXPECT_TRUE(handle);
  EXPECT_TRUE(handle->exec("PRAGMA foreign_keys = ON"));
  return std::move(*handle);
}

TEST(Migrations, AreNumberedContiguouslyFromOne) {
  int expected = 1;
  for (const Migration& m : migrations()) {
    EXPECT_EQ(m.version, expected++);
    EXPECT_FALSE(m.title.empty());
    EXPECT_FALSE(m.sql.empty());
  }
  EXPECT_EQ(migrations().back().version, kSchemaVersion);
}

TEST(Migrations, EachStepFromEmptyAddsItsTables) {
  TempDir dir;
  SqliteHandle db = empty_handle(dir.path() / "store.sqlite");
  auto v0 = read_schema_version(db);
  ASSERT_TRUE(v0);
  EXPECT_EQ(*v0, 0);

  auto v1 = migrate(db, 1);
  ASSERT_TRUE(v1) << v1.error().to_string();
  EXPECT_EQ(*v1, 1);
  EXPECT_EQ(*read_schema_version(db), 1);
  const std::set<std::string> after1{"schema_info", "folder_checkpoint", "ingested_message", "case",      "alert",
                                     "event",       "wall_attachment",   "sent_message",     "wait_poll", "wait_reply",
                                     "lease"};
  EXPECT_EQ(tables(db), after1);

  auto v2 = migrate(db, 2);
  ASSERT_TRUE(v2) << v2.error().to_string();
  EXPECT_EQ(*v2, 2);
  std::set<std::string> after2 = after1;
  after2.insert({"fetch_attempt", "folder_cursor"});
  EXPECT_EQ(tables(db), after2);
}

TEST(Migrations, AllAtOnceEqualsStepByStep) {
  TempDir dir;
  SqliteHandle stepwise = empty_handle(dir.path() / "a.sqlite");
  for (const Migration& m : migrations()) ASSERT_TRUE(migrate(stepwise, m.version));
  SqliteHandle at_once = empty_handle(dir.path() / "b.sqlite");
  ASSERT_TRUE(migrate(at_once));
  EXPECT_EQ(tables(stepwise), tables(at_once));
  EXPECT_EQ(*read_schema_version(at_once), kSchemaVersion);
}

TEST(Migrations, RerunningIsANoOp) {
  TempDir dir;
  SqliteHandle db = empty_handle(dir.path() / "store.sqlite");
  ASSERT_TRUE(migrate(db));
  auto again = migrate(db);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(*again, kSchemaVersion);
}

TEST(Migrations, NewerVersionIsRefused) {
  TempDir dir;
  SqliteHandle db = empty_handle(dir.path() / "store.sqlite");
  ASSERT_TRUE(migrate(db));
  ASSERT_TRUE(db.exec("UPDATE schema_info SET version = " + std::to_string(kSchemaVersion + 1)));
  auto result = migrate(db);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(result.error().detail().find("newer than this emailv2 supports"), std::string::npos);
}

TEST(Migrations, AFailingMigrationLeavesThePreviousVersion) {
  TempDir dir;
  SqliteHandle db = empty_handle(dir.path() / "store.sqlite");
  ASSERT_TRUE(migrate(db, 1));
  // Sabotage migration 2: a table it creates already exists.
  ASSERT_TRUE(db.exec("CREATE TABLE fetch_attempt (x INTEGER)"));
  auto result = migrate(db);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kStoreError);
  EXPECT_EQ(*read_schema_version(db), 1);
  EXPECT_EQ(tables(db).count("folder_cursor"), 0u);
}

}  // namespace
}  // namespace emailv2::store
