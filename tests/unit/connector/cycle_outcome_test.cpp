// Outcomes and flags: excluded mail is recorded and never flagged; Mark Emails as Read off makes no flag call;
// \Seen only after commit, pending on failure and retried; the duplicate rule; over_limit; fetch failures retried
// then a fetch_failed placeholder; a poison message alerts once; a store failure rolls back and ends the cycle.
#include "cycle_support.h"
#include "support/reversing_mail_store.h"

namespace emailv2::connector::testing {
namespace {

class CycleOutcome : public CycleTest {};

TEST_F(CycleOutcome, ExcludedMailIsRecordedWithItsRuleAndNeverFlagged) {
  config_["exclusion-subject-regex"] = "(?i)out of office";
  mail_.deliver("INBOX", mail_text("Out of Office: back Monday", "ooo@x"), clock_.now());
  mail_.deliver("INBOX", mail_text("Phishing report", "p@x"), clock_.now());
  const auto s = cycle();
  EXPECT_EQ(s.folders[0].excluded, 1u);
  EXPECT_EQ(s.folders[0].alerted, 1u);
  const auto row = ledger("Inbox", 1);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->entry.outcome, store::Outcome::kExcluded);
  EXPECT_EQ(row->entry.reason, "Exclusion Subject Regex");
  EXPECT_EQ(row->entry.seen_state, store::SeenState::kNotRequested);
  EXPECT_FALSE(seen("INBOX", 1));
  EXPECT_TRUE(seen("INBOX", 2));
  EXPECT_EQ(ledger("Inbox", 2)->entry.seen_state, store::SeenState::kDone);
  EXPECT_EQ(s.seen_pending, 0);
}

TEST_F(CycleOutcome, MarkAsReadOffMakesNoFlagCallAtAll) {
  config_["mark-emails-as-read"] = "false";
  mail_.deliver("INBOX", mail_text("a", "a@x"), clock_.now());
  mail_.deliver("INBOX", mail_text("b", "b@x"), clock_.now(), {"\\Seen"});
  config_["unread-emails-only"] = "false";
  cycle();
  EXPECT_EQ(mail_.calls(Call::kAddFlags), 0u);
  EXPECT_EQ(mail_.calls(Call::kMove), 0u);
  EXPECT_FALSE(seen("INBOX", 1));
  EXPECT_TRUE(seen("INBOX", 2));  // [fix] O removed \Seen
  EXPECT_EQ(cases().size(), 2u);
}

TEST_F(CycleOutcome, SeenFailureLeavesRowsPendingAndTheNextCycleRetriesWithoutReIngesting) {
  mail_.deliver("INBOX", mail_text("a", "a@x"), clock_.now());
  mail_.fail_call(Call::kAddFlags, 1, Error(ErrorCode::kImapNo, "IMAP server replied NO to UID STORE: busy"));
  auto s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  EXPECT_EQ(s.seen_pending, 1);
  EXPECT_FALSE(seen("INBOX", 1));
  s = cycle();
  EXPECT_EQ(s.seen_pending, 0);
  EXPECT_TRUE(seen("INBOX", 1));
  EXPECT_EQ(s.folders[0].processed, 0u);
  EXPECT_EQ(cases().size(), 1u);
}

TEST_F(CycleOutcome, DuplicateRuleNeedsTheSameMessageIdAndTheSameBytes) {
  config_["folder-to-check-for-emails"] = "Inbox, Copies";
  const std::string original = mail_text("report", "same@x");
  mail_.deliver("INBOX", original, clock_.now());
  mail_.deliver("Copies", original, clock_.now());                                 // same bytes: duplicate
  mail_.deliver("Copies", mail_text("report", "same@x", "other body"), clock_.now());  // reused ID: its own alert
  const auto s = cycle();
  EXPECT_EQ(s.folders[0].alerted, 1u);
  EXPECT_EQ(s.folders[1].duplicates, 1u);
  EXPECT_EQ(s.folders[1].alerted, 1u);
  EXPECT_EQ(cases().size(), 2u);
  const auto dup = ledger("Copies", 1);
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->entry.outcome, store::Outcome::kDuplicate);
  EXPECT_FALSE(dup->entry.case_id);
  EXPECT_TRUE(seen("Copies", 1));  // duplicates are handled mail: flagged like alerted ones
}

