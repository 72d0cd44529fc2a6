#pragma once
// The pure planning half of one folder's cycle (CONTRACT §5.3 step 4.1–4.4 and 4.7): what the checkpoint becomes
// when the folder is opened (first run, UIDVALIDITY change, flapping), which searches select the candidates, which
// UIDs are kept, and what a drained folder's checkpoint is. No I/O, no clock except the `now` passed in.
//
// Rules encoded here:
//  * First run (no checkpoint): backfill_cutoff = now - Offset days, backfill_until_uid = UIDNEXT - 1, last_uid = 0;
//    with Offset 0 last_uid = UIDNEXT - 1 and no backfill (nothing old is taken).
//  * UIDVALIDITY changed: last_uid = 0, backfill_until_uid = UIDNEXT - 1, backfill_cutoff = min(now - Offset days,
//    last_success_at - 1 day); streak + 1. At streak >= 3 the folder is UIDVALIDITY_UNSTABLE (skipped) until
//    `--reset-checkpoint FOLDER`; a stored streak >= 3 stays unstable whatever the server says now.
//  * Unchanged UIDVALIDITY: the checkpoint as stored, with the streak cleared (a folder seen stable once is no longer
//    flapping; a stored streak >= 3 is kept until the reset).
//  * Candidates: during a backfill two searches, `UID last+1:* [UNSEEN]` with the exact INTERNALDATE filter kept to
//    UIDs <= backfill_until_uid, and `UID until+1:* [UNSEEN]` without a time filter for the UIDs above it (so a mail
//    that arrives during a backfill with an old INTERNALDATE is never missed). Otherwise one search from last_uid+1.
//    UIDs <= last_uid are dropped (`n:*` always returns the highest UID), the rest sorted ascending, first B kept.
//  * Drained folder: last_uid = max(last_uid, UIDNEXT - 1 as read when the folder was opened); the backfill fields
//    are cleared once last_uid >= backfill_until_uid.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "mail/search_criteria.h"
#include "store/checkpoint_repository.h"

namespace emailv2::connector {

using TimePoint = std::chrono::system_clock::time_point;

inline constexpr int kUnstableStreak = 3;

enum class FolderStart { kContinue, kFirstRun, kResync, kUnstable };

struct FolderPlan {
  FolderStart start = FolderStart::kContinue;
  store::FolderCheckpoint checkpoint;  // the checkpoint this cycle works from
  bool save_now = false;               // differs from the stored one: persist before any message
};

// `uid_next` is the folder's UIDNEXT (0 when the server did not say: then the highest UID seen is unknown and the
// first run takes every message of the backfill window).
FolderPlan plan_folder(const std::optional<store::FolderCheckpoint>& stored, std::uint32_t uidvalidity,
                       std::uint32_t uid_next, int offset_days, TimePoint now);

struct CandidateSearch {
  mail::SearchCriteria criteria;
  std::uint32_t min_uid = 1;         // keep UIDs >= this ...
  std::optional<std::uint32_t> max_uid;  // ... and <= this
};

std::vector<CandidateSearch> candidate_searches(const store::FolderCheckpoint& checkpoint, bool unread_only);

struct CandidateSelection {
  std::vector<std::uint32_t> uids;  // ascending, at most `budget`
  bool truncated = false;           // more UIDs matched than the budget allowed (the folder is not drained)
};

// Merges the results of candidate_searches() (parallel vectors), applies each search's UID window, drops UIDs <=
// last_uid, dedups, sorts ascending and keeps `budget`.
CandidateSelection select_candidates(const std::vector<CandidateSearch>& searches,
                                     const std::vector<std::vector<std::uint32_t>>& found,
                                     const store::FolderCheckpoint& checkpoint, std::size_t budget);

// The checkpoint after a message with `uid` committed.
store::FolderCheckpoint advanced(store::FolderCheckpoint checkpoint, std::uint32_t uid);
// The checkpoint of a folder whose candidates were all handled and none were left over the budget.
store::FolderCheckpoint drained(store::FolderCheckpoint checkpoint, std::uint32_t uid_next);
// The checkpoint of a folder that finished this cycle without error: last_success_at = now.
store::FolderCheckpoint finished(store::FolderCheckpoint checkpoint, TimePoint now);

}  // namespace emailv2::connector
