// Search Emails (CONTRACT §3.5) on the in-memory MailStore: outcome table, exact messages and exit codes, the exact
// time filter [fix], newest N first across folders [fix], only the returned mails fetched, no flag changes [fix].
#include "actions/search_emails.h"

#include "search_move_delete_fixture.h"

namespace emailv2::actions {
namespace {

using namespace testing;
using Call = mail::MemoryMailStore::Call;

class SearchEmails : public MailboxActionTest {
 protected:
  ActionResult run(const Flags& flags) { return search_emails(store_, context(), params(search_emails_spec(), flags)); }
};

TEST_F(SearchEmails, LastSixtyMinutesExcludesOlderMailOfTheSameDay) {
  // [fix] O sent SINCE <date> only, so "last 60 minutes" returned the whole day.
  store_.deliver("INBOX", mail("early morning", "a@x"), at(2024, 5, 10, 1h));
  store_.deliver("INBOX", mail("one second too old", "b@x"), at(2024, 5, 10, 11h) - 1s);
  store_.deliver("INBOX", mail("exactly at cutoff", "c@x"), at(2024, 5, 10, 11h));
  store_.deliver("INBOX", mail("recent", "d@x"), at(2024, 5, 10, 11h + 30min));
  const auto r = run({{"time-frame-minutes", "60"}});
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.output_message, "Search found 2 emails based on the provided search criteria");
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"recent", "exactly at cutoff"}));
}

TEST_F(SearchEmails, NewestFirstAcrossFoldersAndOnlyTheReturnedAreFetched) {
  store_.create_folder("Archive 2024");
  store_.deliver("INBOX", mail("inbox old", "1@x"), at(2024, 5, 1));
  const auto unreturned = store_.deliver("INBOX", mail("inbox oldest", "2@x"), at(2024, 4, 1));
  store_.deliver("Archive 2024", mail("archive newest", "3@x"), at(2024, 5, 9));
  store_.deliver("INBOX", mail("inbox newer", "4@x"), at(2024, 5, 5));
  // A message that is not returned must never be downloaded: fetching it would fail the run.
  store_.make_unfetchable("INBOX", unreturned, Error(ErrorCode::kImapBye, "fetched a message not returned"));
  const auto r = run({{"folder-name", "Inbox, \"Archive 2024\""}, {"max-emails-to-return", "3"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"archive newest", "inbox newer", "inbox old"}));
  EXPECT_EQ(r.json_result["emails"][0]["folder"], "Archive 2024");
  EXPECT_EQ(r.json_result["emails"][0]["email_uid"], "1");
  EXPECT_EQ(r.json_result["emails"][0]["received"], "Thu, 9 May 2024 00:00:00 +0000");
  EXPECT_EQ(r.json_result["emails"][0]["name"], "soc@lab.test_1715335200000");
}

TEST_F(SearchEmails, FiltersAreAndedIncludingNonAsciiAndQuotes) {
  store_.deliver("INBOX", mail("Rechnung für \"Q2\" fällig", "1@x", "billing@lab.test"));
  store_.deliver("INBOX", mail("Rechnung für Q3", "2@x", "billing@lab.test"));
  store_.deliver("INBOX", mail("Rechnung für \"Q2\" fällig", "3@x", "other@lab.test"));
  const auto r = run({{"subject-filter", "für \"Q2\""}, {"sender-filter", "billing@"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  ASSERT_EQ(r.json_result["emails"].size(), 1U);
  EXPECT_EQ(r.json_result["emails"][0]["message_id"], "<1@x>");
}

TEST_F(SearchEmails, RecipientAndOnlyUnread) {
  store_.deliver("INBOX", mail("to carol", "1@x", "bob@lab.test", "carol@lab.test"));
  store_.deliver("INBOX", mail("to carol read", "2@x", "bob@lab.test", "carol@lab.test"), {}, {"\\Seen"});
  store_.deliver("INBOX", mail("to alice", "3@x"));
  const auto r = run({{"recipient-filter", "carol"}, {"only-unread", "true"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"to carol"}));
}

TEST_F(SearchEmails, ReadOnlyChangesNoFlags) {
  store_.deliver("INBOX", mail("unread", "1@x"));
  store_.deliver("INBOX", mail("flagged", "2@x"), {}, {"\\Flagged"});
  ASSERT_EQ(run({}).exit_code(), 0);
  EXPECT_TRUE(store_.message("INBOX", 1)->flags.empty());
  EXPECT_EQ(store_.message("INBOX", 2)->flags, (std::vector<std::string>{"\\Flagged"}));
  EXPECT_EQ(store_.calls(Call::kAddFlags), 0U);
}

TEST_F(SearchEmails, NothingFoundIsCompletedFalseWithNullJson) {
  store_.deliver("INBOX", mail("hello", "1@x"));
  const auto r = run({{"subject-filter", "nope"}});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.state, ExecutionState::kCompleted);
  EXPECT_EQ(r.output_message, "Search didn't found any matching emails");
  EXPECT_TRUE(r.json_result.is_null());
  EXPECT_FALSE(r.error_code);
}

TEST_F(SearchEmails, MissingFolderIsFolderNotFound) {
  store_.deliver("INBOX", mail("hello", "1@x"));
  const auto r = run({{"folder-name", "Inbox,Nope"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "Search didn't completed successfully due to error: FOLDER_NOT_FOUND: Folder Nope not found");
  EXPECT_TRUE(r.json_result.is_null());
}

TEST_F(SearchEmails, ServerErrorsAreFailedWithTheTemplate) {
  store_.deliver("INBOX", mail("hello", "1@x"));
  store_.fail_call(Call::kSearch, 1, Error(ErrorCode::kImapNo, "server does not support UTF-8 search"));
  const auto r = run({{"subject-filter", "é"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "Search didn't completed successfully due to error: IMAP_NO: server does not support UTF-8 search");
}

TEST_F(SearchEmails, TimeoutAfterTheRunDeadlineIsDeadline) {
  store_.deliver("INBOX", mail("hello", "1@x"));
  store_.fail_call(Call::kSearch, 1, Error(ErrorCode::kTimeout, "Timed out after 60 s waiting for response to UID SEARCH"));
  const auto r = search_emails(store_, context(Deadline::after(0ms)), params(search_emails_spec(), {}));
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.to_json()["error_code"], "DEADLINE");
  EXPECT_EQ(r.output_message.rfind("Search didn't completed successfully due to error: DEADLINE: ", 0), 0U)
      << r.output_message;
}

TEST_F(SearchEmails, ConnectionLostMidFetchIsAnErrorNotAPartialResult) {
  for (int i = 0; i < 5; ++i) store_.deliver("INBOX", mail("m" + std::to_string(i), std::to_string(i) + "@x"));
  store_.fail_nth_message(3, Error(ErrorCode::kImapBye, "connection closed by the server"));
  const auto r = run({});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, "Search didn't completed successfully due to error: IMAP_BYE: connection closed by the server");
  EXPECT_TRUE(r.json_result.is_null());
}

TEST_F(SearchEmails, MailVanishedBeforeTheFetchIsSkipped) {
  store_.deliver("INBOX", mail("stays", "1@x"), at(2024, 5, 1));
  const auto gone = store_.deliver("INBOX", mail("expunged meanwhile", "2@x"), at(2024, 5, 2));
  store_.make_unfetchable("INBOX", gone);
  const auto r = run({});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "Search found 1 emails based on the provided search criteria");
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"stays"}));
}

