#pragma once
// Moves WAL checkpoints off the writing thread (issue 7: the connector's store thread is its serial stage).
//
// SQLite's default makes the connection that commits past 1,000 WAL pages copy them into the database file and
// fsync it inside that COMMIT. While a WalCheckpointer lives, the writer's automatic checkpoint is off and a thread
// with its own connection runs PASSIVE checkpoints instead, woken by the writer's WAL hook when the WAL holds
// `wake_at_frames` pages. The writer never waits for it, except as back-pressure: a commit that leaves more than
// `writer_waits_at_frames` pages in the WAL waits until the running checkpoint round ends (so the WAL stays bounded
// when the checkpointer cannot keep up). Durability is unchanged: checkpointing never decides what is committed
// (the WAL does), the checkpointer's connection uses synchronous=FULL, and a kill at any point leaves a WAL that the
// next open recovers. The destructor stops the thread and restores the writer's automatic checkpoint; the final
// checkpoint happens as before, when the last connection closes.
//
// Use on a Database whose connection is used by one thread (as every Database is); single instance per Database.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "store/database.h"

namespace emailv2::store {

struct WalCheckpointerOptions {
  int wake_at_frames = 1000;           // SQLite's own autocheckpoint threshold
  int writer_waits_at_frames = 16000;  // ~64 MiB of 4 KiB pages
};

class WalCheckpointer {
 public:
  // Opens the second connection. Fails (and changes nothing) when the store is not in WAL mode or cannot be opened
  // again; the caller then simply goes on with SQLite's automatic checkpoints.
  static Result<std::unique_ptr<WalCheckpointer>> start(Database& db, WalCheckpointerOptions options = {});
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoint rounds run so far, and how often a commit had to wait for one (tests, measurements).
  std::uint64_t rounds() const;
  std::uint64_t writer_waits() const;

 private:
  WalCheckpointer(Database& db, SqliteHandle own, WalCheckpointerOptions options);
  static int on_commit(void* self, struct sqlite3* db, const char* schema, int frames);
  void commit_hook(int frames);
  void run();

  Database& db_;
  SqliteHandle own_;
  WalCheckpointerOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool wanted_ = false;   // the writer asked for a round
  bool running_ = false;  // a round is in progress
  bool stop_ = false;
  std::uint64_t rounds_ = 0;
  std::uint64_t writer_waits_ = 0;
  std::thread thread_;
};

}  // namespace emailv2::store
