// MemoryMailStore: the MailStore contract over folders in memory, its search semantics and its failure injection.
// (The behaviour shared with ImapMailStore is also run against the lab: tests/integration/mail_store_conformance_test.)

#include <gtest/gtest.h>

#include <thread>

#include "mail/memory_mail_store.h"
#include "mail/memory_mail_store_search.h"

namespace emailv2::mail {
namespace {

using namespace std::chrono_literals;
using Call = MemoryMailStore::Call;

TimePoint at(int y, unsigned m, unsigned d, std::chrono::seconds s = 0s) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) + s;
}

std::string mail(std::string_view subject, std::string_view from = "alice@lab.test", std::string_view extra = "",
                 std::string_view body = "hello\r\n") {
  std::string m = "From: " + std::string(from) + "\r\nTo: bob@lab.test\r\nSubject: " + std::string(subject) + "\r\n";
  m += extra;
  m += "\r\n";
  m += body;
  return m;
}

Deadline soon() { return Deadline::after(5s); }

class MemoryStore : public ::testing::Test {
 protected:
  FakeClock clock_{at(2024, 5, 10, 12h)};
  MemoryMailStore store_{{}, clock_};

  std::vector<std::uint32_t> find(const SearchCriteria& c, std::string_view folder = "INBOX") {
    auto r = store_.search(folder, c, soon());
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : std::vector<std::uint32_t>{};
  }
  std::vector<std::uint32_t> fetched(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                     std::uint64_t max = 1'000'000) {
    std::vector<std::uint32_t> out;
    auto r = store_.fetch_messages(folder, uids, max, [&](StoredMessage&& m) -> Status {
      out.push_back(m.metadata.uid);
      return ok();
    }, soon());
    EXPECT_TRUE(r) << r.error().to_string();
    return out;
  }
};

// ---- search semantics (hostile rows first) ----

TEST(MemorySearch, HeaderValuesAcrossFoldsOccurrencesAndEncodedWords) {
  const std::string header =
      "Received: from a\r\nReceived: from b\r\n  by c\r\nSubject: =?UTF-8?B?w6l0w6k=?= report\r\n\r\nReceived: body\r\n";
  EXPECT_EQ(header_field_values(header, "received"), (std::vector<std::string>{"from a", "from b by c"}));
  EXPECT_TRUE(header_field_values(header, "X-None").empty());
  MemoryMessage m{1, header, {}, at(2024, 1, 1)};
  SearchCriteria c;
  c.subject = "ete";  // accents are kept (Dovecot does the same)
  EXPECT_FALSE(matches(m, c));
  c.subject = "ÉTÉ";  // but case is folded beyond ASCII
  EXPECT_TRUE(matches(m, c));
  c.subject = "été REPORT";
  EXPECT_TRUE(matches(m, c));
  c = SearchCriteria::header("Received", "FROM B BY");
  EXPECT_TRUE(matches(m, c));
  c = SearchCriteria::header("Received", "body");  // the body is never searched
  EXPECT_FALSE(matches(m, c));
  c = SearchCriteria::header("X-None", "");  // empty value: presence
  EXPECT_FALSE(matches(m, c));
  c = SearchCriteria::header("Subject", "");
  EXPECT_TRUE(matches(m, c));
}

TEST(MemorySearch, CaseFoldingKeepsAccentsAndInvalidBytes) {
  EXPECT_EQ(fold_case("ÀÉÎÕÜ×Ÿ ĀĹŽ ΑΣΩ АЯЁ Abc"), "àéîõü×ÿ āĺž ασω аяё abc");
  EXPECT_EQ(fold_case("\xc3"), "\xc3");      // truncated sequence kept
  EXPECT_EQ(fold_case("\xff\xfe" "A"), "\xff\xfe" "a");
  EXPECT_EQ(fold_case("日本"), "日本");
  EXPECT_TRUE(contains_folded("Ärger im Büro", "BÜRO"));
  EXPECT_FALSE(contains_folded("Ärger", "arger"));
  EXPECT_TRUE(contains_folded("x", ""));
}

