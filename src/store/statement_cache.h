#pragma once
// Per-connection cache of prepared statements, keyed by SQL text (owned by SqliteHandle, used by Statement).
// A statement is lent to at most one Statement at a time: take() hands out an idle one (removing it from the cache),
// give_back() resets it, clears its bindings and keeps it for the next take() of the same SQL. Nested use of the same
// SQL therefore finds no idle entry and prepares a fresh statement, which is kept too (up to kMaxIdlePerSql).
// close() (called by SqliteHandle before sqlite3_close_v2) finalizes every idle statement; statements given back
// after that are finalized at once. Single-threaded, like the connection.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3_stmt;

namespace emailv2::store {

class StatementCache {
 public:
  static constexpr std::size_t kMaxIdlePerSql = 4;
  static constexpr std::size_t kMaxIdleTotal = 256;

  StatementCache() = default;
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // An idle statement for exactly this SQL text, or nullptr (the caller prepares one, persistent).
  sqlite3_stmt* take(std::string_view sql);
  // Resets the statement, clears its bindings and keeps it idle under its SQL text (sqlite3_sql); finalizes it
  // instead when the cache is closed or full.
  void give_back(sqlite3_stmt* stmt);
  // Finalizes every idle statement; later give_back() calls finalize.
  void close();

  bool is_open() const { return open_; }
  std::size_t idle() const { return idle_total_; }
  std::size_t hits() const { return hits_; }
  std::size_t misses() const { return misses_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::unordered_map<std::string, std::vector<sqlite3_stmt*>, Hash, std::equal_to<>> idle_;
  std::size_t idle_total_ = 0;
  std::size_t hits_ = 0;
  std::size_t misses_ = 0;
  bool open_ = true;
};

}  // namespace emailv2::store
