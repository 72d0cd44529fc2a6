#include "store/statement.h"

#include <sqlite3.h>

#include "store/sqlite_error.h"
#include "store/store_types.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::open_or_die;
using namespace std::chrono_literals;

TEST(SqliteError, MapsResultCodesToStoreErrors) {
  struct Row {
    int rc;
    ErrorCode code;
  };
  const Row rows[] = {
      {SQLITE_BUSY, ErrorCode::kStoreBusy},           {SQLITE_BUSY_SNAPSHOT, ErrorCode::kStoreBusy},
      {SQLITE_LOCKED, ErrorCode::kStoreBusy},         {SQLITE_CORRUPT, ErrorCode::kStoreCorrupt},
      {SQLITE_NOTADB, ErrorCode::kStoreCorrupt},      {SQLITE_FULL, ErrorCode::kStoreError},
      {SQLITE_IOERR_WRITE, ErrorCode::kStoreError},   {SQLITE_IOERR_FSYNC, ErrorCode::kStoreError},
      {SQLITE_CONSTRAINT_UNIQUE, ErrorCode::kStoreError}, {SQLITE_CANTOPEN, ErrorCode::kStoreError},
      {SQLITE_READONLY, ErrorCode::kStoreError},
  };
  for (const Row& row : rows) {
    const Error e = sqlite_error(row.rc, "/var/lib/emailv2/store.sqlite", "COMMIT", "", 5000ms);
    EXPECT_EQ(e.code(), row.code) << row.rc;
    EXPECT_NE(e.detail().find("/var/lib/emailv2/store.sqlite"), std::string::npos) << e.detail();
  }
  EXPECT_NE(sqlite_error(SQLITE_FULL, "/s", "COMMIT", "", 0ms).detail().find("database or disk is full"),
            std::string::npos);
  EXPECT_NE(sqlite_error(SQLITE_BUSY, "/s", "BEGIN", "", 250ms).detail().find("250 ms"), std::string::npos);
}

TEST(Statement, BindsAndReadsEveryType) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  ASSERT_TRUE(db.handle().exec("CREATE TEMP TABLE t (i INTEGER, s TEXT, b BLOB, n TEXT)"));
  auto ins = Statement::prepare(db.handle(), "INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(ins);
  const std::string blob("a\0b\xff", 4);
  ins->bind_int(1, INT64_MIN).bind_text(2, std::string_view("x\0y", 3)).bind_blob(3, blob).bind_null(4);
  ASSERT_TRUE(ins->run());
  ins->reset();
  ins->bind_optional_int(1, std::nullopt).bind_optional_text(2, std::string("t")).bind_blob(3, "");
  ins->bind_optional_text(4, std::nullopt);
  ASSERT_TRUE(ins->run());

  auto sel = Statement::prepare(db.handle(), "SELECT i, s, b, n FROM t ORDER BY rowid");
  ASSERT_TRUE(sel);
  ASSERT_TRUE(*sel->step());
  EXPECT_EQ(sel->column_int(0), INT64_MIN);
  EXPECT_EQ(sel->column_text(1), std::string("x\0y", 3));
  EXPECT_EQ(sel->column_blob(2), blob);
  EXPECT_TRUE(sel->column_is_null(3));
  EXPECT_FALSE(sel->column_optional_text(3));
  ASSERT_TRUE(*sel->step());
  EXPECT_FALSE(sel->column_optional_int(0));
  EXPECT_EQ(sel->column_optional_text(1), "t");
  EXPECT_FALSE(sel->column_is_null(2));  // an empty blob is not NULL
  EXPECT_EQ(sel->column_blob(2), "");
  EXPECT_FALSE(*sel->step());
}

TEST(Statement, BindErrorsAreStickyAndReportedByStep) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  auto s = Statement::prepare(db.handle(), "SELECT ?1");
  ASSERT_TRUE(s);
  s->bind_int(7, 1).bind_int(1, 1);  // parameter 7 does not exist
  auto row = s->step();
  ASSERT_FALSE(row);
  EXPECT_EQ(row.error().code(), ErrorCode::kStoreError);
  EXPECT_NE(row.error().detail().find("bind parameter 7"), std::string::npos) << row.error().detail();
}

TEST(Statement, PrepareErrors) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  auto bad = Statement::prepare(db.handle(), "SELEKT 1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kStoreError);
  auto two = Statement::prepare(db.handle(), "SELECT 1; SELECT 2");
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code(), ErrorCode::kInternal);
  auto trailing = Statement::prepare(db.handle(), "SELECT 1;  ");
  EXPECT_TRUE(trailing);
  // A view into a longer buffer: only the viewed bytes are SQL.
  const std::string buffer = "SELECT 1; garbage that is not SQL";
  auto view = Statement::prepare(db.handle(), std::string_view(buffer).substr(0, 9));
  EXPECT_TRUE(view) << view.error().to_string();
}

TEST(StoreTypes, EnumNamesRoundTrip) {
  for (auto v : {Outcome::kAlerted, Outcome::kExcluded, Outcome::kDuplicate, Outcome::kOverLimit,
                 Outcome::kFetchFailed}) {
    EXPECT_EQ(parse_outcome(to_string(v)), v);
  }
  for (auto v : {SeenState::kNotRequested, SeenState::kPending, SeenState::kDone}) {
    EXPECT_EQ(parse_seen_state(to_string(v)), v);
  }
  for (auto v : {AlertKind::kEmail, AlertKind::kOverLimit, AlertKind::kFetchFailed, AlertKind::kAttachedMail}) {
    EXPECT_EQ(parse_alert_kind(to_string(v)), v);
  }
  for (auto v : {AddedBy::kConnector, AddedBy::kSaveEmailAttachmentsToCase, AddedBy::kWaitForEmailFromUser}) {
    EXPECT_EQ(parse_added_by(to_string(v)), v);
  }
  EXPECT_EQ(to_string(AddedBy::kSaveEmailAttachmentsToCase), "save-email-attachments-to-case");
  EXPECT_FALSE(parse_outcome("Alerted"));
  EXPECT_FALSE(parse_seen_state(""));
}

TEST(StoreTypes, MessageIdKey) {
  EXPECT_EQ(message_id_key("<a@b>"), "a@b");
  EXPECT_EQ(message_id_key("  <a@b>\t"), "a@b");
  EXPECT_EQ(message_id_key("a@b"), "a@b");
  EXPECT_EQ(message_id_key("<<a@b>>"), "<a@b>");  // only one pair is stripped
  EXPECT_EQ(message_id_key("<a@b"), "<a@b");
  EXPECT_EQ(message_id_key("<>"), "");
}

}  // namespace
}  // namespace emailv2::store
