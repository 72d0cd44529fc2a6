#include "connector/candidates.h"

#include <algorithm>

namespace emailv2::connector {
namespace {

constexpr std::chrono::hours kDay{24};

std::uint32_t highest_existing(std::uint32_t uid_next) { return uid_next == 0 ? 0 : uid_next - 1; }

TimePoint offset_cutoff(int offset_days, TimePoint now) { return now - kDay * offset_days; }

store::FolderCheckpoint first_run(std::uint32_t uidvalidity, std::uint32_t uid_next, int offset_days,
                                  TimePoint now) {
  store::FolderCheckpoint cp;
  cp.uidvalidity = uidvalidity;
  if (offset_days == 0 && uid_next != 0) {
    cp.last_uid = highest_existing(uid_next);
    return cp;
  }
  cp.backfill_cutoff = offset_cutoff(offset_days, now);
  // Without UIDNEXT every UID is part of the backfill window (the exact time filter bounds it).
  cp.backfill_until_uid = uid_next == 0 ? UINT32_MAX : highest_existing(uid_next);
  return cp;
}

store::FolderCheckpoint resync(const store::FolderCheckpoint& old, std::uint32_t uidvalidity, std::uint32_t uid_next,
                               int offset_days, TimePoint now) {
  store::FolderCheckpoint cp;
  cp.uidvalidity = uidvalidity;
  cp.last_uid = 0;
  cp.backfill_until_uid = uid_next == 0 ? UINT32_MAX : highest_existing(uid_next);
  TimePoint cutoff = offset_cutoff(offset_days, now);
  if (old.last_success_at) cutoff = std::min(cutoff, *old.last_success_at - kDay);
  cp.backfill_cutoff = cutoff;
  cp.uidvalidity_streak = old.uidvalidity_streak + 1;
  cp.last_success_at = old.last_success_at;
  return cp;
}

}  // namespace

FolderPlan plan_folder(const std::optional<store::FolderCheckpoint>& stored, std::uint32_t uidvalidity,
                       std::uint32_t uid_next, int offset_days, TimePoint now) {
  FolderPlan plan;
  if (!stored) {
    plan.start = FolderStart::kFirstRun;
    plan.checkpoint = first_run(uidvalidity, uid_next, offset_days, now);
    plan.save_now = true;
    return plan;
  }
  if (stored->uidvalidity_streak >= kUnstableStreak) {
    plan.start = FolderStart::kUnstable;
    plan.checkpoint = *stored;
    return plan;
  }
  if (stored->uidvalidity == uidvalidity) {
    plan.checkpoint = *stored;
    if (plan.checkpoint.uidvalidity_streak != 0) {
      plan.checkpoint.uidvalidity_streak = 0;
      plan.save_now = true;
    }
    return plan;
  }
  plan.checkpoint = resync(*stored, uidvalidity, uid_next, offset_days, now);
  plan.start = plan.checkpoint.uidvalidity_streak >= kUnstableStreak ? FolderStart::kUnstable : FolderStart::kResync;
  plan.save_now = true;
  return plan;
}

std::vector<CandidateSearch> candidate_searches(const store::FolderCheckpoint& cp, bool unread_only) {
  std::vector<CandidateSearch> searches;
  const std::uint32_t from = cp.last_uid == UINT32_MAX ? UINT32_MAX : cp.last_uid + 1;
  const bool backfilling = cp.backfill_until_uid && cp.last_uid < *cp.backfill_until_uid;
  if (!backfilling) {
    CandidateSearch all;
    all.criteria.unseen = unread_only;
    all.criteria.min_uid = from;
    all.min_uid = from;
    searches.push_back(std::move(all));
    return searches;
  }
  const std::uint32_t until = *cp.backfill_until_uid;
  CandidateSearch old;
  old.criteria.unseen = unread_only;
  old.criteria.min_uid = from;
  old.criteria.received_since = cp.backfill_cutoff;
  old.min_uid = from;
  old.max_uid = until;
  searches.push_back(std::move(old));
  if (until != UINT32_MAX) {
    CandidateSearch fresh;
    fresh.criteria.unseen = unread_only;
    fresh.criteria.min_uid = until + 1;
    fresh.min_uid = until + 1;
    searches.push_back(std::move(fresh));
  }
  return searches;
}

CandidateSelection select_candidates(const std::vector<CandidateSearch>& searches,
                                     const std::vector<std::vector<std::uint32_t>>& found,
                                     const store::FolderCheckpoint& cp, std::size_t budget) {
  std::vector<std::uint32_t> all;
  for (std::size_t i = 0; i < searches.size() && i < found.size(); ++i) {
    for (std::uint32_t uid : found[i]) {
      if (uid <= cp.last_uid || uid < searches[i].min_uid) continue;
      if (searches[i].max_uid && uid > *searches[i].max_uid) continue;
      all.push_back(uid);
    }
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  CandidateSelection selection;
  selection.truncated = all.size() > budget;
  if (selection.truncated) all.resize(budget);
  selection.uids = std::move(all);
  return selection;
}

store::FolderCheckpoint advanced(store::FolderCheckpoint cp, std::uint32_t uid) {
  cp.last_uid = std::max(cp.last_uid, uid);
  if (cp.backfill_until_uid && cp.last_uid >= *cp.backfill_until_uid) {
    cp.backfill_until_uid.reset();
    cp.backfill_cutoff.reset();
  }
  return cp;
}

store::FolderCheckpoint drained(store::FolderCheckpoint cp, std::uint32_t uid_next) {
  if (uid_next == 0) {
    // Unknown UIDNEXT: every candidate was handled, so the backfill window is over.
    cp.backfill_until_uid.reset();
    cp.backfill_cutoff.reset();
    return cp;
  }
  return advanced(std::move(cp), highest_existing(uid_next));
}

store::FolderCheckpoint finished(store::FolderCheckpoint cp, TimePoint now) {
  cp.last_success_at = now;
  return cp;
}

}  // namespace emailv2::connector
