#include "store/migrations.h"

#include <fmt/format.h>

#include <chrono>

#include "core/log.h"
#include "core/time_format.h"
#include "store/statement.h"
#include "store/transaction.h"

namespace emailv2::store {
namespace {

// Version 1: every entity of CONTRACT §5.6. Instants are INTEGER epoch milliseconds (UTC).
constexpr std::string_view kV1 = R"sql(
CREATE TABLE schema_info (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  version     INTEGER NOT NULL,
  migrated_at INTEGER NOT NULL
);
INSERT INTO schema_info (singleton, version, migrated_at) VALUES (1, 0, 0);

CREATE TABLE folder_checkpoint (
  instance           TEXT NOT NULL,
  account            TEXT NOT NULL,
  folder             TEXT NOT NULL,
  uidvalidity        INTEGER NOT NULL,
  last_uid           INTEGER NOT NULL,
  backfill_cutoff    INTEGER,
  backfill_until_uid INTEGER,
  uidvalidity_streak INTEGER NOT NULL DEFAULT 0,
  last_success_at    INTEGER,
  PRIMARY KEY (instance, account, folder)
);

CREATE TABLE ingested_message (
  ledger_id    INTEGER PRIMARY KEY,
  instance     TEXT NOT NULL,
  account      TEXT NOT NULL,
  folder       TEXT NOT NULL,
  uidvalidity  INTEGER NOT NULL,
  uid          INTEGER NOT NULL,
  message_id   TEXT,
  raw_sha256   TEXT NOT NULL,
  size         INTEGER NOT NULL,
  internaldate INTEGER,
  outcome      TEXT NOT NULL
               CHECK (outcome IN ('alerted', 'excluded', 'duplicate', 'over_limit', 'fetch_failed')),
  reason       TEXT NOT NULL DEFAULT '',
  attempts     INTEGER NOT NULL DEFAULT 1,
  seen_state   TEXT NOT NULL DEFAULT 'not_requested'
               CHECK (seen_state IN ('not_requested', 'pending', 'done')),
  case_id      INTEGER REFERENCES "case" (case_id),
  ingested_at  INTEGER NOT NULL,
  UNIQUE (instance, account, folder, uidvalidity, uid)
);
CREATE INDEX ingested_message_by_content ON ingested_message (instance, message_id, raw_sha256);
CREATE INDEX ingested_message_seen_pending ON ingested_message (instance, account) WHERE seen_state = 'pending';

CREATE TABLE "case" (
  case_id     INTEGER PRIMARY KEY,
  title       TEXT NOT NULL,
  environment TEXT NOT NULL,
  priority    INTEGER NOT NULL,
  status      TEXT NOT NULL DEFAULT 'open',
  created_at  INTEGER NOT NULL,
  ledger_id   INTEGER NOT NULL UNIQUE REFERENCES ingested_message (ledger_id)
);

CREATE TABLE alert (
  alert_id           INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES "case" (case_id),
  ledger_id          INTEGER NOT NULL REFERENCES ingested_message (ledger_id),
  ordinal            INTEGER NOT NULL CHECK (ordinal >= 1),
  identifier         TEXT NOT NULL,
  ticket_id          TEXT NOT NULL,
  display_id         TEXT NOT NULL,
  name               TEXT NOT NULL,
  rule_generator     TEXT NOT NULL,
  priority           INTEGER NOT NULL,
  device_vendor      TEXT NOT NULL,
  device_product     TEXT NOT NULL,
  environment        TEXT NOT NULL,
  start_time         INTEGER NOT NULL,
  end_time           INTEGER NOT NULL,
  kind               TEXT NOT NULL CHECK (kind IN ('email', 'over_limit', 'fetch_failed', 'attached_mail')),
  source_account     TEXT NOT NULL,
  source_folder      TEXT NOT NULL,
  source_uidvalidity INTEGER NOT NULL,
  source_uid         INTEGER NOT NULL,
  message_id         TEXT,
  UNIQUE (ledger_id, ordinal)
);
CREATE INDEX alert_by_case ON alert (case_id, ordinal);

CREATE TABLE event (
  alert_id   INTEGER NOT NULL REFERENCES alert (alert_id),
  ordinal    INTEGER NOT NULL CHECK (ordinal >= 1),
  event_name TEXT NOT NULL,
  fields     TEXT NOT NULL CHECK (json_valid(fields) AND json_type(fields) = 'object'),
  PRIMARY KEY (alert_id, ordinal)
);

CREATE TABLE wall_attachment (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES "case" (case_id),
  alert_id    INTEGER REFERENCES alert (alert_id),
  file_name   TEXT NOT NULL,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL,
  description TEXT NOT NULL,
  size        INTEGER NOT NULL,
  md5         TEXT NOT NULL,
  sha1        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  content     BLOB NOT NULL,
  added_by    TEXT NOT NULL
              CHECK (added_by IN ('connector', 'save-email-attachments-to-case', 'wait-for-email-from-user')),
  added_at    INTEGER NOT NULL,
  UNIQUE (case_id, sha256, file_name)
);

CREATE TABLE sent_message (
  message_id  TEXT PRIMARY KEY,
  raw_message_id TEXT NOT NULL,
  date        INTEGER NOT NULL,
  "to"        TEXT NOT NULL CHECK (json_valid("to")),
  cc          TEXT NOT NULL CHECK (json_valid(cc)),
  bcc         TEXT NOT NULL CHECK (json_valid(bcc)),
  subject     TEXT NOT NULL,
  action      TEXT NOT NULL,
  case_id     INTEGER REFERENCES "case" (case_id)
);

CREATE TABLE wait_poll (
  sent_message_id TEXT PRIMARY KEY,
  first_poll_at   INTEGER NOT NULL
);

CREATE TABLE wait_reply (
  sent_message_id   TEXT NOT NULL,
  folder            TEXT NOT NULL,
  uidvalidity       INTEGER NOT NULL,
  uid               INTEGER NOT NULL,
  recipient         TEXT NOT NULL,
  accepted          INTEGER NOT NULL CHECK (accepted IN (0, 1)),
  attachments_added INTEGER NOT NULL DEFAULT 0 CHECK (attachments_added IN (0, 1)),
  PRIMARY KEY (sent_message_id, folder, uidvalidity, uid)
);

CREATE TABLE lease (
  instance    TEXT NOT NULL,
  account     TEXT NOT NULL,
  owner       TEXT NOT NULL,
  acquired_at INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  PRIMARY KEY (instance, account)
);
)sql";

// Version 2: connector bookkeeping that must survive a rolled-back message transaction, and fair resumption.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE fetch_attempt (
  instance        TEXT NOT NULL,
  account         TEXT NOT NULL,
  folder          TEXT NOT NULL,
  uidvalidity     INTEGER NOT NULL,
  uid             INTEGER NOT NULL,
  attempts        INTEGER NOT NULL CHECK (attempts >= 1),
  last_error      TEXT NOT NULL,
  last_attempt_at INTEGER NOT NULL,
  PRIMARY KEY (instance, account, folder, uidvalidity, uid)
);

