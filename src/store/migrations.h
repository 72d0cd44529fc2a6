#pragma once
// Numbered, forward-only schema migrations (see docs/case-store.md). Migration N takes version N-1 to N in its own
// BEGIN IMMEDIATE transaction together with the schema_info update, so a crash leaves a whole version. Migrations
// are never edited once released: a change is a new migration appended to the list.

#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/sqlite_handle.h"

namespace emailv2::store {

struct Migration {
  int version;             // 1, 2, ... contiguous
  std::string_view title;  // what it adds, for logs and docs
  std::string_view sql;
};

// All migrations in order; kSchemaVersion == migrations().back().version.
const std::vector<Migration>& migrations();
inline constexpr int kSchemaVersion = 2;

// The version stored in schema_info; 0 for an empty database. STORE_ERROR when the database has tables but no
// schema_info (not an emailv2 store).
Result<int> read_schema_version(const SqliteHandle& db);

// Applies every migration above the current version up to `target` (default: all). STORE_ERROR when the stored
// version is newer than kSchemaVersion. Returns the resulting version.
Result<int> migrate(SqliteHandle& db, int target = kSchemaVersion);

}  // namespace emailv2::store
