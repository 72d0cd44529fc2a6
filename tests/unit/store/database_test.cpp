#include "store/database.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>

#include "store/migrations.h"
#include "store/statement.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::read_file;
using emailv2::testing::TempDir;
using emailv2::testing::write_file;
using testing::create_case;
using testing::open_or_die;

mode_t mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

std::string pragma(Database& db, std::string_view name) {
  auto s = Statement::prepare(db.handle(), "PRAGMA " + std::string(name));
  EXPECT_TRUE(s);
  auto row = s->step();
  EXPECT_TRUE(row && *row);
  return s->column_text(0);
}

std::string random_bytes(std::size_t n) {
  std::mt19937 gen(42);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(gen() & 0xff);
  return out;
}

// Hostile files first: each must be refused and left byte-for-byte as it was.
TEST(DatabaseOpen, RandomBytesAreRefusedAndUntouched) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  const std::string bytes = random_bytes(8192);
  write_file(path, bytes);
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kStoreCorrupt);
  EXPECT_NE(db.error().detail().find(path.string()), std::string::npos);
  EXPECT_EQ(read_file(path), bytes);
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST(DatabaseOpen, RandomBytesBehindAValidHeaderAreRefusedAndUntouched) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  std::string bytes = std::string("SQLite format 3\0", 16) + random_bytes(4096 - 16);
  write_file(path, bytes);
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kStoreCorrupt) << db.error().to_string();
  EXPECT_EQ(read_file(path), bytes);
}

TEST(DatabaseOpen, ShortFileIsRefusedAndUntouched) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  write_file(path, "SQLite format 3");
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kStoreCorrupt);
  EXPECT_EQ(read_file(path), "SQLite format 3");
}

TEST(DatabaseOpen, TruncatedRealStoreIsRefusedAndUntouched) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  {
    Database db = open_or_die(path);
    for (std::uint32_t uid = 1; uid <= 40; ++uid) create_case(db, uid, std::string(2000, 'x'));
    ASSERT_TRUE(db.handle().exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  }
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  const std::string full = read_file(path);
  ASSERT_GT(full.size(), 16384u);
  const std::string truncated = full.substr(0, full.size() / 2);
  write_file(path, truncated);
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kStoreCorrupt) << db.error().to_string();
  EXPECT_EQ(read_file(path), truncated);
}

TEST(DatabaseOpen, NewerSchemaIsRefusedAndUntouched) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  {
    Database db = open_or_die(path);
    ASSERT_TRUE(db.handle().exec("UPDATE schema_info SET version = 99"));
    ASSERT_TRUE(db.handle().exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  }
  const std::string before = read_file(path);
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(db.error().detail().find("schema version 99, newer than this emailv2 supports (" +
                                     std::to_string(kSchemaVersion) + ")"),
            std::string::npos)
      << db.error().detail();
  EXPECT_EQ(read_file(path), before);
}

TEST(DatabaseOpen, ForeignSqliteDatabaseIsRefusedAndUntouched) {
  TempDir dir;
  const auto path = dir.path() / "other.sqlite";
  {
    auto created = ::close(::open(path.c_str(), O_CREAT | O_WRONLY, 0600));
    ASSERT_EQ(created, 0);
    auto handle = SqliteHandle::open_existing(path);
    ASSERT_TRUE(handle);
    ASSERT_TRUE(handle->exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x')"));
  }
  const std::string before = read_file(path);
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(db.error().detail().find("not an emailv2 case store"), std::string::npos);
  EXPECT_EQ(read_file(path), before);
}

TEST(DatabaseOpen, SymlinkIsRefused) {
  TempDir dir;
  const auto target = dir.path() / "real.sqlite";
  { Database db = open_or_die(target); }
  const auto link = dir.path() / "link.sqlite";
  std::filesystem::create_symlink(target, link);
  auto db = Database::open(link);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(db.error().detail().find("symbolic link"), std::string::npos);
}

TEST(DatabaseOpen, MissingFileWithoutCreateIsAnError) {
  TempDir dir;
  OpenOptions options;
  options.create_if_missing = false;
  auto db = Database::open(dir.path() / "absent.sqlite", options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kStoreError);
  EXPECT_EQ(db.error().detail(), "case store " + (dir.path() / "absent.sqlite").string() + " does not exist");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "absent.sqlite"));
}

TEST(DatabaseOpen, UncreatableFileIsStoreErrorWithPath) {
  TempDir dir;
  const auto path = dir.path() / "no-such-dir" / "store.sqlite";
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(db.error().detail().find(path.string()), std::string::npos) << db.error().detail();
}