TEST(MemorySearch, HeaderSectionEndsAtTheBlankLine) {
  EXPECT_EQ(header_section("A: b\r\n\r\nbody"), "A: b\r\n\r\n");
  EXPECT_EQ(header_section("A: b\n\nbody"), "A: b\n\n");
  EXPECT_EQ(header_section("A: b\r\n"), "A: b\r\n");  // no blank line: everything
  EXPECT_EQ(header_section(""), "");
}

TEST(MemorySearch, FlagsAreCanonicalAndValidated) {
  std::vector<std::string> flags;
  add_flag(flags, "\\seen");
  add_flag(flags, "\\SEEN");
  add_flag(flags, "$Phishing");
  EXPECT_EQ(flags, (std::vector<std::string>{"\\Seen", "$Phishing"}));
  for (const char* bad : {"", "\\", "a b", "a\r\nb", "(x", "\\Se\\en", "x]", "caf\xc3\xa9"}) {
    EXPECT_FALSE(check_flag(bad)) << bad;
  }
  for (const char* good : {"\\Seen", "$Label1", "Junk"}) EXPECT_TRUE(check_flag(good)) << good;
}

// ---- MailStore over memory ----

TEST_F(MemoryStore, FiltersAreAndedAnyHeaderIsOred) {
  const auto a = store_.deliver("INBOX", mail("Invoice 1", "Alice <alice@lab.test>", "X-Tag: red\r\n"));
  const auto b = store_.deliver("INBOX", mail("invoice 2", "bob@lab.test", "X-Tag: blue\r\n"), {}, {"\\Seen"});
  const auto c = store_.deliver("INBOX", mail("other", "ALICE@lab.test"));
  SearchCriteria s;
  s.subject = "INVOICE";
  EXPECT_EQ(find(s), (std::vector<std::uint32_t>{a, b}));
  s.unseen = true;
  EXPECT_EQ(find(s), (std::vector<std::uint32_t>{a}));
  SearchCriteria f;
  f.from = "alice";
  EXPECT_EQ(find(f), (std::vector<std::uint32_t>{a, c}));
  SearchCriteria any;
  any.any_header = {{"X-Tag", "blue"}, {"Subject", "other"}};
  EXPECT_EQ(find(any), (std::vector<std::uint32_t>{b, c}));
  SearchCriteria min;
  min.min_uid = b;
  EXPECT_EQ(find(min), (std::vector<std::uint32_t>{b, c}));
  EXPECT_EQ(find(SearchCriteria::all()), (std::vector<std::uint32_t>{a, b, c}));
}

TEST_F(MemoryStore, ExactTimeFilterAndDayFilter) {
  const auto before = store_.deliver("INBOX", mail("a"), at(2024, 5, 10, 11h + 59min + 59s));
  const auto equal = store_.deliver("INBOX", mail("b"), at(2024, 5, 10, 12h));
  const auto day_before = store_.deliver("INBOX", mail("c"), at(2024, 5, 9, 23h));
  SearchCriteria exact;
  exact.received_since = at(2024, 5, 10, 12h);
  EXPECT_EQ(find(exact), (std::vector<std::uint32_t>{equal}));
  SearchCriteria day;
  day.since_day = CalendarDay{2024, 5, 10};
  EXPECT_EQ(find(day), (std::vector<std::uint32_t>{before, equal}));
  (void)day_before;
}

TEST_F(MemoryStore, InjectionAndMissingFoldersAreRefused) {
  SearchCriteria bad;
  bad.subject = "a\r\nA1 DELETE INBOX";
  EXPECT_EQ(store_.search("INBOX", bad, soon()).error().code(), ErrorCode::kParamInvalid);
  EXPECT_EQ(store_.open_folder("a\nb", Access::kReadOnly, soon()).error().code(), ErrorCode::kParamInvalid);
  EXPECT_EQ(store_.search("Nope", SearchCriteria::all(), soon()).error().code(), ErrorCode::kFolderNotFound);
  EXPECT_EQ(store_.open_folder("Nope", Access::kReadOnly, soon()).error().detail(), "Folder Nope not found");
  EXPECT_TRUE(store_.search("inbox", SearchCriteria::all(), soon()));  // INBOX in any case
  store_.deliver("INBOX", mail("x"));
  EXPECT_EQ(store_.add_flags("INBOX", {1}, {"bad flag"}, soon()).error().code(), ErrorCode::kParamInvalid);
}

