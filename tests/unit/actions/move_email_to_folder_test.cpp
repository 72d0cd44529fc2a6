// Move Email to Folder (CONTRACT §3.6) on the in-memory MailStore: every Message-ID of a list [fix], destination
// checked first, the partial-failure rule, the no-MOVE/no-UIDPLUS safety rule, exact messages and exit codes.
#include "actions/move_email_to_folder.h"

#include "search_move_delete_fixture.h"

namespace emailv2::actions {
namespace {

using namespace testing;
using Call = mail::MemoryMailStore::Call;

class MoveEmail : public MailboxActionTest {
 protected:
  explicit MoveEmail(mail::MemoryCapabilities caps = {}) : MailboxActionTest(caps) {}
  ActionResult run(const Flags& flags) {
    return move_email_to_folder(store_, context(), params(move_email_to_folder_spec(), flags));
  }
  void SetUp() override { store_.create_folder("Phish Ä"); }
};

TEST_F(MoveEmail, EveryMessageIdOfTheListIsMoved) {
  // [fix] O acted on the last ID only.
  store_.deliver("INBOX", mail("one", "1@x"));
  store_.deliver("INBOX", mail("keep", "keep@x"));
  store_.deliver("INBOX", mail("two", "2@x"));
  store_.create_folder("Other");
  store_.deliver("Other", mail("three", "3@x"));
  const auto r = run({{"source-folder-name", "Inbox, Other"},
                      {"destination-folder-name", "Phish Ä"},
                      {"message-ids", "<1@x>, 2@x,<3@x>"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "3 mails were successfully moved from Inbox, Other to Phish Ä");
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(r.json_result["emails"][0]["destination_folder"], "Phish Ä");
  EXPECT_EQ(r.json_result["emails"][0]["destination_uid"], "1");
  EXPECT_EQ(r.json_result["emails"][2]["folder"], "Other");
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{2}));
  EXPECT_TRUE(uids("Other").empty());
  EXPECT_EQ(store_.messages("Phish Ä").size(), 3U);
}

TEST_F(MoveEmail, MessageIdModeIgnoresSubjectAndOnlyUnread) {
  store_.deliver("INBOX", mail("read one", "1@x"), {}, {"\\Seen"});
  const auto r = run({{"source-folder-name", "Inbox"}, {"destination-folder-name", "Phish Ä"},
                      {"message-ids", "1@x"}, {"subject-filter", "nomatch"}, {"only-unread", "true"}});
  EXPECT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(store_.messages("Phish Ä").size(), 1U);
}

TEST_F(MoveEmail, SubjectModeWithOnlyUnread) {
  store_.deliver("INBOX", mail("invoice read", "1@x"), {}, {"\\Seen"});
  store_.deliver("INBOX", mail("invoice new", "2@x"));
  store_.deliver("INBOX", mail("other", "3@x"));
  const auto r = run({{"source-folder-name", "Inbox"}, {"destination-folder-name", "Phish Ä"},
                      {"subject-filter", "invoice"}, {"only-unread", "yes"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "1 mails were successfully moved from Inbox to Phish Ä");
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1, 3}));
}

TEST_F(MoveEmail, MissingDestinationFailsBeforeAnyChange) {
  store_.deliver("INBOX", mail("one", "1@x"));
  const auto r = run({{"source-folder-name", "Inbox"}, {"destination-folder-name", "Nope"}, {"message-ids", "1@x"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, "Error search emails: FOLDER_NOT_FOUND: Folder Nope not found");
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(store_.calls(Call::kMove), 0U);
}

TEST_F(MoveEmail, MissingSecondSourceFailsBeforeTheFirstIsTouched) {
  store_.deliver("INBOX", mail("one", "1@x"));
  const auto r = run({{"source-folder-name", "Inbox,Gone"}, {"destination-folder-name", "Phish Ä"},
                      {"message-ids", "1@x"}});
  EXPECT_EQ(r.output_message, "Error search emails: FOLDER_NOT_FOUND: Folder Gone not found");
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1}));
}

