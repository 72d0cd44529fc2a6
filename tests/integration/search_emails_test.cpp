// Search Emails against the lab (CONTRACT §3.5), through the real binary: the exact time filter on INTERNALDATE
// [fix], newest N first across folders [fix], non-ASCII and quote-containing filters, folder names with spaces and
// non-ASCII, and no flag changes [fix].
#include "search_move_delete_lab.h"

namespace emailv2::testing::mailbox {
namespace {

using Clock = std::chrono::system_clock;

class SearchEmailsLab : public MailboxLab {};

TEST_F(SearchEmailsLab, LastSixtyMinutesExcludesOlderMailOfTheSameDay) {
  const std::string f = folder("search time");
  const auto now = Clock::now();
  append(f, message("two hours ago", id("t1")), now - 2h);
  append(f, message("sixty one minutes ago", id("t2")), now - 61min);
  append(f, message("fifty nine minutes ago", id("t3")), now - 59min);
  append(f, message("one minute ago", id("t4")), now - 1min);
  const auto r = run("search-emails", {"--folder-name", f, "--time-frame-minutes", "60"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = r.envelope();
  EXPECT_EQ(j["output_message"], "Search found 2 emails based on the provided search criteria");
  EXPECT_EQ(subjects(j), (std::vector<std::string>{"one minute ago", "fifty nine minutes ago"}));
}

TEST_F(SearchEmailsLab, NewestFirstAcrossFoldersWithSpacesAndNonAscii) {
  const std::string a = folder("search Posteingang ü");
  const std::string b = folder("search \"quoted\" folder");
  const auto now = Clock::now();
  append(a, message("a old", id("a1")), now - 5h);
  append(b, message("b newest", id("b1")), now - 1h);
  append(a, message("a newer", id("a2")), now - 2h);
  append(b, message("b oldest", id("b2")), now - 9h);
  const auto r = run("search-emails", {"--folder-name", a + "," + b, "--max-emails-to-return", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = r.envelope();
  EXPECT_EQ(subjects(j), (std::vector<std::string>{"b newest", "a newer", "a old"}));
  EXPECT_EQ(j["json_result"]["emails"][0]["folder"], b);
  EXPECT_EQ(j["json_result"]["emails"][1]["folder"], a);
}

TEST_F(SearchEmailsLab, NonAsciiAndQuoteContainingFilters) {
  const std::string f = folder("search filters");
  append(f, message("Überweisung \"dringend\" heute", id("q1"), "\"Chef \\\"Boss\\\" Ä\" <boss@lab.test>"));
  append(f, message("Überweisung dringend heute", id("q2"), "\"Chef \\\"Boss\\\" Ä\" <boss@lab.test>"));
  append(f, message("Überweisung \"dringend\" heute", id("q3"), "other@lab.test"));
  append(f, message("x\" OR ALL \"", id("q4")));
  const auto r = run("search-emails", {"--folder-name", f, "--subject-filter", "Überweisung \"dringend\"",
                                       "--sender-filter", "boss@lab.test"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = r.envelope();
  ASSERT_EQ(j["json_result"]["emails"].size(), 1U) << r.out;
  EXPECT_EQ(j["json_result"]["emails"][0]["message_id"], "<" + id("q1") + ">");
  // A quote cannot break out of the search string (O inserted values unescaped).
  const auto injected = run("search-emails", {"--folder-name", f, "--subject-filter", "x\" OR ALL \""});
  ASSERT_EQ(injected.exit_code, 0) << injected.out << injected.err;
  EXPECT_EQ(subjects(injected.envelope()), (std::vector<std::string>{"x\" OR ALL \""}));
}

TEST_F(SearchEmailsLab, ReadOnlyChangesNoFlags) {
  const std::string f = folder("search flags");
  append(f, message("unread one", id("f1")));
  append(f, message("flagged one", id("f2")), {}, "\\Flagged");
  const auto r = run("search-emails", {"--folder-name", f});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.envelope()["json_result"]["emails"].size(), 2U);
  const auto after = metadata(f);
  ASSERT_EQ(after.size(), 2U);
  EXPECT_FALSE(after[0].has_flag("\\Seen"));
  EXPECT_FALSE(after[1].has_flag("\\Seen"));
  EXPECT_TRUE(after[1].has_flag("\\Flagged"));
}

TEST_F(SearchEmailsLab, NothingFoundAndMissingFolder) {
  const std::string f = folder("search none");
  append(f, message("hello", id("n1")));
  auto r = run("search-emails", {"--folder-name", f, "--subject-filter", "no such subject"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"], "Search didn't found any matching emails");
  EXPECT_TRUE(r.envelope()["json_result"].is_null());
  r = run("search-emails", {"--folder-name", f + ",No such folder " + token_});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"], "Search didn't completed successfully due to error: FOLDER_NOT_FOUND: "
                                            "Folder No such folder " + token_ + " not found");
  EXPECT_EQ(r.envelope()["error_code"], "FOLDER_NOT_FOUND");
}

}  // namespace
}  // namespace emailv2::testing::mailbox
