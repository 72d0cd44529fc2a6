#pragma once
// WriteTransaction: one BEGIN IMMEDIATE ... COMMIT on a connection. It rolls back on destruction unless commit()
// succeeded, so an early `return` or an error path never leaves half a message behind (CONTRACT §5.3 step 5).
// Obtain it from Database::begin_write(). Not nestable: one open transaction per connection.

#include "core/result.h"
#include "store/sqlite_handle.h"

namespace emailv2::store {

class WriteTransaction {
 public:
  // Runs BEGIN IMMEDIATE on `db`; STORE_BUSY when another connection holds the write lock past busy_timeout.
  static Result<WriteTransaction> begin(SqliteHandle& db);

  ~WriteTransaction();
  WriteTransaction(WriteTransaction&& other) noexcept;
  WriteTransaction& operator=(WriteTransaction&&) = delete;
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  // COMMIT. On failure (STORE_BUSY/STORE_ERROR) the transaction is rolled back by the destructor.
  Status commit();
  // Explicit ROLLBACK (the destructor does the same); a no-op after commit.
  void rollback();
  bool active() const { return db_ != nullptr; }

  // The connection this transaction writes on (repositories use it).
  SqliteHandle& handle() const { return *db_; }

 private:
  explicit WriteTransaction(SqliteHandle* db) : db_(db) {}
  SqliteHandle* db_ = nullptr;  // null once committed or rolled back
};

}  // namespace emailv2::store
