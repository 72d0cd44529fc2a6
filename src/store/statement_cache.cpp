#include "store/statement_cache.h"

#include <sqlite3.h>

namespace emailv2::store {

StatementCache::~StatementCache() { close(); }

sqlite3_stmt* StatementCache::take(std::string_view sql) {
  const auto it = idle_.find(sql);
  if (it == idle_.end() || it->second.empty()) {
    ++misses_;
    return nullptr;
  }
  sqlite3_stmt* stmt = it->second.back();
  it->second.pop_back();
  --idle_total_;
  ++hits_;
  return stmt;
}

void StatementCache::give_back(sqlite3_stmt* stmt) {
  if (stmt == nullptr) return;
  // Reset first: a half-read SELECT must release its read lock whether it is kept or finalized.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  const char* text = sqlite3_sql(stmt);
  if (!open_ || text == nullptr || idle_total_ >= kMaxIdleTotal) {
    sqlite3_finalize(stmt);
    return;
  }
  const std::string_view sql(text);
  auto it = idle_.find(sql);
  if (it == idle_.end()) it = idle_.emplace(std::string(sql), std::vector<sqlite3_stmt*>{}).first;
  if (it->second.size() >= kMaxIdlePerSql) {
    sqlite3_finalize(stmt);
    return;
  }
  it->second.push_back(stmt);
  ++idle_total_;
}

void StatementCache::close() {
  for (auto& [sql, stmts] : idle_) {
    for (sqlite3_stmt* stmt : stmts) sqlite3_finalize(stmt);
  }
  idle_.clear();
  idle_total_ = 0;
  open_ = false;
}

}  // namespace emailv2::store
