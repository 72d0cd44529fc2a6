#include "store/sqlite_error.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace emailv2::store {

Error sqlite_error(int rc, std::string_view path, std::string_view what, std::string_view sqlite_message,
                   std::chrono::milliseconds busy_timeout) {
  const int primary = rc & 0xff;
  const std::string_view message = sqlite_message.empty() ? std::string_view(sqlite3_errstr(rc)) : sqlite_message;
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ErrorCode::kStoreBusy,
                   fmt::format("case store {} is locked by another process ({} waited {} ms)", path, what,
                               busy_timeout.count()));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error(ErrorCode::kStoreCorrupt,
                   fmt::format("case store {} is corrupt or not an SQLite database ({}: {}); it was not modified",
                               path, what, message));
    default:
      return Error(ErrorCode::kStoreError,
                   fmt::format("case store {}: {} failed: {} ({})", path, what, message, sqlite3_errstr(rc)));
  }
}

}  // namespace emailv2::store