CREATE TABLE folder_cursor (
  instance    TEXT NOT NULL,
  account     TEXT NOT NULL,
  next_folder TEXT NOT NULL,
  PRIMARY KEY (instance, account)
);
)sql";

Result<bool> table_exists(const SqliteHandle& db, std::string_view table) {
  auto stmt = Statement::prepare(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  if (!stmt) return fail(stmt.error());
  stmt->bind_text(1, table);
  return stmt->step();
}

Result<int> read_version_unchecked(const SqliteHandle& db) {
  auto has_info = table_exists(db, "schema_info");
  if (!has_info) return fail(has_info.error());
  if (!*has_info) return 0;
  auto stmt = Statement::prepare(db, "SELECT version FROM schema_info WHERE singleton = 1");
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(ErrorCode::kStoreCorrupt, fmt::format("case store {}: schema_info has no row", db.path()));
  return static_cast<int>(stmt->column_int(0));
}


// Another process may have migrated between our read and our BEGIN IMMEDIATE: re-read under the write lock.
Status apply(SqliteHandle& db, const Migration& m, bool new_store) {
  auto tx = WriteTransaction::begin(db);
  if (!tx) return fail(tx.error());
  auto now_version = read_version_unchecked(db);
  if (!now_version) return fail(now_version.error());
  if (*now_version >= m.version) return tx->commit();
  EMAILV2_TRY(db.exec(m.sql));
  auto update = Statement::prepare(db, "UPDATE schema_info SET version = ?1, migrated_at = ?2 WHERE singleton = 1");
  if (!update) return fail(update.error());
  update->bind_int(1, m.version).bind_int(2, epoch_ms(std::chrono::system_clock::now()));
  EMAILV2_TRY(update->run());
  EMAILV2_TRY(tx->commit());
  // Building a new store is routine; upgrading an existing one is worth an operator's attention.
  const auto level = new_store ? log::Level::kDebug : log::Level::kInfo;
  if (log::enabled(level)) {
    log::write(level, "store",
               fmt::format("case store {} migrated to schema version {} ({})", db.path(), m.version, m.title));
  }
  return ok();
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kAll{
      {1, "cases, alerts, events, case wall, ledger, checkpoints, sent messages, wait replies, leases", kV1},
      {2, "fetch attempt counters and the per-account folder cursor", kV2},
  };
  return kAll;
}

Result<int> read_schema_version(const SqliteHandle& db) {
  // Both facts from one statement, so from one snapshot: read one after the other, another process's first open
  // could commit its new schema in between (no schema_info yet, then tables) and make a fresh store look foreign.
  bool has_info = false;
  bool any = false;
  {
    auto stmt = Statement::prepare(db,
                                   "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = "
                                   "'schema_info'), EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table')");
    if (!stmt) return fail(stmt.error());
    auto row = stmt->step();
    if (!row) return fail(row.error());
    has_info = *row && stmt->column_int(0) != 0;
    any = *row && stmt->column_int(1) != 0;
  }
  if (!has_info) {
    if (any) {
      return fail(ErrorCode::kStoreError,
                  fmt::format("{} is an SQLite database but not an emailv2 case store (no schema_info table); it "
                              "was not modified",
                              db.path()));
    }
    return 0;
  }
  return read_version_unchecked(db);
}

Result<int> migrate(SqliteHandle& db, int target) {
  auto version = read_schema_version(db);
  if (!version) return fail(version.error());
  if (*version > kSchemaVersion) {
    return fail(ErrorCode::kStoreError,
                fmt::format("case store {} has schema version {}, newer than this emailv2 supports ({}); use a newer "
                            "emailv2 (the file was not modified)",
                            db.path(), *version, kSchemaVersion));
  }
  int current = *version;
  for (const Migration& m : migrations()) {
    if (m.version <= current || m.version > target) continue;
    EMAILV2_TRY(apply(db, m, *version == 0));
    current = m.version;
  }
  return current;
}

}  // namespace emailv2::store
