#pragma once
// The one mapping from SQLite result codes to our error codes (CONTRACT §5.6, §6.1):
//   SQLITE_BUSY / SQLITE_LOCKED (after busy_timeout)  -> STORE_BUSY
//   SQLITE_CORRUPT / SQLITE_NOTADB                    -> STORE_CORRUPT
//   everything else (SQLITE_FULL, SQLITE_IOERR_*, constraint, misuse, ...) -> STORE_ERROR
// Every detail names the store path so an operator knows which file is affected.

#include <chrono>
#include <string_view>

#include "core/error.h"

namespace emailv2::store {

// `rc` is an (extended) SQLite result code; `sqlite_message` is sqlite3_errmsg() or empty.
Error sqlite_error(int rc, std::string_view path, std::string_view what, std::string_view sqlite_message,
                   std::chrono::milliseconds busy_timeout);

}  // namespace emailv2::store
