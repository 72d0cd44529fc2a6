#include "store/transaction.h"

#include <utility>

#include "core/log.h"

namespace emailv2::store {

Result<WriteTransaction> WriteTransaction::begin(SqliteHandle& db) {
  if (db.in_transaction()) {
    return fail(ErrorCode::kInternal, "a write transaction is already open on case store " + db.path());
  }
  // IMMEDIATE takes the write lock now (waiting up to busy_timeout), so a transaction never fails half-way
  // because another writer got there first.
  EMAILV2_TRY(db.exec("BEGIN IMMEDIATE"));
  return WriteTransaction(&db);
}

WriteTransaction::~WriteTransaction() { rollback(); }

WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Status WriteTransaction::commit() {
  if (db_ == nullptr) return fail(ErrorCode::kInternal, "commit of a transaction that is no longer open");
  EMAILV2_TRY(db_->exec("COMMIT"));
  db_ = nullptr;
  return ok();
}

void WriteTransaction::rollback() {
  if (db_ == nullptr) return;
  SqliteHandle* db = std::exchange(db_, nullptr);
  // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL); then there is nothing to undo.
  if (!db->in_transaction()) return;
  if (auto rolled = db->exec("ROLLBACK"); !rolled) {
    log::error("store", "rollback failed: {}", rolled.error().to_string());
  }
}

}  // namespace emailv2::store
