#pragma once
// A prepared statement with typed bind/column access. Binding is 1-based (SQLite's), columns are 0-based.
// Bind errors are sticky (the first one is kept) and reported by step()/run(), so call sites bind without checks.
// A Statement must not outlive the SqliteHandle it was prepared on.
// prepare() goes through the connection's StatementCache (store/statement_cache.h): a statement is prepared once per
// connection and SQL text (SQLITE_PREPARE_PERSISTENT) and reused; the Statement borrows it exclusively and, on
// destruction, resets it and clears its bindings before it goes back to the cache. Using the same SQL while another
// Statement for it is alive (nesting) prepares a second one. Call sites see no difference from a fresh prepare.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/sqlite_handle.h"

struct sqlite3_stmt;

namespace emailv2::store {

class Statement {
 public:
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Prepares exactly one SQL statement (or borrows an idle cached one for the same SQL text).
  static Result<Statement> prepare(const SqliteHandle& db, std::string_view sql);

  Statement& bind_int(int index, std::int64_t value);
  Statement& bind_text(int index, std::string_view value);  // copied by SQLite
  Statement& bind_blob(int index, std::string_view bytes);  // copied by SQLite; empty = zero-length blob
  // Not copied (for large values): the bytes must stay alive and unchanged until this Statement is released or
  // the parameter is bound again.
  Statement& bind_text_ref(int index, std::string_view value);
  Statement& bind_blob_ref(int index, std::string_view bytes);
  Statement& bind_null(int index);
  Statement& bind_optional_int(int index, const std::optional<std::int64_t>& value);
  Statement& bind_optional_text(int index, const std::optional<std::string>& value);

  // Advances: true = a row is available, false = done.
  Result<bool> step();
  // Steps to completion, expecting no result row (INSERT/UPDATE/DELETE/DDL).
  Status run();
  // Resets to run again with new bindings (bindings are cleared).
  void reset();

  bool column_is_null(int column) const;
  std::int64_t column_int(int column) const;
  std::string column_text(int column) const;  // NULL -> ""
  std::string column_blob(int column) const;  // NULL -> ""
  std::optional<std::int64_t> column_optional_int(int column) const;
  std::optional<std::string> column_optional_text(int column) const;

 private:
  Statement(sqlite3_stmt* stmt, const SqliteHandle* db, std::shared_ptr<StatementCache> cache)
      : stmt_(stmt), db_(db), cache_(std::move(cache)) {}
  void note_bind(int rc, int index);
  void release();  // back to the cache, or finalized

  sqlite3_stmt* stmt_ = nullptr;
  const SqliteHandle* db_ = nullptr;
  std::shared_ptr<StatementCache> cache_;  // null: finalize on destruction
  int bind_rc_ = 0;
  int bind_index_ = 0;
};

}  // namespace emailv2::store
