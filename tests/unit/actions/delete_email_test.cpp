// Delete Email (CONTRACT §3.7) on the in-memory MailStore: deletes in the folder where each match was found [fix],
// every Message-ID of a list [fix], first match per ID vs all, Days Back in the configured time zone, only
// confirmed deletions counted [fix], the partial-failure rule, exact messages and exit codes.
#include "actions/delete_email.h"

#include "search_move_delete_fixture.h"

namespace emailv2::actions {
namespace {

using namespace testing;
using Call = mail::MemoryMailStore::Call;

class DeleteEmail : public MailboxActionTest {
 protected:
  explicit DeleteEmail(mail::MemoryCapabilities caps = {}) : MailboxActionTest(caps) {}
  ActionResult run(const Flags& flags) { return delete_email(store_, context(), params(delete_email_spec(), flags)); }
};

TEST_F(DeleteEmail, DeletesInTheFolderWhereTheMatchWasFoundNotInInbox) {
  // [fix] O selected Inbox and deleted the same UID there.
  store_.deliver("INBOX", mail("inbox uid 1", "inbox1@x"));
  store_.deliver("INBOX", mail("inbox uid 2", "inbox2@x"));
  store_.create_folder("Reported phish");
  store_.deliver("Reported phish", mail("phish uid 1", "p1@x"));
  store_.deliver("Reported phish", mail("phish uid 2", "p2@x"));
  const auto r = run({{"folder-name", "Reported phish"}, {"message-ids", "p2@x"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "1 email(s) were deleted successfully");
  EXPECT_EQ(uids("Reported phish"), (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(r.json_result["emails"][0]["folder"], "Reported phish");
  EXPECT_EQ(r.json_result["emails"][0]["email_uid"], "2");
}

TEST_F(DeleteEmail, EveryMessageIdFirstMatchEachOrAllMatches) {
  store_.create_folder("B");
  store_.deliver("INBOX", mail("a in inbox", "a@x"));
  store_.deliver("INBOX", mail("a again in inbox", "a@x"));
  store_.deliver("B", mail("a in B", "a@x"));
  store_.deliver("B", mail("b in B", "b@x"));
  store_.deliver("B", mail("c in B", "c@x"));
  const auto first = run({{"folder-name", "B,Inbox"}, {"message-ids", "a@x,<b@x>,a@x"}});
  ASSERT_EQ(first.exit_code(), 0) << first.output_message;
  EXPECT_EQ(first.output_message, "2 email(s) were deleted successfully");
  EXPECT_EQ(subjects(first.json_result), (std::vector<std::string>{"a in B", "b in B"}));
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1, 2}));
  const auto all = run({{"folder-name", "B,Inbox"}, {"message-ids", "a@x,c@x"}, {"delete-all-matching-emails", "true"}});
  ASSERT_EQ(all.exit_code(), 0) << all.output_message;
  EXPECT_EQ(all.output_message, "3 email(s) were deleted successfully");
  EXPECT_TRUE(uids("INBOX").empty());
  EXPECT_TRUE(uids("B").empty());
}

TEST_F(DeleteEmail, FilterModeFirstMatchOverallIsTheFirstFolderLowestUid) {
  store_.create_folder("B");
  store_.deliver("INBOX", mail("alert 1", "1@x"));
  store_.deliver("B", mail("no", "2@x"));
  store_.deliver("B", mail("alert 2", "3@x"));
  store_.deliver("B", mail("alert 3", "4@x"));
  const auto r = run({{"folder-name", "B,Inbox"}, {"subject-filter", "alert"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"alert 2"}));
  EXPECT_EQ(uids("B"), (std::vector<std::uint32_t>{1, 3}));
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1}));
}

TEST_F(DeleteEmail, DaysBackIsMidnightInTheConfiguredTimeZone) {
  // now = 2024-05-10 02:00Z = 2024-05-09 22:00 in New York (EDT, -4): today there starts at 2024-05-09 04:00Z.
  clock_.set(at(2024, 5, 10, 2h));
  store_.deliver("INBOX", mail("ny yesterday", "1@x"), at(2024, 5, 9, 3h + 59min));
  store_.deliver("INBOX", mail("ny today", "2@x"), at(2024, 5, 9, 4h));
  store_.deliver("INBOX", mail("utc today", "3@x"), at(2024, 5, 10, 1h));
  config_.time_zone = "America/New_York";
  auto r = run({{"subject-filter", "day"}, {"folder-name", "Inbox"}, {"delete-all-matching-emails", "1"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"ny today", "utc today"}));
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1}));

  store_.deliver("INBOX", mail("two days ago", "4@x"), at(2024, 5, 7, 12h));
  config_.time_zone = "UTC";
  r = run({{"subject-filter", "ago"}, {"folder-name", "Inbox"}, {"days-back", "2"}});
  EXPECT_EQ(r.exit_code(), 1) << r.output_message;  // UTC: 2 days back starts 2024-05-08 00:00Z
  r = run({{"subject-filter", "ago"}, {"folder-name", "Inbox"}, {"days-back", "3"}});
  EXPECT_EQ(r.exit_code(), 0) << r.output_message;
}