TEST_F(MemoryStore, MessageIdLookupIsExact) {
  const auto yes = store_.deliver("INBOX", mail("a", "x@y", "Message-ID: <abc@lab.test>\r\n"));
  store_.deliver("INBOX", mail("b", "x@y", "Message-ID: <xabc@lab.test>\r\n"));
  store_.deliver("INBOX", mail("c", "x@y", "Message-ID: <ABC@lab.test>\r\n"));
  auto r = store_.find_by_message_id("INBOX", " <abc@lab.test> ", soon());
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (std::vector<std::uint32_t>{yes}));
  EXPECT_TRUE(store_.find_by_message_id("INBOX", "<>", soon())->empty());
}

TEST_F(MemoryStore, FolderInfoAndUidsNeverReused) {
  store_.create_folder("Sent Items", {"\\Sent"});
  store_.deliver("Sent Items", mail("a"));
  const auto two = store_.deliver("Sent Items", mail("b"));
  ASSERT_TRUE(store_.delete_messages("Sent Items", {two}, soon()));
  const auto three = store_.deliver("Sent Items", mail("c"));
  EXPECT_EQ(three, 3U);
  auto info = store_.open_folder("Sent Items", Access::kReadWrite, soon());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->uid_next, 4U);
  EXPECT_EQ(info->exists, 2U);
  EXPECT_FALSE(info->read_only);
  EXPECT_NE(info->uid_validity, store_.uid_validity("INBOX"));
  auto found = store_.find_folder("Sent Items", soon());
  ASSERT_TRUE(found && *found);
  EXPECT_TRUE((*found)->is_sent());
  EXPECT_FALSE(*store_.find_folder("sent items", soon()));  // only INBOX is case-insensitive
  EXPECT_EQ(store_.list_folders(soon())->size(), 2U);
}

TEST_F(MemoryStore, FetchesHonourTheLimitAndNeverSetSeen) {
  const auto small = store_.deliver("INBOX", mail("small"));
  const auto big = store_.deliver("INBOX", mail("big", "a@b", "", std::string(5000, 'x')));
  std::vector<StoredMessage> got;
  auto r = store_.fetch_messages("INBOX", {big, 99, small, small}, 1000, [&](StoredMessage&& m) -> Status {
    got.push_back(std::move(m));
    return ok();
  }, soon());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->delivered, 2U);
  EXPECT_EQ(r->missing, (std::vector<std::uint32_t>{99}));
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[0].metadata.uid, small);
  EXPECT_FALSE(got[0].over_limit);
  EXPECT_EQ(*got[0].bytes.read_all(), mail("small"));
  EXPECT_TRUE(got[1].over_limit);
  EXPECT_EQ(*got[1].bytes.read_all(), "From: a@b\r\nTo: bob@lab.test\r\nSubject: big\r\n\r\n");
  EXPECT_EQ(got[1].metadata.size, mail("big", "a@b", "", std::string(5000, 'x')).size());
  auto headers = store_.fetch_headers("INBOX", {small, 42}, soon());
  ASSERT_TRUE(headers);
  ASSERT_EQ(headers->size(), 1U);
  EXPECT_EQ(headers->at(0).header, "From: alice@lab.test\r\nTo: bob@lab.test\r\nSubject: small\r\n\r\n");
  auto meta = store_.fetch_metadata("INBOX", {small, big}, soon());
  ASSERT_TRUE(meta);
  for (const auto& m : *meta) EXPECT_FALSE(m.has_flag("\\Seen"));
  EXPECT_EQ(meta->at(0).internal_date, at(2024, 5, 10, 12h));
}

TEST_F(MemoryStore, CallbackErrorStopsTheStream) {
  for (int i = 0; i < 3; ++i) store_.deliver("INBOX", mail("m"));
  int seen = 0;
  auto r = store_.fetch_messages("INBOX", {1, 2, 3}, 1'000'000, [&](StoredMessage&&) -> Status {
    return ++seen == 2 ? fail(ErrorCode::kStoreError, "disk") : ok();
  }, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kStoreError);
  EXPECT_EQ(seen, 2);
}