TEST_F(SearchEmails, DuplicateFoldersAreSearchedOnce) {
  store_.deliver("INBOX", mail("hello", "1@x"));
  const auto r = run({{"folder-name", "Inbox,INBOX,inbox"}});
  EXPECT_EQ(r.output_message, "Search found 1 emails based on the provided search criteria");
  EXPECT_EQ(store_.calls(Call::kSearch), 1U);
}

TEST_F(SearchEmails, MaxLimitsTheReturnedCount) {
  for (int i = 0; i < 5; ++i) {
    store_.deliver("INBOX", mail("m" + std::to_string(i), std::to_string(i) + "@x"), at(2024, 5, 1, i * 1h));
  }
  const auto r = run({{"max-emails-to-return", "2"}});
  EXPECT_EQ(subjects(r.json_result), (std::vector<std::string>{"m4", "m3"}));
}

TEST_F(SearchEmails, ParameterErrors) {
  for (const auto& [flags, message] : std::vector<std::pair<Flags, std::string>>{
           {{{"max-emails-to-return", "0"}},
            "Invalid value for parameter \"Max Emails To Return\": expected an integer between 1 and 10000, got \"0\""},
           {{{"time-frame-minutes", "-5"}},
            "Invalid value for parameter \"Time frame (minutes)\": expected an integer between 1 and 5256000, got "
            "\"-5\""},
           {{{"subject-filter", "a\r\nb"}},
            "Invalid value for parameter \"Subject Filter\": control characters (CR, LF, NUL) are not allowed"},
       }) {
    auto r = resolve_params(search_emails_spec(), flags);
    ASSERT_FALSE(r) << message;
    EXPECT_EQ(r.error().detail(), message);
    EXPECT_EQ(r.error().exit_code(), 64);
  }
}

TEST(SearchOrder, NewestFirstTiesByFolderThenHigherUid) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  auto hit = [](std::size_t folder, std::uint32_t uid, std::optional<mail::TimePoint> when) {
    SearchHit h;
    h.folder_index = folder;
    h.metadata.uid = uid;
    h.metadata.internal_date = when;
    return h;
  };
  const auto out = newest_first({hit(1, 9, t), hit(0, 3, t), hit(0, 7, t), hit(0, 1, std::nullopt),
                                 hit(1, 2, t + std::chrono::seconds(1)), hit(0, 5, t - std::chrono::seconds(1))},
                                5);
  std::vector<std::pair<std::size_t, std::uint32_t>> got;
  for (const auto& h : out) got.emplace_back(h.folder_index, h.metadata.uid);
  EXPECT_EQ(got, (std::vector<std::pair<std::size_t, std::uint32_t>>{{1, 2}, {0, 7}, {0, 3}, {1, 9}, {0, 5}}));
  EXPECT_TRUE(newest_first({}, 10).empty());
}

}  // namespace
}  // namespace emailv2::actions
