// The cycle on the in-memory mailbox: first run and Offset, Offset 0, UIDVALIDITY change without re-alerts,
// flapping → UIDVALIDITY_UNSTABLE until --reset-checkpoint, the drained rule with Unread Emails Only.
#include "cycle_support.h"

namespace emailv2::connector::testing {
namespace {

class CycleCheckpoint : public CycleTest {};

TEST_F(CycleCheckpoint, FirstRunTakesOnlyMailWithinOffsetDaysExactly) {
  const auto now = clock_.now();
  mail_.deliver("INBOX", mail_text("too old", "old@x"), now - 5 * 24h - 1s);
  mail_.deliver("INBOX", mail_text("at cutoff", "cut@x"), now - 5 * 24h);
  mail_.deliver("INBOX", mail_text("recent", "new@x"), now - 1h);
  config_["offset-time-in-days"] = "5";
  const auto s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  ASSERT_EQ(s.folders.size(), 1u);
  EXPECT_EQ(s.folders[0].candidates, 2u);
  EXPECT_EQ(s.folders[0].alerted, 2u);
  EXPECT_FALSE(ledger("Inbox", 1));
  EXPECT_TRUE(ledger("Inbox", 2));
  EXPECT_TRUE(ledger("Inbox", 3));
  EXPECT_EQ(cases().size(), 2u);
  // Drained: the checkpoint passed the old mail too, and the backfill is closed.
  const auto cp = checkpoint("Inbox");
  ASSERT_TRUE(cp);
  EXPECT_EQ(cp->last_uid, 3u);
  EXPECT_FALSE(cp->backfill_until_uid);
  EXPECT_EQ(s.folders[0].last_uid_after, 3u);
}

TEST_F(CycleCheckpoint, OffsetNeverLimitsLaterCycles) {
  config_["offset-time-in-days"] = "1";
  mail_.deliver("INBOX", mail_text("first", "a@x"), clock_.now());
  cycle();
  // A new UID with an ancient INTERNALDATE (moved in from elsewhere) is new mail all the same.
  mail_.deliver("INBOX", mail_text("moved in", "b@x"), clock_.now() - 400 * 24h);
  const auto s = cycle();
  EXPECT_EQ(s.folders[0].alerted, 1u) << summary_line(s);
  EXPECT_TRUE(ledger("Inbox", 2));
}

TEST_F(CycleCheckpoint, MailArrivingDuringABackfillWithAnOldDateIsNotMissed) {
  config_["offset-time-in-days"] = "1";
  config_["max-emails-per-cycle"] = "1";
  mail_.deliver("INBOX", mail_text("a", "a@x"), clock_.now());
  mail_.deliver("INBOX", mail_text("b", "b@x"), clock_.now());
  cycle();  // backfill still open: until_uid = 2, last_uid = 1
  mail_.deliver("INBOX", mail_text("old date, new UID", "c@x"), clock_.now() - 30 * 24h);
  cycle();
  cycle();
  EXPECT_TRUE(ledger("Inbox", 3));
  EXPECT_EQ(cases().size(), 3u);
}

TEST_F(CycleCheckpoint, OffsetZeroTakesNothingOldButEverythingNew) {
  config_["offset-time-in-days"] = "0";
  mail_.deliver("INBOX", mail_text("old", "old@x"), clock_.now());
  auto s = cycle();
  EXPECT_EQ(s.folders[0].candidates, 0u);
  EXPECT_EQ(cases().size(), 0u);
  mail_.deliver("INBOX", mail_text("new", "new@x"), clock_.now());
  s = cycle();
  EXPECT_EQ(s.folders[0].alerted, 1u);
  EXPECT_TRUE(ledger("Inbox", 2));
  EXPECT_FALSE(ledger("Inbox", 1));
}

TEST_F(CycleCheckpoint, AlreadyReadMailBelowUidNextIsNeverIngestedLater) {
  config_["unread-emails-only"] = "true";
  config_["mark-emails-as-read"] = "false";
  mail_.deliver("INBOX", mail_text("read by a human", "r@x"), clock_.now(), {"\\Seen"});
  mail_.deliver("INBOX", mail_text("unread", "u@x"), clock_.now());
  cycle();
  EXPECT_FALSE(ledger("Inbox", 1));
  EXPECT_TRUE(ledger("Inbox", 2));
  EXPECT_EQ(checkpoint("Inbox")->last_uid, 2u);
}

TEST_F(CycleCheckpoint, UidValidityChangeResyncsWithoutReAlerting) {
  config_["unread-emails-only"] = "false";  // the resync must meet the already-ingested mail again
  for (int i = 1; i <= 3; ++i) mail_.deliver("INBOX", mail_text("m" + std::to_string(i), "m" + std::to_string(i) + "@x"), clock_.now());
  cycle();
  ASSERT_EQ(cases().size(), 3u);
  clock_.advance(1h);
  mail_.change_uid_validity("INBOX", 999);  // rebuilt mailbox: same mails, new UIDs
  mail_.deliver("INBOX", mail_text("m4", "m4@x"), clock_.now());
  const auto s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  EXPECT_EQ(s.folders[0].uidvalidity, 999u);
  EXPECT_EQ(s.folders[0].duplicates, 3u);
  EXPECT_EQ(s.folders[0].alerted, 1u);
  EXPECT_EQ(cases().size(), 4u);
  const auto cp = checkpoint("Inbox");
  EXPECT_EQ(cp->uidvalidity, 999u);
  EXPECT_EQ(cp->uidvalidity_streak, 1);
  // A stable cycle clears the streak.
  cycle();
  EXPECT_EQ(checkpoint("Inbox")->uidvalidity_streak, 0);
}

TEST_F(CycleCheckpoint, FlappingUidValidityIsUnstableUntilResetCheckpoint) {
  config_["unread-emails-only"] = "false";  // the resync must meet the already-ingested mail again
  mail_.deliver("INBOX", mail_text("m1", "m1@x"), clock_.now());
  cycle();
  for (std::uint64_t v : {501u, 502u}) {
    mail_.change_uid_validity("INBOX", v);
    EXPECT_EQ(cycle().status, CycleStatus::kOk);
  }
  mail_.change_uid_validity("INBOX", 503);
  auto s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kPartial);
  ASSERT_TRUE(s.folders[0].error);
  EXPECT_EQ(s.folders[0].error->rfind("UIDVALIDITY_UNSTABLE: ", 0), 0u) << *s.folders[0].error;
  EXPECT_EQ(exit_code(s), 2);
  // Stays skipped even though the server no longer changes it.
  mail_.deliver("INBOX", mail_text("m2", "m2@x"), clock_.now());
  s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kPartial);
  EXPECT_EQ(s.folders[0].processed, 0u);
  // --reset-checkpoint: a first run; the ledger's duplicate rule prevents re-alerts.
  {
    auto tx = db_->begin_write();
    ASSERT_TRUE(tx);
    const Settings st = settings();
    ASSERT_TRUE(store::CheckpointRepository(*db_).reset(*tx, {st.instance, st.account, "Inbox"}));
    ASSERT_TRUE(tx->commit());
  }
  s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  EXPECT_EQ(s.folders[0].duplicates, 1u);
  EXPECT_EQ(s.folders[0].alerted, 1u);
  EXPECT_EQ(cases().size(), 2u);
}

TEST_F(CycleCheckpoint, ReRunAfterResetOfTheSameUidValidityRecordsNoSecondCase) {
  config_["unread-emails-only"] = "false";  // the resync must meet the already-ingested mail again
  mail_.deliver("INBOX", mail_text("no id", ""), clock_.now());  // no Message-ID: the duplicate rule cannot help
  cycle();
  {
    auto tx = db_->begin_write();
    const Settings st = settings();
    ASSERT_TRUE(store::CheckpointRepository(*db_).reset(*tx, {st.instance, st.account, "Inbox"}));
    ASSERT_TRUE(tx->commit());
  }
  const auto s = cycle();
  EXPECT_EQ(s.folders[0].duplicates, 1u) << summary_line(s);  // the ledger identity is already there
  EXPECT_EQ(cases().size(), 1u);
}

}  // namespace
}  // namespace emailv2::connector::testing