TEST_F(MemoryStore, MoveCopiesFlagsAndReportsDestinationUids) {
  store_.create_folder("Done");
  store_.deliver("Done", mail("already"));
  const auto a = store_.deliver("INBOX", mail("a"), {}, {"\\Flagged"});
  const auto b = store_.deliver("INBOX", mail("b"));
  EXPECT_EQ(store_.move("INBOX", {a}, "Missing", soon()).error().code(), ErrorCode::kFolderNotFound);
  EXPECT_EQ(store_.messages("INBOX").size(), 2U);  // nothing changed
  auto r = store_.move("INBOX", {b, a, 77}, "Done", soon());
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->moved.size(), 2U);
  EXPECT_EQ(r->moved[0].uid, a);
  EXPECT_EQ(r->moved[0].destination_uid, 2U);
  EXPECT_EQ(r->moved[1].destination_uid, 3U);
  EXPECT_EQ(r->destination_uid_validity, store_.uid_validity("Done"));
  EXPECT_TRUE(store_.messages("INBOX").empty());
  EXPECT_TRUE(has_flag(store_.message("Done", 2)->flags, "\\Flagged"));
}

TEST_F(MemoryStore, SafetyRuleWithoutMoveAndUidplus) {
  MemoryMailStore plain({false, false}, clock_);
  plain.create_folder("Dest");
  const auto ours = plain.deliver("INBOX", mail("ours"));
  const auto theirs = plain.deliver("INBOX", mail("theirs"), {}, {"\\Deleted"});
  auto moved = plain.move("INBOX", {ours}, "Dest", soon());
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code(), ErrorCode::kCapabilityMissing);
  EXPECT_EQ(plain.messages("Dest").size(), 1U);  // the copy was kept
  EXPECT_TRUE(plain.message("INBOX", ours));
  EXPECT_EQ(plain.delete_messages("INBOX", {ours}, soon()).error().code(), ErrorCode::kCapabilityMissing);
  EXPECT_FALSE(has_flag(plain.message("INBOX", ours)->flags, "\\Deleted"));
  auto gone = plain.delete_messages("INBOX", {theirs}, soon());  // alone -> allowed
  ASSERT_TRUE(gone);
  EXPECT_EQ(*gone, (std::vector<std::uint32_t>{theirs}));
  auto no_uids = plain.move("INBOX", {ours}, "Dest", soon());
  ASSERT_TRUE(no_uids);
  EXPECT_FALSE(no_uids->destination_uid_validity);
  EXPECT_FALSE(no_uids->moved.at(0).destination_uid);
}

TEST_F(MemoryStore, InjectedCallFailureAndBrokenConnection) {
  store_.deliver("INBOX", mail("a"));
  store_.fail_call(Call::kSearch, 2, Error(ErrorCode::kImapNo, "busy"));
  EXPECT_TRUE(store_.search("INBOX", SearchCriteria::all(), soon()));
  EXPECT_EQ(store_.search("INBOX", SearchCriteria::all(), soon()).error().code(), ErrorCode::kImapNo);
  EXPECT_TRUE(store_.search("INBOX", SearchCriteria::all(), soon()));  // IMAP_NO leaves the connection usable
  store_.fail_call(Call::kFetchMetadata, 1, Error(ErrorCode::kImapBye, "shutting down"));
  EXPECT_EQ(store_.fetch_metadata("INBOX", {1}, soon()).error().code(), ErrorCode::kImapBye);
  EXPECT_EQ(store_.list_folders(soon()).error().code(), ErrorCode::kImapBye);  // broken: never reused
  EXPECT_TRUE(store_.close(soon()));
  EXPECT_TRUE(store_.list_folders(soon()));
  EXPECT_EQ(store_.connections(), 2U);
  store_.fail_call(Call::kConnect, 1, Error(ErrorCode::kAuthFailed, "no"));
  EXPECT_TRUE(store_.close(soon()));
  EXPECT_EQ(store_.list_folders(soon()).error().code(), ErrorCode::kAuthFailed);
  EXPECT_TRUE(store_.list_folders(soon()));  // the next call connects again
  EXPECT_EQ(store_.calls(Call::kListFolders), 4U);
  store_.fail_call(Call::kClose, 1, Error(ErrorCode::kTimeout, "LOGOUT timed out"));
  EXPECT_EQ(store_.close(soon()).error().code(), ErrorCode::kTimeout);
  EXPECT_TRUE(store_.close(soon()));  // nothing left to log out of
  EXPECT_TRUE(store_.list_folders(soon()));
  EXPECT_EQ(store_.connections(), 4U);
}

