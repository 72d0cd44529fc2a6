#pragma once
// RAII ownership of one SQLite connection (sqlite3*). Only store/ includes this header's users; nothing outside
// store/ ever sees SQL. A SqliteHandle is used by one thread at a time.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/statement_cache.h"

struct sqlite3;

namespace emailv2::store {

class SqliteHandle {
 public:
  SqliteHandle() = default;
  ~SqliteHandle();
  SqliteHandle(SqliteHandle&& other) noexcept;
  SqliteHandle& operator=(SqliteHandle&& other) noexcept;
  SqliteHandle(const SqliteHandle&) = delete;
  SqliteHandle& operator=(const SqliteHandle&) = delete;

  // Opens an EXISTING file read-write (never creates it: creation with mode 0600 is Database's job), refusing a
  // symlink as the final path component. Extended result codes are on.
  static Result<SqliteHandle> open_existing(const std::filesystem::path& path);

  bool is_open() const { return db_ != nullptr; }
  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs one or more statements without results (DDL, PRAGMA setters, BEGIN/COMMIT).
  Status exec(std::string_view sql);
  Status set_busy_timeout(std::chrono::milliseconds timeout);
  std::chrono::milliseconds busy_timeout() const { return busy_timeout_; }

  std::int64_t last_insert_rowid() const;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const;
  // True while a transaction is open on this connection.
  bool in_transaction() const;

  // The prepared-statement cache of this connection (null when not open); Statement::prepare uses it. Closing the
  // handle closes the cache first, so every idle statement is finalized before sqlite3_close_v2.
  const std::shared_ptr<StatementCache>& statement_cache() const { return cache_; }

  // The Error for SQLite result code `rc` of operation `what` (see store/sqlite_error.h).
  Error error(int rc, std::string_view what) const;

 private:
  SqliteHandle(sqlite3* db, std::string path)
      : db_(db), path_(std::move(path)), cache_(std::make_shared<StatementCache>()) {}
  void close();

  sqlite3* db_ = nullptr;
  std::string path_;
  std::chrono::milliseconds busy_timeout_{0};
  std::shared_ptr<StatementCache> cache_;
};

}  // namespace emailv2::store
