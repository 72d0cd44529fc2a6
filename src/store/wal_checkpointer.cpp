#include "store/wal_checkpointer.h"

#include <sqlite3.h>

#include "core/log.h"
#include "store/statement.h"

namespace emailv2::store {
namespace {

constexpr std::string_view kLog = "store";
constexpr int kSqliteDefaultAutocheckpoint = 1000;

Result<bool> in_wal_mode(const SqliteHandle& db) {
  auto stmt = Statement::prepare(db, "PRAGMA journal_mode");
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  return *row && stmt->column_text(0) == "wal";
}

}  // namespace

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(Database& db, WalCheckpointerOptions options) {
  auto wal = in_wal_mode(db.handle());
  if (!wal) return fail(wal.error());
  if (!*wal) return fail(ErrorCode::kStoreError, "the case store is not in WAL mode: no background checkpoints");
  auto own = SqliteHandle::open_existing(db.path());
  if (!own) return fail(own.error());
  EMAILV2_TRY(own->set_busy_timeout(db.handle().busy_timeout()));
  EMAILV2_TRY(own->exec("PRAGMA synchronous = FULL"));
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(db, std::move(*own), options));
}

WalCheckpointer::WalCheckpointer(Database& db, SqliteHandle own, WalCheckpointerOptions options)
    : db_(db), own_(std::move(own)), options_(options) {
  thread_ = std::thread([this] { run(); });
  // Replaces SQLite's automatic checkpoint hook on the writer (sqlite3_wal_autocheckpoint installs one).
  sqlite3_wal_hook(db_.handle().raw(), &WalCheckpointer::on_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_autocheckpoint(db_.handle().raw(), kSqliteDefaultAutocheckpoint);  // removes our hook
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

int WalCheckpointer::on_commit(void* self, sqlite3* /*db*/, const char* /*schema*/, int frames) {
  static_cast<WalCheckpointer*>(self)->commit_hook(frames);
  return SQLITE_OK;
}

void WalCheckpointer::commit_hook(int frames) {
  if (frames < options_.wake_at_frames) return;
  std::unique_lock lock(mutex_);
  wanted_ = true;
  changed_.notify_all();
  if (frames < options_.writer_waits_at_frames) return;
  ++writer_waits_;
  changed_.wait(lock, [this] { return stop_ || (!wanted_ && !running_); });
}

void WalCheckpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stop_ || wanted_; });
    if (stop_) return;
    wanted_ = false;
    running_ = true;
    lock.unlock();
    int wal_frames = 0;
    int copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(own_.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      log::warn(kLog, "background checkpoint of {}: {} (SQLite checkpoints again at the next round or on close)",
                db_.path().string(), sqlite3_errstr(rc));
    }
    lock.lock();
    running_ = false;
    ++rounds_;
    changed_.notify_all();
  }
}

std::uint64_t WalCheckpointer::rounds() const {
  std::lock_guard lock(mutex_);
  return rounds_;
}

std::uint64_t WalCheckpointer::writer_waits() const {
  std::lock_guard lock(mutex_);
  return writer_waits_;
}

}  // namespace emailv2::store
