#include "store/sqlite_handle.h"

#include <sqlite3.h>

#include <utility>

#include "store/sqlite_error.h"

namespace emailv2::store {

SqliteHandle::~SqliteHandle() { close(); }

SqliteHandle::SqliteHandle(SqliteHandle&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      busy_timeout_(other.busy_timeout_),
      cache_(std::move(other.cache_)) {}

SqliteHandle& SqliteHandle::operator=(SqliteHandle&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    busy_timeout_ = other.busy_timeout_;
    cache_ = std::move(other.cache_);
  }
  return *this;
}

void SqliteHandle::close() {
  // Idle cached statements are finalized here; a Statement still alive finalizes its own on destruction (the cache
  // is closed, so it is not kept), and sqlite3_close_v2 defers the close until then. Statements are RAII: none leak.
  if (cache_ != nullptr) std::exchange(cache_, nullptr)->close();
  if (db_ != nullptr) sqlite3_close_v2(std::exchange(db_, nullptr));
}

Result<SqliteHandle> SqliteHandle::open_existing(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db != nullptr ? sqlite3_errmsg(db) : "";
    sqlite3_close_v2(db);
    return fail(sqlite_error(rc, path.string(), "open", message, std::chrono::milliseconds(0)));
  }
  sqlite3_extended_result_codes(db, 1);
  return SqliteHandle(db, path.string());
}

Status SqliteHandle::exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return fail(error(rc, sql.substr(0, sql.find_first_of(" ;("))));
  return ok();
}

Status SqliteHandle::set_busy_timeout(std::chrono::milliseconds timeout) {
  const int rc = sqlite3_busy_timeout(db_, static_cast<int>(timeout.count()));
  if (rc != SQLITE_OK) return fail(error(rc, "busy_timeout"));
  busy_timeout_ = timeout;
  return ok();
}

std::int64_t SqliteHandle::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t SqliteHandle::changes() const { return sqlite3_changes64(db_); }

bool SqliteHandle::in_transaction() const { return db_ != nullptr && sqlite3_get_autocommit(db_) == 0; }

Error SqliteHandle::error(int rc, std::string_view what) const {
  const std::string_view message = db_ != nullptr ? sqlite3_errmsg(db_) : "";
  return sqlite_error(rc, path_, what, message, busy_timeout_);
}

}  // namespace emailv2::store
