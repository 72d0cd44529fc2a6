#pragma once
// The case store file (CONTRACT §5.6): open or create, verify, configure, migrate.
//
// open() does, in this order, and writes nothing before step 5:
//   1. A missing file is created with open(O_CREAT|O_EXCL|O_NOFOLLOW, 0600); an existing file whose mode gives any
//      group/other access is chmod'ed to 0600 with a warn (it may hold mail content). A symlink is refused.
//   2. A non-empty file whose first 16 bytes are not the SQLite header -> STORE_CORRUPT (file untouched).
//   3. PRAGMA quick_check must answer "ok", else STORE_CORRUPT (file untouched). Opening never repairs anything.
//   4. The schema version (schema_info) is read: an SQLite file that has tables but no schema_info is not ours
//      (STORE_ERROR); a version above kSchemaVersion (newer emailv2) -> STORE_ERROR; both leave the file untouched.
//   5. journal_mode=WAL, synchronous=FULL, foreign_keys=ON, busy_timeout (5000 ms by default), then the pending
//      forward-only migrations, each in its own BEGIN IMMEDIATE transaction.
//
// Errors: STORE_BUSY (locked past busy_timeout), STORE_CORRUPT, STORE_ERROR (I/O, disk full, permissions, newer
// schema), each naming the path. A Database is one connection: use it from one thread at a time; separate processes
// each open their own and serialise writes through BEGIN IMMEDIATE.

#include <chrono>
#include <filesystem>

#include "core/result.h"
#include "store/sqlite_handle.h"
#include "store/transaction.h"

namespace emailv2::store {

inline constexpr std::chrono::milliseconds kDefaultBusyTimeout{5000};

struct OpenOptions {
  std::chrono::milliseconds busy_timeout = kDefaultBusyTimeout;  // tests shorten it
  bool create_if_missing = true;                                  // false: a missing file is STORE_ERROR
};

class Database {
 public:
  static Result<Database> open(const std::filesystem::path& path, const OpenOptions& options = {});

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  // Starts a write transaction (BEGIN IMMEDIATE): waits up to busy_timeout for other writers, then STORE_BUSY.
  // Every repository write takes the returned transaction, so writes cannot happen outside one.
  Result<WriteTransaction> begin_write();

  // The schema version after open() (== kSchemaVersion).
  int schema_version() const { return schema_version_; }
  const std::filesystem::path& path() const { return path_; }

  // For repositories inside store/ only.
  SqliteHandle& handle() { return handle_; }
  const SqliteHandle& handle() const { return handle_; }

 private:
  Database(SqliteHandle handle, std::filesystem::path path, int version)
      : handle_(std::move(handle)), path_(std::move(path)), schema_version_(version) {}

  SqliteHandle handle_;
  std::filesystem::path path_;
  int schema_version_ = 0;
};

}  // namespace emailv2::store
