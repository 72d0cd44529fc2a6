#include <gtest/gtest.h>

#include "mail/imap_mail_store_convert.h"
#include "mail/search_criteria.h"

namespace emailv2::mail {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

TimePoint at(int y, unsigned m, unsigned d, std::chrono::seconds s = 0s) {
  return sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) + s;
}

TEST(MailStoreMessageId, NormalisesAndComparesExactly) {
  struct Row { const char* a; const char* b; bool same; };
  const Row rows[] = {
      {"<abc@x>", "abc@x.example", false},  // substring is not a match (hostile first)
      {"<ABC@x>", "abc@x", false},          // case-sensitive
      {"", "", false},                      // empty never matches
      {"<>", "", false},
      {"<<abc@x>>", "abc@x", false},        // only one pair stripped
      {"  <abc@x>\t", "abc@x", true},
      {"abc@x", "<abc@x>", true},
  };
  for (const auto& r : rows) EXPECT_EQ(same_message_id(r.a, r.b), r.same) << r.a << " vs " << r.b;
  EXPECT_EQ(normalise_message_id(" <a@b> "), "a@b");
  EXPECT_EQ(normalise_message_id("<a@b"), "<a@b");
}

TEST(MailStoreHeaderField, FindsUnfoldedValueCaseInsensitively) {
  EXPECT_EQ(header_field_value("message-id: <a@b>\r\n\r\n", "Message-ID"), "<a@b>");
  EXPECT_EQ(header_field_value("Message-ID:\r\n <folded@b>\r\n\r\n", "Message-ID"), "<folded@b>");
  EXPECT_EQ(header_field_value("X-Message-ID: <no@b>\r\nMessage-ID: <yes@b>\r\n", "Message-ID"), "<yes@b>");
  EXPECT_EQ(header_field_value("Subject: x\r\n\r\nMessage-ID: <body@b>\r\n", "Message-ID"), std::nullopt);
  EXPECT_EQ(header_field_value("", "Message-ID"), std::nullopt);
  EXPECT_EQ(header_field_value("Message-ID: <lf@b>\n\n", "Message-ID"), "<lf@b>");
  EXPECT_EQ(header_field_value("Subject: a\r\n b\r\nTo: c\r\n", "subject"), "a b");
}

TEST(MailStoreCriteria, RejectsInjection) {
  const char* hostile[] = {"a\r\nA1 LOGOUT", "a\nb", std::string_view("a\0b", 3).data()};
  for (const char* v : {hostile[0], hostile[1]}) {
    SearchCriteria c;
    c.subject = v;
    EXPECT_EQ(validate(c).error().code(), ErrorCode::kParamInvalid);
    EXPECT_EQ(validate(SearchCriteria::header("Message-ID", v)).error().code(), ErrorCode::kParamInvalid);
    SearchCriteria o;
    o.any_header.push_back({"References", v});
    EXPECT_FALSE(validate(o));
  }
  SearchCriteria nul;
  nul.from = std::string("a\0b", 3);
  EXPECT_FALSE(validate(nul));
  EXPECT_FALSE(validate(SearchCriteria::header(" ", "x")));
  EXPECT_TRUE(validate(SearchCriteria::header("Message-ID", "ü@x")));
}

TEST(MailStoreCriteria, DayBeforeCoversEveryTimeZone) {
  EXPECT_EQ(day_before_utc(at(2024, 3, 1, 0s)), (CalendarDay{2024, 2, 29}));
  EXPECT_EQ(day_before_utc(at(2025, 1, 1, 86399s)), (CalendarDay{2024, 12, 31}));
  EXPECT_EQ(utc_day(at(2025, 1, 1, 86399s)), (CalendarDay{2025, 1, 1}));
  EXPECT_EQ(start_of_day_utc({2025, 1, 1}), at(2025, 1, 1));
}

TEST(MailStoreCriteria, WireSearchesForExactTimeAndOr) {
  SearchCriteria c;
  c.subject = "s";
  c.unseen = true;
  c.received_since = at(2024, 5, 10, 3600s);
  c.since_day = CalendarDay{2024, 1, 1};
  c.min_uid = 42;
  c.any_header = {{"In-Reply-To", "a@x"}, {"References", "a@x"}};
  const auto w = to_wire_searches(c);
  ASSERT_EQ(w.size(), 2U);
  for (const auto& s : w) {
    EXPECT_TRUE(s.unseen);
    EXPECT_EQ(s.subject, "s");
    ASSERT_TRUE(s.since);
    EXPECT_EQ(imap::wire::format_search_date(*s.since), "9-May-2024");  // day before, later than since_day
    ASSERT_TRUE(s.uids);
    EXPECT_EQ(s.uids->to_string(), "42:4294967295");
  }
  EXPECT_EQ(w[0].headers.back().first, "In-Reply-To");
  EXPECT_EQ(w[1].headers.back().first, "References");
  const auto all = to_wire_searches(SearchCriteria::all());
  ASSERT_EQ(all.size(), 1U);
  EXPECT_FALSE(all[0].since);
  EXPECT_TRUE(all[0].headers.empty());
}

TEST(MailStoreCriteria, ExactTimeFilterKeepsOnlyAtOrAfterCutoff) {
  const TimePoint cutoff = at(2024, 5, 10, 12h);
  std::vector<MessageMetadata> m(4);
  m[0].uid = 4; m[0].internal_date = cutoff;               // equal: kept
  m[1].uid = 1; m[1].internal_date = cutoff - 1s;          // same day, one second early: dropped
  m[2].uid = 3;                                            // unknown date: dropped
  m[3].uid = 2; m[3].internal_date = cutoff + 24h;
  EXPECT_EQ(received_since(m, cutoff), (std::vector<std::uint32_t>{2, 4}));
}

TEST(MailStoreFetchPlan, SegmentsKeepUidOrderAcrossTheLimit) {
  std::vector<MessageMetadata> m(5);
  const std::uint64_t sizes[] = {10, 101, 100, 5, 200};
  for (std::size_t i = 0; i < m.size(); ++i) {
    m[i].uid = static_cast<std::uint32_t>(10 - i);
    m[i].size = sizes[i];
  }
  const auto segs = plan_segments(m, 100);  // uids ascending: 6(200) 7(5) 8(100) 9(101) 10(10)
  ASSERT_EQ(segs.size(), 4U);
  EXPECT_TRUE(segs[0].over_limit);
  EXPECT_EQ(segs[0].messages[0]->uid, 6U);
  EXPECT_FALSE(segs[1].over_limit);
  EXPECT_EQ(segs[1].messages.size(), 2U);  // 7 and 8 (exactly at the limit is within)
  EXPECT_TRUE(segs[2].over_limit);
  EXPECT_EQ(segs[3].messages[0]->uid, 10U);
  EXPECT_EQ(missing_uids({6, 7, 11}, m), (std::vector<std::uint32_t>{11}));
}

TEST(MailStoreValues, ListingAndFlagsAreCaseInsensitive) {
  FolderListing l{"Sent Items", {"\\HasNoChildren", "\\sent"}, '/'};
  EXPECT_TRUE(l.is_sent());
  EXPECT_FALSE(l.has_attribute("\\Trash"));
  MessageMetadata md;
  md.flags = {"\\SEEN"};
  EXPECT_TRUE(md.has_flag("\\Seen"));
  EXPECT_FALSE(md.has_flag("\\Deleted"));
}

}  // namespace
}  // namespace emailv2::mail
