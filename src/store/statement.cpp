#include "store/statement.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace emailv2::store {
namespace {

// SQLITE_TRANSIENT without its C-style cast: SQLite copies the bytes before the bind call returns.
const sqlite3_destructor_type kCopy = reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));

// `lifetime`: kCopy (SQLite copies the bytes) or SQLITE_STATIC (the caller keeps them alive).
int bind_text_as(sqlite3_stmt* stmt, int index, std::string_view value, sqlite3_destructor_type lifetime) {
  return sqlite3_bind_text64(stmt, index, value.data(), value.size(), lifetime, SQLITE_UTF8);
}

// An empty value is a zero-length blob, never NULL.
int bind_blob_as(sqlite3_stmt* stmt, int index, std::string_view bytes, sqlite3_destructor_type lifetime) {
  return bytes.empty() ? sqlite3_bind_zeroblob(stmt, index, 0)
                       : sqlite3_bind_blob64(stmt, index, bytes.data(), bytes.size(), lifetime);
}

std::string_view first_word(std::string_view sql) {
  const auto start = sql.find_first_not_of(" \n\t");
  if (start == std::string_view::npos) return sql;
  const auto end = sql.find_first_of(" \n\t(", start);
  return sql.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

}  // namespace

Statement::~Statement() { release(); }

void Statement::release() {
  sqlite3_stmt* stmt = std::exchange(stmt_, nullptr);
  if (stmt == nullptr) return;
  if (cache_ != nullptr) {
    cache_->give_back(stmt);
  } else {
    sqlite3_finalize(stmt);
  }
  cache_.reset();
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      db_(other.db_),
      cache_(std::move(other.cache_)),
      bind_rc_(other.bind_rc_),
      bind_index_(other.bind_index_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = other.db_;
    cache_ = std::move(other.cache_);
    bind_rc_ = other.bind_rc_;
    bind_index_ = other.bind_index_;
  }
  return *this;
}

Result<Statement> Statement::prepare(const SqliteHandle& db, std::string_view sql) {
  const std::shared_ptr<StatementCache>& cache = db.statement_cache();
  if (cache != nullptr) {
    if (sqlite3_stmt* idle = cache->take(sql)) return Statement(idle, &db, cache);
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const unsigned flags = cache != nullptr ? SQLITE_PREPARE_PERSISTENT : 0U;
  const int rc = sqlite3_prepare_v3(db.raw(), sql.data(), static_cast<int>(sql.size()), flags, &stmt, &tail);
  if (rc != SQLITE_OK) return fail(db.error(rc, "prepare " + std::string(first_word(sql))));
  if (stmt == nullptr) return fail(ErrorCode::kInternal, "empty SQL statement");
  Statement out(stmt, &db, nullptr);
  // `sql` need not be NUL-terminated: measure the rest against its size, never with strlen.
  const std::size_t used = tail != nullptr ? static_cast<std::size_t>(tail - sql.data()) : sql.size();
  if (sql.substr(std::min(used, sql.size())).find_first_not_of(" \n\t;") != std::string_view::npos) {
    return fail(ErrorCode::kInternal, "Statement::prepare given more than one SQL statement");
  }
  // Cacheable only when SQLite keeps exactly this text (no trailing ";" or blanks): give_back() files it under
  // sqlite3_sql(), and take() must find it under `sql`.
  const char* kept = sqlite3_sql(stmt);
  if (cache != nullptr && kept != nullptr && std::string_view(kept) == sql) out.cache_ = cache;
  return out;
}

void Statement::note_bind(int rc, int index) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) {
    bind_rc_ = rc;
    bind_index_ = index;
  }
}

Statement& Statement::bind_int(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  note_bind(bind_text_as(stmt_, index, value, kCopy), index);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  note_bind(bind_blob_as(stmt_, index, bytes, kCopy), index);
  return *this;
}

Statement& Statement::bind_text_ref(int index, std::string_view value) {
  note_bind(bind_text_as(stmt_, index, value, SQLITE_STATIC), index);
  return *this;
}

Statement& Statement::bind_blob_ref(int index, std::string_view bytes) {
  note_bind(bind_blob_as(stmt_, index, bytes, SQLITE_STATIC), index);
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Statement& Statement::bind_optional_int(int index, const std::optional<std::int64_t>& value) {
  return value ? bind_int(index, *value) : bind_null(index);
}

Statement& Statement::bind_optional_text(int index, const std::optional<std::string>& value) {
  return value ? bind_text(index, *value) : bind_null(index);
}

Result<bool> Statement::step() {
  const std::string_view sql = sqlite3_sql(stmt_) != nullptr ? sqlite3_sql(stmt_) : "";
  if (bind_rc_ != SQLITE_OK) {
    return fail(db_->error(bind_rc_, "bind parameter " + std::to_string(bind_index_) + " of " +
                                         std::string(first_word(sql))));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const Error err = db_->error(rc, first_word(sql));
  sqlite3_reset(stmt_);
  return fail(err);
}

Status Statement::run() {
  auto row = step();
  if (!row) return fail(row.error());
  if (*row) return fail(ErrorCode::kInternal, "SQL statement returned a row where none was expected");
  return ok();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
  bind_index_ = 0;
}

bool Statement::column_is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::string Statement::column_blob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (blob == nullptr) return {};
  return std::string(static_cast<const char*>(blob), static_cast<std::size_t>(size));
}

std::optional<std::int64_t> Statement::column_optional_int(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_int(column);
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_text(column);
}

}  // namespace emailv2::store