TEST_F(DeleteEmail, MessageIdModeIgnoresDaysBackAndFilters) {
  store_.deliver("INBOX", mail("old", "old@x"), at(2020, 1, 1));
  const auto r = run({{"folder-name", "Inbox"}, {"message-ids", "old@x"}, {"subject-filter", "zzz"}, {"days-back", "0"}});
  EXPECT_EQ(r.exit_code(), 0) << r.output_message;
}

TEST_F(DeleteEmail, NoMatchIsCompletedFalse) {
  store_.deliver("INBOX", mail("old", "old@x"), at(2020, 1, 1));
  const auto r = run({{"folder-name", "Inbox"}, {"subject-filter", "old"}});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.output_message, "Failed to find emails for deletion!");
  EXPECT_TRUE(r.json_result.is_null());
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1}));
}

TEST_F(DeleteEmail, PartialFailureCountsOnlyConfirmedDeletions) {
  store_.create_folder("B");
  store_.deliver("INBOX", mail("x1", "1@x"));
  store_.deliver("B", mail("x2", "2@x"));
  store_.fail_call(Call::kDeleteMessages, 1, Error(ErrorCode::kImapNo, "IMAP server replied NO to UID STORE: busy"));
  const auto r = run({{"folder-name", "Inbox,B"}, {"message-ids", "1@x,2@x"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "1 email(s) were deleted successfully\nError deleting emails 1 of 2 failed; first error: IMAP_NO: IMAP "
            "server replied NO to UID STORE: busy");
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"x2"}));
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1}));
}

TEST_F(DeleteEmail, MissingFolderFailsBeforeAnyDeletion) {
  store_.deliver("INBOX", mail("x1", "1@x"));
  const auto r = run({{"folder-name", "Inbox,Gone"}, {"message-ids", "1@x"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, "Error deleting emails FOLDER_NOT_FOUND: Folder Gone not found");
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1}));
}

TEST_F(DeleteEmail, ConnectionLostIsAnError) {
  store_.deliver("INBOX", mail("x1", "1@x"));
  store_.fail_call(Call::kConnect, 1, Error(ErrorCode::kAuthFailed, "IMAP server rejected LOGIN: no"));
  const auto r = run({{"folder-name", "Inbox"}, {"message-ids", "1@x"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, "Error deleting emails AUTH_FAILED: IMAP server rejected LOGIN: no");
}

TEST_F(DeleteEmail, InputErrors) {
  auto r = run({{"folder-name", "Inbox"}});
  EXPECT_EQ(r.exit_code(), 64);
  EXPECT_EQ(r.output_message, "Message IDs and Subject, Sender and Recipient filters can't be empty at the same time");
  r = run({{"folder-name", "Inbox"}, {"sender-filter", "bob"}, {"days-back", "-1"}});
  EXPECT_EQ(r.exit_code(), 64);
  EXPECT_EQ(r.output_message, "\"Days Back\" parameter must be non negative.");
  EXPECT_EQ(store_.connections(), 0U);
  auto bad = resolve_params(delete_email_spec(), {{"folder-name", "Inbox"}, {"message-ids", "a@x\nb@x"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail(),
            "Invalid value for parameter \"Message IDs\": control characters (CR, LF, NUL) are not allowed");
}

TEST_F(DeleteEmail, ParamsJsonWithDisplayAndLegacyNames) {
  store_.deliver("INBOX", mail("one", "1@x"));
  store_.deliver("INBOX", mail("two", "1@x"));
  const std::vector<RawParam> json{{"Folder Name", "Inbox"}, {"Message IDs", "1@x"},
                                   {"Delete All Matching Emails", "true"}, {"Days Back", std::nullopt}};
  auto p = resolve(delete_email_spec(), {}, json);
  ASSERT_TRUE(p) << p.error().to_string();
  const auto r = delete_email(store_, context(), *p);
  EXPECT_EQ(r.output_message, "2 email(s) were deleted successfully");
}

class DeleteWithoutUidplus : public DeleteEmail {
 protected:
  DeleteWithoutUidplus() : DeleteEmail(mail::MemoryCapabilities{false, false}) {}
};

TEST_F(DeleteWithoutUidplus, ForeignDeletedFlagMeansCapabilityMissingAndNothingRemoved) {
  store_.deliver("INBOX", mail("target", "1@x"));
  store_.deliver("INBOX", mail("foreign", "2@x"), {}, {"\\Deleted"});
  const auto r = run({{"folder-name", "Inbox"}, {"message-ids", "1@x"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.to_json()["error_code"], "CAPABILITY_MISSING");
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_TRUE(store_.message("INBOX", 1)->flags.empty());
}

}  // namespace
}  // namespace emailv2::actions
