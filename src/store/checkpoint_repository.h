#pragma once
// Folder checkpoints (CONTRACT §5.3 step 4) and the per-(instance, account) resume cursor: the first folder not
// drained by the previous cycle, where the next cycle starts (fair resumption across folders).

#include <optional>
#include <string>

#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::store {

struct FolderKey {
  std::string instance;
  std::string account;
  std::string folder;
};

struct FolderCheckpoint {
  std::uint32_t uidvalidity = 0;
  std::uint32_t last_uid = 0;
  std::optional<TimePoint> backfill_cutoff;           // set while a first run / resync backfill is open
  std::optional<std::uint32_t> backfill_until_uid;
  int uidvalidity_streak = 0;                         // consecutive UIDVALIDITY changes (>= 3: UIDVALIDITY_UNSTABLE)
  std::optional<TimePoint> last_success_at;           // last cycle that finished this folder
  bool operator==(const FolderCheckpoint&) const = default;
};

class CheckpointRepository {
 public:
  explicit CheckpointRepository(Database& db) : db_(db) {}

  // nullopt = first run for this folder.
  Result<std::optional<FolderCheckpoint>> load(const FolderKey& key);
  // Insert or replace the folder's checkpoint.
  Status save(WriteTransaction& tx, const FolderKey& key, const FolderCheckpoint& checkpoint);
  // `--reset-checkpoint FOLDER`: deletes the checkpoint and its streak. Returns whether one existed.
  Result<bool> reset(WriteTransaction& tx, const FolderKey& key);

  // The folder the next cycle of (instance, account) starts with; nullopt = the first configured folder.
  Result<std::optional<std::string>> next_folder(std::string_view instance, std::string_view account);
  // nullopt clears the cursor (every folder was drained).
  Status set_next_folder(WriteTransaction& tx, std::string_view instance, std::string_view account,
                         const std::optional<std::string>& folder);

 private:
  Database& db_;
};

}  // namespace emailv2::store
