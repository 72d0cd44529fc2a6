// The pure planning half of the cycle (connector/candidates.h), the soft deadline, the folder order, the daemon's
// schedule and the summary line.
#include <gtest/gtest.h>

#include "connector/candidates.h"
#include "connector/cycle.h"
#include "connector/daemon.h"
#include "connector/summary.h"

namespace emailv2::connector {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow = std::chrono::sys_days(std::chrono::year{2024} / 5 / 20) + 12h;

store::FolderCheckpoint checkpoint(std::uint32_t uidvalidity, std::uint32_t last_uid) {
  store::FolderCheckpoint cp;
  cp.uidvalidity = uidvalidity;
  cp.last_uid = last_uid;
  return cp;
}

TEST(PlanFolder, FirstRunBackfillsOffsetDaysUpToUidNextMinusOne) {
  const auto plan = plan_folder(std::nullopt, 77, 51, 5, kNow);
  EXPECT_EQ(plan.start, FolderStart::kFirstRun);
  EXPECT_TRUE(plan.save_now);
  EXPECT_EQ(plan.checkpoint.uidvalidity, 77u);
  EXPECT_EQ(plan.checkpoint.last_uid, 0u);
  EXPECT_EQ(plan.checkpoint.backfill_until_uid, 50u);
  EXPECT_EQ(plan.checkpoint.backfill_cutoff, kNow - 5 * 24h);
}

TEST(PlanFolder, FirstRunWithOffsetZeroTakesNothingOld) {
  const auto plan = plan_folder(std::nullopt, 77, 51, 0, kNow);
  EXPECT_EQ(plan.checkpoint.last_uid, 50u);
  EXPECT_FALSE(plan.checkpoint.backfill_until_uid);
  EXPECT_FALSE(plan.checkpoint.backfill_cutoff);
}

TEST(PlanFolder, FirstRunWithoutUidNextBackfillsEverythingInTheWindow) {
  const auto plan = plan_folder(std::nullopt, 77, 0, 0, kNow);
  EXPECT_EQ(plan.checkpoint.last_uid, 0u);
  EXPECT_EQ(plan.checkpoint.backfill_until_uid, UINT32_MAX);
}

TEST(PlanFolder, UnchangedUidValidityContinuesAndClearsTheStreak) {
  auto stored = checkpoint(77, 40);
  stored.uidvalidity_streak = 2;
  const auto plan = plan_folder(stored, 77, 51, 5, kNow);
  EXPECT_EQ(plan.start, FolderStart::kContinue);
  EXPECT_EQ(plan.checkpoint.last_uid, 40u);
  EXPECT_EQ(plan.checkpoint.uidvalidity_streak, 0);
  EXPECT_TRUE(plan.save_now);
  EXPECT_FALSE(plan_folder(checkpoint(77, 40), 77, 51, 5, kNow).save_now);
}

TEST(PlanFolder, UidValidityChangeResyncsFromZeroWithTheEarlierCutoff) {
  auto stored = checkpoint(77, 40);
  stored.last_success_at = kNow - 10 * 24h;  // older than Offset: the cutoff reaches back to it, minus a day
  const auto plan = plan_folder(stored, 78, 31, 5, kNow);
  EXPECT_EQ(plan.start, FolderStart::kResync);
  EXPECT_EQ(plan.checkpoint.uidvalidity, 78u);
  EXPECT_EQ(plan.checkpoint.last_uid, 0u);
  EXPECT_EQ(plan.checkpoint.backfill_until_uid, 30u);
  EXPECT_EQ(plan.checkpoint.backfill_cutoff, kNow - 11 * 24h);
  EXPECT_EQ(plan.checkpoint.uidvalidity_streak, 1);
  stored.last_success_at = kNow - 1h;
  EXPECT_EQ(plan_folder(stored, 78, 31, 5, kNow).checkpoint.backfill_cutoff, kNow - 5 * 24h);
}

TEST(PlanFolder, ThirdConsecutiveChangeIsUnstableAndStaysSo) {
  auto stored = checkpoint(77, 40);
  stored.uidvalidity_streak = 2;
  const auto plan = plan_folder(stored, 78, 31, 5, kNow);
  EXPECT_EQ(plan.start, FolderStart::kUnstable);
  EXPECT_EQ(plan.checkpoint.uidvalidity_streak, 3);
  // Even when the server settles, the folder stays skipped until --reset-checkpoint.
  EXPECT_EQ(plan_folder(plan.checkpoint, 78, 31, 5, kNow).start, FolderStart::kUnstable);
}

TEST(Candidates, OneSearchFromLastUidWithoutBackfill) {
  const auto s = candidate_searches(checkpoint(1, 9), true);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].criteria.unseen);
  EXPECT_EQ(s[0].criteria.min_uid, 10u);
  EXPECT_FALSE(s[0].criteria.received_since);
}