TEST_F(CycleOutcome, OverLimitMailBecomesAnOverLimitAlertWithItsHeaders) {
  config_["max-message-size-mb"] = "1";
  mail_.deliver("INBOX", mail_text("huge", "huge@x", std::string(1100 * 1024, 'x')), clock_.now());
  const auto s = cycle();
  EXPECT_EQ(s.folders[0].alerted, 1u) << summary_line(s);
  const auto row = ledger("Inbox", 1);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->entry.outcome, store::Outcome::kOverLimit);
  const auto all = cases();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].alerts[0].kind, store::AlertKind::kOverLimit);
}

TEST_F(CycleOutcome, FetchFailureStopsTheFolderThenThirdFailureCommitsAPlaceholder) {
  mail_.deliver("INBOX", mail_text("fine", "ok1@x"), clock_.now());
  const auto bad = mail_.deliver("INBOX", mail_text("unreadable", "bad@x"), clock_.now());
  mail_.deliver("INBOX", mail_text("after", "ok2@x"), clock_.now());
  mail_.make_unfetchable("INBOX", bad, Error(ErrorCode::kImapNo, "IMAP server replied NO to UID FETCH: broken"));
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const auto s = cycle();
    EXPECT_EQ(s.status, CycleStatus::kPartial) << summary_line(s);
    ASSERT_TRUE(s.folders[0].error);
    EXPECT_EQ(s.folders[0].error->rfind("IMAP_NO: ", 0), 0u);
    EXPECT_FALSE(ledger("Inbox", bad));
    EXPECT_FALSE(ledger("Inbox", 3));  // later UIDs wait: order kept
    EXPECT_EQ(checkpoint("Inbox")->last_uid, 1u);
  }
  auto s = cycle();
  EXPECT_EQ(s.folders[0].placeholders, 1u) << summary_line(s);
  const auto row = ledger("Inbox", bad);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->entry.outcome, store::Outcome::kFetchFailed);
  EXPECT_EQ(row->entry.attempts, 3);
  EXPECT_NE(row->entry.reason.find("broken"), std::string::npos);
  EXPECT_EQ(count_rows("fetch_attempt"), 0);
  s = cycle();  // then the folder moves on
  EXPECT_TRUE(ledger("Inbox", 3));
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  const auto all = cases();
  ASSERT_EQ(all.size(), 3u);
  int placeholders = 0;
  for (const auto& c : all) placeholders += c.alerts[0].kind == store::AlertKind::kFetchFailed;
  EXPECT_EQ(placeholders, 1);
}

TEST_F(CycleOutcome, AVanishedMessageIsRetriedThenRecordedNeverSilentlySkipped) {
  const auto gone = mail_.deliver("INBOX", mail_text("gone", "gone@x"), clock_.now());
  mail_.deliver("INBOX", mail_text("next", "next@x"), clock_.now());
  mail_.make_unfetchable("INBOX", gone);  // listed, but no body comes back
  for (int i = 0; i < 3; ++i) cycle();
  const auto row = ledger("Inbox", gone);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->entry.outcome, store::Outcome::kFetchFailed);
  cycle();
  EXPECT_TRUE(ledger("Inbox", 2));
}

TEST_F(CycleOutcome, ConnectionLostMidStreamKeepsWhatCommittedAndEndsTheCycle) {
  for (int i = 1; i <= 4; ++i) mail_.deliver("INBOX", mail_text("m" + std::to_string(i), "m" + std::to_string(i) + "@x"), clock_.now());
  mail_.fail_nth_message(3, Error(ErrorCode::kImapBye, "connection closed"));
  auto s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kFailed) << summary_line(s);
  EXPECT_TRUE(s.connection_failed);
  EXPECT_EQ(s.folders[0].processed, 2u);
  EXPECT_EQ(checkpoint("Inbox")->last_uid, 2u);
  s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  EXPECT_EQ(cases().size(), 4u);
}

TEST_F(CycleOutcome, PoisonMessagesAlertOnceAndNeverBlockTheNext) {
  mail_.deliver("INBOX",
                "Subject: =?x-unknown-charset?B?////?=\r\nContent-Type: multipart/mixed; boundary=\"never\"\r\n\r\n"
                "--wrong\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\n\xff\xfe broken\r\n",
                clock_.now());
  mail_.deliver("INBOX", std::string("\x00\x01 not a mail at all", 20), clock_.now());
  mail_.deliver("INBOX", mail_text("normal", "n@x"), clock_.now());
  auto s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  EXPECT_EQ(s.folders[0].alerted, 3u);
  s = cycle();
  EXPECT_EQ(s.folders[0].processed, 0u);
  EXPECT_EQ(cases().size(), 3u);
}

