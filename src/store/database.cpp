#include "store/database.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include "core/log.h"
#include "store/migrations.h"
#include "store/statement.h"

namespace emailv2::store {
namespace {

constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};
constexpr std::size_t kSqliteHeaderBytes = 100;
constexpr mode_t kPrivateMode = S_IRUSR | S_IWUSR;

Error io_error(const std::filesystem::path& path, std::string_view what, int err) {
  return Error(ErrorCode::kStoreError, fmt::format("case store {}: {}: {}", path.string(), what, std::strerror(err)));
}

// Creates the file with mode 0600 from the first instant; EEXIST (a concurrent creator won) is not an error.
Status create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kPrivateMode);
  if (fd < 0) {
    if (errno == EEXIST) return ok();
    return fail(io_error(path, "cannot create", errno));
  }
  const int chmod_rc = ::fchmod(fd, kPrivateMode);  // the umask may have removed owner bits
  const int chmod_errno = errno;
  ::close(fd);
  if (chmod_rc != 0) return fail(io_error(path, "cannot set mode 0600", chmod_errno));
  log::info("store", "created case store {} (mode 0600)", path.string());
  return ok();
}

// Reads the fixed header without opening the file through SQLite, so nothing can be written to a foreign file.
Status check_header(const std::filesystem::path& path, off_t size) {
  if (size == 0) return ok();  // a new, empty database
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return fail(io_error(path, "cannot open", errno));
  std::array<char, kSqliteHeaderBytes> header{};
  const ssize_t n = ::pread(fd, header.data(), header.size(), 0);
  const int read_errno = errno;
  ::close(fd);
  if (n < 0) return fail(io_error(path, "cannot read", read_errno));
  if (static_cast<std::size_t>(n) < kSqliteHeaderBytes || std::string_view(header.data(), 16) != kSqliteMagic) {
    return fail(ErrorCode::kStoreCorrupt,
                fmt::format("case store {} is not an SQLite database (bad header); it was not modified",
                            path.string()));
  }
  return ok();
}

Status quick_check(const SqliteHandle& db) {
  auto stmt = Statement::prepare(db, "PRAGMA quick_check");
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  const std::string verdict = *row ? stmt->column_text(0) : "no answer";
  if (verdict == "ok") return ok();
  return fail(ErrorCode::kStoreCorrupt,
              fmt::format("case store {} failed its integrity check ({}); it was not modified", db.path(), verdict));
}

// A store may hold mail content: owner-only access. Applied to the -wal/-shm files too, since SQLite gives new
// ones the database file's mode.
void make_private(const std::filesystem::path& path, mode_t mode) {
  if ((mode & (S_IRWXG | S_IRWXO)) == 0) return;
  log::warn("store", "case store {} had mode {:04o}; changing it to 0600", path.string(), mode & 07777);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = path.string() + suffix;
    if (::chmod(file.c_str(), kPrivateMode) != 0 && errno != ENOENT) {
      log::warn("store", "cannot chmod {}: {}", file, std::strerror(errno));
    }
  }
}

// The journal mode the store is in after asking for WAL.
Result<std::string> switch_to_wal(SqliteHandle& db) {
  auto stmt = Statement::prepare(db, "PRAGMA journal_mode = WAL");
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return *row ? stmt->column_text(0) : std::string("unknown");
}

Status configure(SqliteHandle& db, std::chrono::milliseconds busy_timeout) {
  // Switching a new store to WAL needs its exclusive lock, and SQLite reports SQLITE_BUSY at once, without its busy
  // handler, while another connection is opening the same new store (two processes' first opens): retried here for
  // up to the busy timeout.
  const auto until = std::chrono::steady_clock::now() + busy_timeout;
  auto mode = switch_to_wal(db);
  while (!mode && mode.error().code() == ErrorCode::kStoreBusy && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    mode = switch_to_wal(db);
  }
  if (!mode) return fail(mode.error());
  if (*mode != "wal") {
    log::warn("store", "case store {}: WAL is not available on this filesystem; using journal mode {}", db.path(),
              *mode);
  }
  EMAILV2_TRY(db.exec("PRAGMA synchronous = FULL"));
  EMAILV2_TRY(db.exec("PRAGMA foreign_keys = ON"));
  return ok();
}

}  // namespace

Result<Database> Database::open(const std::filesystem::path& path, const OpenOptions& options) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return fail(io_error(path, "cannot stat", errno));
    if (!options.create_if_missing) {
      return fail(ErrorCode::kStoreError, fmt::format("case store {} does not exist", path.string()));
    }
    EMAILV2_TRY(create_private_file(path));
    if (::lstat(path.c_str(), &st) != 0) return fail(io_error(path, "cannot stat", errno));
  }
  if (S_ISLNK(st.st_mode)) {
    return fail(ErrorCode::kStoreError, fmt::format("case store {} is a symbolic link; refused", path.string()));
  }
  if (!S_ISREG(st.st_mode)) {
    return fail(ErrorCode::kStoreError, fmt::format("case store {} is not a regular file", path.string()));
  }
  EMAILV2_TRY(check_header(path, st.st_size));

  auto handle = SqliteHandle::open_existing(path);
  if (!handle) return fail(handle.error());
  EMAILV2_TRY(handle->set_busy_timeout(options.busy_timeout));
  if (st.st_size > 0) EMAILV2_TRY(quick_check(*handle));
  auto version = read_schema_version(*handle);
  if (!version) return fail(version.error());
  if (*version > kSchemaVersion) {
    return fail(ErrorCode::kStoreError,
                fmt::format("case store {} has schema version {}, newer than this emailv2 supports ({}); use a newer "
                            "emailv2 (the file was not modified)",
                            path.string(), *version, kSchemaVersion));
  }

  // Everything above only read. From here on the file is ours and may be written.
  make_private(path, st.st_mode);
  EMAILV2_TRY(configure(*handle, options.busy_timeout));
  auto migrated = migrate(*handle);
  if (!migrated) return fail(migrated.error());
  return Database(std::move(*handle), path, *migrated);
}

Result<WriteTransaction> Database::begin_write() { return WriteTransaction::begin(handle_); }

}  // namespace emailv2::store