TEST(DatabaseOpen, DiskFullIsStoreErrorWithPathAndRollsBack) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  Database db = open_or_die(path);
  const CaseId existing = create_case(db, 1).case_id;
  // Cap the file at its current size plus a few pages: the next big write hits SQLITE_FULL, as on a full disk.
  ASSERT_TRUE(db.handle().exec("PRAGMA max_page_count = 60"));
  auto tx = db.begin_write();
  ASSERT_TRUE(tx) << tx.error().to_string();
  auto ledger = LedgerRepository(db).insert(*tx, testing::ledger_entry(2), testing::kT0);
  ASSERT_TRUE(ledger && *ledger);
  NewCase big = testing::sample_case(**ledger);
  big.wall[0].file.content = std::string(1024 * 1024, 'z');
  auto created = CaseRepository(db).create(*tx, big, testing::kT0);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(created.error().detail().find(path.string()), std::string::npos);
  EXPECT_NE(created.error().detail().find("full"), std::string::npos) << created.error().detail();
  tx->rollback();
  EXPECT_FALSE(*LedgerRepository(db).find(testing::identity(2)));
  EXPECT_TRUE(*CaseRepository(db).exists(existing));
}

TEST(DatabaseOpen, CreatesMode0600EvenWithPermissiveUmask) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  const mode_t old = ::umask(0);
  Database db = open_or_die(path);
  ::umask(old);
  EXPECT_EQ(mode_of(path), 0600u);
  auto tx = db.begin_write();  // the WAL and shm files appear with the database file's mode
  ASSERT_TRUE(tx);
  ASSERT_TRUE(tx->commit());
  EXPECT_EQ(mode_of(path.string() + "-wal"), 0600u);
  EXPECT_EQ(db.schema_version(), kSchemaVersion);
}

TEST(DatabaseOpen, LooseModeOfAnExistingStoreIsTightened) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  { Database db = open_or_die(path); }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  Database db = open_or_die(path);
  EXPECT_EQ(mode_of(path), 0600u);
}

TEST(DatabaseOpen, EmptyFileBecomesAStore) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  write_file(path, "");
  Database db = open_or_die(path);
  EXPECT_EQ(db.schema_version(), kSchemaVersion);
}

TEST(DatabaseOpen, ConnectionSettingsFollowTheContract) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  EXPECT_EQ(pragma(db, "journal_mode"), "wal");
  EXPECT_EQ(pragma(db, "synchronous"), "2");  // FULL
  EXPECT_EQ(pragma(db, "foreign_keys"), "1");
  EXPECT_EQ(pragma(db, "busy_timeout"), "5000");
}

TEST(DatabaseOpen, ACrashMidTransactionLeavesTheLastCommit) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  const auto crashed = dir.path() / "crashed.sqlite";
  Database db = open_or_die(path);
  const CaseId committed = create_case(db, 1).case_id;
  auto tx = db.begin_write();
  ASSERT_TRUE(tx);
  auto ledger = LedgerRepository(db).insert(*tx, testing::ledger_entry(2), testing::kT0);
  ASSERT_TRUE(ledger && *ledger);
  NewCase big = testing::sample_case(**ledger);
  big.wall[0].file.content = std::string(4 * 1024 * 1024, 'q');  // more than the page cache: pages spill to disk
  ASSERT_TRUE(CaseRepository(db).create(*tx, big, testing::kT0));
  // kill -9 here: the files on disk are all a new process will ever see.
  std::filesystem::copy_file(path, crashed);
  std::filesystem::copy_file(path.string() + "-wal", crashed.string() + "-wal");
  tx->rollback();

  Database after = open_or_die(crashed);
  EXPECT_TRUE(*CaseRepository(after).exists(committed));
  EXPECT_FALSE(*LedgerRepository(after).find(testing::identity(2)));
  EXPECT_EQ(CaseRepository(after).list(100, 0)->size(), 1u);
}

TEST(DatabaseOpen, ReopeningKeepsData) {
  TempDir dir;
  const auto path = dir.path() / "store.sqlite";
  CaseId id = 0;
  {
    Database db = open_or_die(path);
    id = create_case(db, 1).case_id;
  }
  Database db = open_or_die(path);
  auto shown = CaseRepository(db).show(id);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->record.title, "Re: Cool offer");
  EXPECT_EQ((*shown)->wall.size(), 1u);
  EXPECT_EQ(db.schema_version(), kSchemaVersion);
}

}  // namespace
}  // namespace emailv2::store