TEST(Candidates, BackfillSearchesTheOldRangeExactlyAndTheNewRangeUnfiltered) {
  auto cp = checkpoint(1, 3);
  cp.backfill_until_uid = 20;
  cp.backfill_cutoff = kNow - 24h;
  const auto s = candidate_searches(cp, false);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].criteria.min_uid, 4u);
  EXPECT_EQ(s[0].criteria.received_since, kNow - 24h);
  EXPECT_EQ(s[0].max_uid, 20u);
  EXPECT_FALSE(s[0].criteria.unseen);
  EXPECT_EQ(s[1].criteria.min_uid, 21u);
  EXPECT_FALSE(s[1].criteria.received_since);
}

TEST(Candidates, SelectDropsAtOrBelowLastUidAppliesWindowsSortsAndKeepsTheBudget) {
  auto cp = checkpoint(1, 10);
  cp.backfill_until_uid = 20;
  cp.backfill_cutoff = kNow;
  const auto searches = candidate_searches(cp, false);
  // `n:*` returns the highest UID even when it is below n; the old search may return UIDs above its window.
  const std::vector<std::vector<std::uint32_t>> found = {{25, 10, 12, 11, 21}, {25, 21, 30, 22}};
  const auto all = select_candidates(searches, found, cp, 100);
  EXPECT_EQ(all.uids, (std::vector<std::uint32_t>{11, 12, 21, 22, 25, 30}));
  EXPECT_FALSE(all.truncated);
  const auto some = select_candidates(searches, found, cp, 3);
  EXPECT_EQ(some.uids, (std::vector<std::uint32_t>{11, 12, 21}));
  EXPECT_TRUE(some.truncated);
}

TEST(Candidates, AdvancedAndDrainedCloseTheBackfill) {
  auto cp = checkpoint(1, 0);
  cp.backfill_until_uid = 5;
  cp.backfill_cutoff = kNow;
  auto a = advanced(cp, 3);
  EXPECT_EQ(a.last_uid, 3u);
  EXPECT_TRUE(a.backfill_until_uid);
  a = advanced(a, 5);
  EXPECT_FALSE(a.backfill_until_uid);
  EXPECT_FALSE(a.backfill_cutoff);
  const auto d = drained(cp, 9);
  EXPECT_EQ(d.last_uid, 8u);
  EXPECT_FALSE(d.backfill_until_uid);
  EXPECT_EQ(drained(checkpoint(1, 12), 9).last_uid, 12u);  // never goes back
}

TEST(SoftDeadline, NoNewMessageAfterTimeoutMinusMaxOfFiveSecondsAndTenPercent) {
  EXPECT_EQ(last_start_after(10s), 5s);
  EXPECT_EQ(last_start_after(60s), 54s);
  EXPECT_EQ(last_start_after(100s), 90s);
  EXPECT_EQ(last_start_after(3600s), 3240s);
  EXPECT_EQ(last_start_after(3s), 0s);
}

TEST(CycleFolders, DropsDuplicatesAndRotatesToTheCursor) {
  EXPECT_EQ(cycle_folders({"Inbox", "A", "INBOX", "", "B", "A"}, std::nullopt),
            (std::vector<std::string>{"Inbox", "A", "B"}));
  EXPECT_EQ(cycle_folders({"Inbox", "A", "B"}, std::string("A")), (std::vector<std::string>{"A", "B", "Inbox"}));
  EXPECT_EQ(cycle_folders({"Inbox", "A", "B"}, std::string("inbox")), (std::vector<std::string>{"Inbox", "A", "B"}));
  EXPECT_EQ(cycle_folders({"Inbox", "A"}, std::string("Gone")), (std::vector<std::string>{"Inbox", "A"}));
}

TEST(DaemonSchedule, FixedIntervalLateCycleAtOnceBackoffCappedAtInterval) {
  const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  EXPECT_EQ(next_cycle_start(t0, t0 + 5s, 600s, 0), t0 + 600s);   // fixed interval from the start
  EXPECT_EQ(next_cycle_start(t0, t0 + 700s, 600s, 0), t0 + 700s);  // late: at once, no catch-up burst
  EXPECT_EQ(next_cycle_start(t0, t0 + 1s, 600s, 1), t0 + 31s);    // backoff 30 s, 60 s, 120 s ...
  EXPECT_EQ(next_cycle_start(t0, t0 + 1s, 600s, 2), t0 + 61s);
  EXPECT_EQ(next_cycle_start(t0, t0 + 1s, 600s, 3), t0 + 121s);
  EXPECT_EQ(next_cycle_start(t0, t0 + 1s, 100s, 3), t0 + 101s);   // ... up to the interval
}

