// The budget B shared across folders, fair resumption (the next cycle starts with the first folder not drained),
// --limit, the deadline (no new message after D - max(5 s, 10%)), and a stop request between messages.
#include "cycle_support.h"

namespace emailv2::connector::testing {
namespace {

class CycleBudget : public CycleTest {
 protected:
  void fill(const std::string& folder, int n) {
    for (int i = 1; i <= n; ++i) {
      mail_.deliver(folder, mail_text(folder + " " + std::to_string(i), folder + std::to_string(i) + "@x"),
                    clock_.now());
    }
  }
  std::vector<std::size_t> processed(const CycleSummary& s) {
    std::vector<std::size_t> out;
    for (const auto& f : s.folders) out.push_back(f.processed);
    return out;
  }
  std::vector<std::string> order(const CycleSummary& s) {
    std::vector<std::string> out;
    for (const auto& f : s.folders) out.push_back(f.folder);
    return out;
  }
};

TEST_F(CycleBudget, BudgetIsSharedAcrossFoldersAndTheNextCycleResumesWhereItStopped) {
  config_["folder-to-check-for-emails"] = "Inbox, A, B";
  config_["max-emails-per-cycle"] = "4";
  fill("INBOX", 3);
  fill("A", 3);
  fill("B", 2);
  auto s = cycle();
  EXPECT_EQ(order(s), (std::vector<std::string>{"Inbox", "A", "B"}));
  EXPECT_EQ(processed(s), (std::vector<std::size_t>{3, 1, 0})) << summary_line(s);
  EXPECT_EQ(s.folders[1].candidates, 1u);
  // A was not drained: the next cycle starts there.
  s = cycle();
  EXPECT_EQ(order(s), (std::vector<std::string>{"A", "B", "Inbox"}));
  EXPECT_EQ(processed(s), (std::vector<std::size_t>{2, 2, 0})) << summary_line(s);
  s = cycle();
  EXPECT_EQ(order(s), (std::vector<std::string>{"Inbox", "A", "B"}));
  EXPECT_EQ(processed(s), (std::vector<std::size_t>{0, 0, 0}));
  EXPECT_EQ(cases().size(), 8u);
}

TEST_F(CycleBudget, ABusyFirstFolderDoesNotStarveTheOthersForever) {
  config_["folder-to-check-for-emails"] = "Inbox, B";
  config_["max-emails-per-cycle"] = "2";
  fill("INBOX", 5);
  fill("B", 1);
  int cycles = 0;
  while (!ledger("B", 1) && cycles < 10) {
    cycle();
    ++cycles;
  }
  EXPECT_TRUE(ledger("B", 1));
  EXPECT_LE(cycles, 3);
}

TEST_F(CycleBudget, LimitOverridesMaxEmailsPerCycle) {
  fill("INBOX", 5);
  CycleOptions options;
  options.limit = 2;
  const auto s = cycle(options);
  EXPECT_EQ(s.folders[0].processed, 2u);
  EXPECT_EQ(s.folders[0].candidates, 2u);
  EXPECT_EQ(checkpoint("Inbox")->last_uid, 2u);  // not drained: UIDNEXT rule not applied
}

TEST_F(CycleBudget, NoMessageStartsAfterTheSoftDeadline) {
  fill("INBOX", 3);
  Settings s = settings();
  s.script_timeout = std::chrono::seconds(3);  // D - max(5 s, 10%) is already past at the start
  settings_override_ = s;
  auto summary = cycle();
  EXPECT_EQ(summary.status, CycleStatus::kOk) << summary_line(summary);
  EXPECT_EQ(summary.folders[0].processed, 0u);
  EXPECT_EQ(cases().size(), 0u);
  settings_override_.reset();
  summary = cycle();
  EXPECT_EQ(summary.folders[0].processed, 3u);
}

TEST_F(CycleBudget, StopRequestFinishesTheOpenMessageAndStartsNoOther) {
  fill("INBOX", 5);
  CycleOptions options;
  int asked = 0;
  options.stop_requested = [&] { return ++asked > 4; };  // a few checks pass, then the signal "arrives"
  const auto s = cycle(options);
  EXPECT_TRUE(s.stopped);
  EXPECT_LT(s.folders[0].processed, 5u);
  EXPECT_EQ(static_cast<std::size_t>(count_rows("ingested_message")), s.folders[0].processed);
  EXPECT_EQ(checkpoint("Inbox")->last_uid, s.folders[0].processed);
  const auto rest = cycle();
  EXPECT_EQ(s.folders[0].processed + rest.folders[0].processed, 5u);
  EXPECT_EQ(cases().size(), 5u);
}

TEST_F(CycleBudget, LeaseHeldByALiveProcessSkipsTheCycle) {
  fill("INBOX", 1);
  const Settings st = settings();
  auto other = store::Database::open(store_path_);
  ASSERT_TRUE(other);
  auto held = LeaseGuard::acquire(*other, {store_path_, st.instance, st.account, 120s}, clock_);
  ASSERT_TRUE(held);
  ASSERT_TRUE(held->taken());
  const auto s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kSkipped);
  EXPECT_EQ(exit_code(s), 75);
  EXPECT_EQ(mail_.connections(), 0u);
  ASSERT_TRUE(held->release());
  EXPECT_EQ(cycle().status, CycleStatus::kOk);
}

TEST_F(CycleBudget, ALeaseLeftByADeadProcessOnThisHostIsTakenOverAtOnce) {
  fill("INBOX", 1);
  const Settings st = settings();
  {
    auto tx = db_->begin_write();
    ASSERT_TRUE(tx);
    const store::LeaseOwner dead{LeaseGuard::local_host(), 999999, "dead"};
    auto took = store::LeaseRepository(*db_).take(*tx, st.instance, st.account, dead.to_string(), clock_.now(),
                                                  clock_.now() + 1h);
    ASSERT_TRUE(took && took->taken);
    ASSERT_TRUE(tx->commit());
  }
  const auto s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  EXPECT_EQ(cases().size(), 1u);
}

TEST_F(CycleBudget, DryRunWritesNothingTouchesNoFlagsAndListsTheAlerts) {
  fill("INBOX", 2);
  CycleOptions options;
  options.dry_run = true;
  const auto s = cycle(options);
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  EXPECT_TRUE(s.dry_run);
  EXPECT_EQ(s.folders[0].alerted, 2u);
  ASSERT_EQ(s.alerts.size(), 2u);
  EXPECT_EQ(s.alerts[0]["kind"], "email");
  EXPECT_EQ(count_rows("ingested_message"), 0);
  EXPECT_EQ(count_rows("folder_checkpoint"), 0);
  EXPECT_EQ(count_rows("lease"), 0);
  EXPECT_EQ(mail_.calls(Call::kAddFlags), 0u);
  EXPECT_FALSE(seen("INBOX", 1));
}

}  // namespace
}  // namespace emailv2::connector::testing