TEST_F(MoveEmail, NoMatchIsCompletedFalse) {
  store_.deliver("INBOX", mail("one", "1@x"));
  const auto r = run({{"source-folder-name", "Inbox"}, {"destination-folder-name", "Phish Ä"},
                      {"message-ids", "1@x.other, 1@"}});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.output_message, "No mails were found matching the search criteria!");
  EXPECT_TRUE(r.json_result.is_null());
}

TEST_F(MoveEmail, PartialFailureReportsWhatWasMovedAndTheFirstError) {
  store_.create_folder("Other");
  store_.deliver("INBOX", mail("m one", "1@x"));
  store_.deliver("Other", mail("m two", "2@x"));
  store_.deliver("Other", mail("m three", "3@x"));
  store_.fail_call(Call::kMove, 2, Error(ErrorCode::kImapNo, "IMAP server replied NO to UID MOVE: quota"));
  const auto r = run({{"source-folder-name", "Inbox,Other"}, {"destination-folder-name", "Phish Ä"},
                      {"subject-filter", "m "}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.state, ExecutionState::kFailed);
  EXPECT_EQ(r.output_message,
            "1 mails were successfully moved from Inbox,Other to Phish Ä\nError search emails: 2 of 3 failed; first "
            "error: IMAP_NO: IMAP server replied NO to UID MOVE: quota");
  EXPECT_EQ(r.to_json()["error_code"], "IMAP_NO");
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"m one"}));
}

TEST_F(MoveEmail, ParameterErrorsNeedNoServer) {
  const auto both_empty = run({{"source-folder-name", "Inbox"}, {"destination-folder-name", "Phish Ä"}});
  EXPECT_EQ(both_empty.exit_code(), 64);
  EXPECT_EQ(both_empty.output_message, "Both Message IDs and Subject Filter can't be empty");
  const auto same = run({{"source-folder-name", "Archive,inbox"}, {"destination-folder-name", "INBOX"},
                         {"subject-filter", "x"}});
  EXPECT_EQ(same.exit_code(), 64);
  EXPECT_EQ(same.output_message,
            "Invalid value for parameter \"Source Folder Name\": the destination folder INBOX cannot also be a source");
  EXPECT_EQ(store_.connections(), 0U);
  auto missing = resolve_params(move_email_to_folder_spec(), {{"source-folder-name", "Inbox"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().detail(), "Missing mandatory parameter Destination Folder Name");
}

class MoveWithoutMoveOrUidplus : public MoveEmail {
 protected:
  MoveWithoutMoveOrUidplus() : MoveEmail(mail::MemoryCapabilities{false, false}) {}
};

TEST_F(MoveWithoutMoveOrUidplus, OtherDeletedMessagesKeepTheOriginal) {
  store_.deliver("INBOX", mail("target", "1@x"));
  store_.deliver("INBOX", mail("someone else's", "2@x"), {}, {"\\Deleted"});
  const auto r = run({{"source-folder-name", "Inbox"}, {"destination-folder-name", "Phish Ä"}, {"message-ids", "1@x"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.to_json()["error_code"], "CAPABILITY_MISSING");
  EXPECT_EQ(r.output_message.rfind("Error search emails: CAPABILITY_MISSING: ", 0), 0U) << r.output_message;
  EXPECT_EQ(uids("INBOX"), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_TRUE(r.json_result.is_null());
}

TEST_F(MoveWithoutMoveOrUidplus, AloneItMoves) {
  store_.deliver("INBOX", mail("target", "1@x"));
  const auto r = run({{"source-folder-name", "Inbox"}, {"destination-folder-name", "Phish Ä"}, {"message-ids", "1@x"}});
  EXPECT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_TRUE(r.json_result["emails"][0]["destination_uid"].is_null());
  EXPECT_TRUE(uids("INBOX").empty());
}

}  // namespace
}  // namespace emailv2::actions