TEST_F(CycleOutcome, StoreFailureRollsBackTheMessageSkipsItsFlagAndEndsTheCycle) {
  mail_.deliver("INBOX", mail_text("one", "one@x"), clock_.now());
  cycle();
  ASSERT_EQ(cases().size(), 1u);
  mail_.deliver("INBOX", mail_text("two", "two@x", std::string(64 * 1024, 'y')), clock_.now());
  mail_.deliver("INBOX", mail_text("three", "three@x"), clock_.now());
  const auto rows_before = count_rows("ingested_message");
  // Disk full: the database may not grow any more.
  {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_->handle().raw(), "PRAGMA page_count", -1, &st, nullptr);
    sqlite3_step(st);
    const auto pages = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    exec("PRAGMA max_page_count = " + std::to_string(pages));
  }
  auto s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kFailed) << summary_line(s);
  ASSERT_TRUE(s.error);
  EXPECT_EQ(s.error->code(), ErrorCode::kStoreError) << s.error->to_string();
  EXPECT_EQ(exit_code(s), 2);
  EXPECT_EQ(count_rows("ingested_message"), rows_before);
  EXPECT_EQ(checkpoint("Inbox")->last_uid, 1u);
  EXPECT_FALSE(seen("INBOX", 2));
  exec("PRAGMA max_page_count = 1073741823");
  s = cycle();
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  EXPECT_EQ(cases().size(), 3u);
  EXPECT_TRUE(seen("INBOX", 2));
}

}  // namespace
}  // namespace emailv2::connector::testing

namespace emailv2::connector::testing {
namespace {

// Regression: pipelined UID FETCH batches can interleave on the wire (Dovecot ran them concurrently), so messages
// reached the cycle out of UID order and a later UID was taken for a missing earlier one. A mailbox that delivers
// every fetch in reverse order must still be ingested completely, in UID order.
TEST_F(CycleOutcome, MessagesArrivingOutOfUidOrderAreStillIngestedInOrder) {
  for (int i = 1; i <= 30; ++i) mail_.deliver("INBOX", mail_text("m" + std::to_string(i), "m" + std::to_string(i) + "@x"), clock_.now());
  emailv2::testing::ReversingMailStore reversed(mail_);
  CycleOptions options;
  options.store_path = store_path_;
  const auto s = run_cycle(settings(), reversed, *db_, clock_, options);
  EXPECT_EQ(s.status, CycleStatus::kOk) << summary_line(s);
  EXPECT_EQ(s.folders[0].processed, 30u);
  EXPECT_EQ(checkpoint("Inbox")->last_uid, 30u);
  const auto all = cases();
  ASSERT_EQ(all.size(), 30u);
  // Case ids grow with the UID: the oldest case (last in the newest-first list) is UID 1.
  EXPECT_EQ(all.back().alerts[0].source.uid, 1u);
  EXPECT_EQ(all.front().alerts[0].source.uid, 30u);
}

}  // namespace
}  // namespace emailv2::connector::testing

namespace emailv2::connector::testing {
namespace {

TEST_F(CycleOutcome, PendingSeenOfAnOlderUidValidityIsDroppedNotAppliedToAnotherMessage) {
  config_["unread-emails-only"] = "false";
  mail_.deliver("INBOX", mail_text("a", "a@x"), clock_.now());
  mail_.fail_call(Call::kAddFlags, 1, Error(ErrorCode::kImapNo, "IMAP server replied NO to UID STORE: busy"));
  EXPECT_EQ(cycle().seen_pending, 1);
  mail_.change_uid_validity("INBOX", 4242);  // UID 1 may now be another message: never flag it
  mail_.deliver("INBOX", mail_text("b", "b@x"), clock_.now());
  const auto s = cycle();
  EXPECT_EQ(s.seen_pending, 0) << summary_line(s);
  EXPECT_EQ(s.folders[0].duplicates, 1u);  // the resync met "a" again
  EXPECT_EQ(s.folders[0].alerted, 1u);
  EXPECT_EQ(count_rows("ingested_message"), 3);
  EXPECT_EQ(cases().size(), 2u);
}

}  // namespace
}  // namespace emailv2::connector::testing