TEST_F(MemoryStore, NthMessageFailsMidStream) {
  for (int i = 0; i < 4; ++i) store_.deliver("INBOX", mail("m"));
  store_.fail_nth_message(3, Error(ErrorCode::kTimeout, "read timed out"));
  std::vector<std::uint32_t> got;
  auto r = store_.fetch_messages("INBOX", {1, 2, 3, 4}, 1'000'000, [&](StoredMessage&& m) -> Status {
    got.push_back(m.metadata.uid);
    return ok();
  }, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kTimeout);
  EXPECT_EQ(got, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(store_.search("INBOX", SearchCriteria::all(), soon()).error().code(), ErrorCode::kTimeout);
}

TEST_F(MemoryStore, UnfetchableUids) {
  for (int i = 0; i < 3; ++i) store_.deliver("INBOX", mail("m"));
  store_.make_unfetchable("INBOX", 2);
  EXPECT_EQ(fetched("INBOX", {1, 2, 3}), (std::vector<std::uint32_t>{1, 3}));
  EXPECT_EQ(find(SearchCriteria::all()).size(), 3U);  // still listed
  store_.make_unfetchable("INBOX", 3, Error(ErrorCode::kImapNo, "cannot read"));
  std::vector<std::uint32_t> got;
  auto r = store_.fetch_messages("INBOX", {1, 3}, 1'000'000, [&](StoredMessage&& m) -> Status {
    got.push_back(m.metadata.uid);
    return ok();
  }, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kImapNo);
  EXPECT_EQ(got, (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(store_.fetch_headers("INBOX", {3}, soon()).error().code(), ErrorCode::kImapNo);
}

TEST_F(MemoryStore, UidValidityChangeRenumbers) {
  store_.deliver("INBOX", mail("a"));
  const auto b = store_.deliver("INBOX", mail("b"));
  ASSERT_TRUE(store_.delete_messages("INBOX", {1}, soon()));
  store_.change_uid_validity("INBOX", 777);
  auto info = store_.open_folder("INBOX", Access::kReadOnly, soon());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->uid_validity, 777U);
  EXPECT_EQ(info->uid_next, 2U);
  EXPECT_EQ(find(SearchCriteria::all()), (std::vector<std::uint32_t>{1}));
  EXPECT_NE(b, 1U);
}

TEST_F(MemoryStore, WaitWakesOnDeliveryFromAnotherThread) {
  ASSERT_TRUE(store_.open_folder("INBOX", Access::kReadOnly, soon()));
  auto timed_out = store_.wait_for_new_mail("INBOX", Deadline::after(50ms), {}, soon());
  ASSERT_TRUE(timed_out);
  EXPECT_FALSE(*timed_out);
  std::thread postman([&] {
    std::this_thread::sleep_for(100ms);
    store_.deliver("INBOX", mail("new"));
  });
  const auto start = std::chrono::steady_clock::now();
  auto woke = store_.wait_for_new_mail("INBOX", Deadline::after(30s), {}, soon().earliest(Deadline::after(30s)));
  postman.join();
  ASSERT_TRUE(woke);
  EXPECT_TRUE(*woke);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  // Reported once: the next wait times out again.
  EXPECT_FALSE(*store_.wait_for_new_mail("INBOX", Deadline::after(20ms), {}, soon()));
  // Mail that arrived between open and wait counts.
  store_.deliver("INBOX", mail("early"));
  EXPECT_TRUE(*store_.wait_for_new_mail("INBOX", Deadline::after(20ms), {}, soon()));
}

}  // namespace
}  // namespace emailv2::mail