TEST(Summary, KeysInContractOrderAndExitCodes) {
  CycleSummary s;
  s.instance = "default";
  s.account = "soc@example.com@imap.example.com:993";
  s.started_at = s.finished_at = kNow;
  FolderSummary f;
  f.folder = "Inbox";
  f.uidvalidity = 7;
  s.folders.push_back(f);
  const auto j = summary_json(s);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"connector", "instance", "account", "dry_run", "status", "started_at",
                                            "finished_at", "folders", "alerts_created", "case_ids", "seen_pending",
                                            "alerts"}));
  EXPECT_EQ(j["connector"], "Generic IMAP Email Connector");
  EXPECT_EQ(j["started_at"], "2024-05-20T12:00:00Z");
  std::vector<std::string> folder_keys;
  for (auto it = j["folders"][0].begin(); it != j["folders"][0].end(); ++it) folder_keys.push_back(it.key());
  EXPECT_EQ(folder_keys, (std::vector<std::string>{"folder", "uidvalidity", "last_uid_before", "last_uid_after",
                                                   "candidates", "processed", "alerted", "excluded", "duplicates",
                                                   "placeholders", "error"}));
  EXPECT_EQ(exit_code(s), 0);
  EXPECT_EQ(summary_line(s).find('\n'), summary_line(s).size() - 1);
  s.status = CycleStatus::kPartial;
  EXPECT_EQ(exit_code(s), 2);
  s.status = CycleStatus::kSkipped;
  EXPECT_EQ(exit_code(s), 75);
  s.status = CycleStatus::kFailed;
  s.error = Error(ErrorCode::kConfigInvalid, "x");
  EXPECT_EQ(exit_code(s), 78);
  EXPECT_EQ(summary_json(s)["error"], "CONFIG_INVALID: x");
}

}  // namespace
}  // namespace emailv2::connector

namespace emailv2::connector {
namespace {

using namespace std::chrono_literals;

TEST(Daemon, BacksOffOnConnectionErrorsReloadsOnSighupAndStopsOnSignal) {
  int cycles = 0;
  int reload_checks = 0;
  std::vector<std::string> instances;
  std::vector<std::chrono::milliseconds> sleeps;
  DaemonHooks hooks;
  hooks.load_settings = [] {
    Settings s;
    s.instance = "reloaded";
    s.run_every = 100s;
    return Result<Settings>(std::move(s));
  };
  hooks.run_cycle = [&](const Settings& s) {
    CycleSummary summary;
    summary.instance = s.instance;
    summary.connection_failed = cycles < 2;  // the first two cycles cannot connect
    ++cycles;
    return summary;
  };
  hooks.on_summary = [&](const CycleSummary& s) { instances.push_back(s.instance); };
  hooks.sleep = [&](std::chrono::milliseconds d) {
    sleeps.push_back(d);
    return true;
  };
  hooks.reload = [&] { return ++reload_checks == 3; };  // SIGHUP before the third cycle
  hooks.stop = [&] { return cycles >= 4; };
  Settings initial;
  initial.instance = "first";
  initial.run_every = 600s;
  EXPECT_EQ(run_daemon(initial, std::nullopt, hooks), 0);
  EXPECT_EQ(cycles, 4);
  EXPECT_EQ(instances, (std::vector<std::string>{"first", "first", "reloaded", "reloaded"}));
  ASSERT_EQ(sleeps.size(), 3u);
  EXPECT_GT(sleeps[0], 29s);  // backoff 30 s
  EXPECT_LE(sleeps[0], 30s);
  EXPECT_GT(sleeps[1], 59s);  // then 60 s
  EXPECT_LE(sleeps[1], 60s);
  EXPECT_GT(sleeps[2], 99s);  // connected again: the (reloaded) interval
  EXPECT_LE(sleeps[2], 100s);
}

TEST(Daemon, AnInvalidReloadKeepsThePreviousConfigurationAndAStoppedCycleEndsTheLoop) {
  int cycles = 0;
  std::vector<std::string> instances;
  DaemonHooks hooks;
  hooks.load_settings = [] { return Result<Settings>(fail(ErrorCode::kConfigInvalid, "bad")); };
  hooks.run_cycle = [&](const Settings& s) {
    CycleSummary summary;
    summary.instance = s.instance;
    summary.stopped = ++cycles == 2;  // SIGTERM arrived during the second cycle
    return summary;
  };
  hooks.on_summary = [&](const CycleSummary& s) { instances.push_back(s.instance); };
  hooks.sleep = [](std::chrono::milliseconds) { return true; };
  hooks.reload = [] { return true; };
  hooks.stop = [] { return false; };
  Settings initial;
  initial.instance = "kept";
  EXPECT_EQ(run_daemon(initial, 1s, hooks), 0);
  EXPECT_EQ(instances, (std::vector<std::string>{"kept", "kept"}));
}

}  // namespace
}  // namespace emailv2::connector
