#include "mime/date.h"

#include <gtest/gtest.h>

namespace emailv2::mime {
namespace {

std::optional<std::int64_t> ms(const char* s) {
  auto d = parse_date(s);
  if (!d) return std::nullopt;
  return to_epoch_ms(*d);
}

TEST(Date, HostileRowsAreInvalid) {
  for (const char* s : {"", "garbage", "Tue, 7 All 2026 19:14:51 +0000", "Tue, 7 00 2026 19:14:51 +0000",
                        "31 Feb 2021 10:00:00 +0000", "1 Jan 2021 25:00:00 +0000", "1 Jan 2021 10:61:00 +0000",
                        "1 Jan 2021 10:00:00 +2400", "1 Jan 2021", "99999999999 Jan 2021 10:00 +0000",
                        "1 Jan 2021 10:00:00:00 +0000", "(((((((("}) {
    EXPECT_FALSE(parse_date(s).has_value()) << s;
  }
}

TEST(Date, TzAwareEpochMs) {
  EXPECT_EQ(ms("Mon, 26 Aug 2019 03:20:13 -0700 (PDT)"), 1566814813000);
  EXPECT_EQ(ms("Mon, 26 Aug 2019 10:20:13 +0000"), 1566814813000);
  EXPECT_EQ(ms("26 Aug 19 10:20:13 GMT"), 1566814813000);
  EXPECT_EQ(ms("Mon, 26 Aug 2019 06:20:13 EDT"), 1566814813000);
  EXPECT_EQ(ms("Thu, 1 Jan 1970 00:00:00 +0000"), 0);
  EXPECT_EQ(ms("Tue, 30 Dec 1969 23:32:54 -0330"), -75426000);
  EXPECT_EQ(ms("2019-08-26T10:20:13Z"), 1566814813000);
  EXPECT_EQ(ms("2019-08-26T12:20:13+02:00"), 1566814813000);
  EXPECT_EQ(ms("Thu, 29 Feb 2024 00:00:00 +0000"), 1709164800000);
  EXPECT_FALSE(ms("0019-08-27T12:22:00Z").has_value());  // regression (fuzz_mime_date): ISO year range
}

TEST(Date, ObsoleteForms) {
  auto d = parse_date("Thu,\r\n   13\r\n  Feb\r\n    1969\r\n  23:32\r\n  -0330 (Newfoundland Time)");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year, 1969);
  EXPECT_EQ(d->second, 0);
  EXPECT_EQ(d->offset_minutes, -210);
  d = parse_date("Tue, 1 Jul 2003 ((tricky) comment) 10:52:37 +0200");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->hour, 10);
  d = parse_date("Thu, 10 Jul 1997 14:53:31 A");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->zone_known);
  d = parse_date("Thu, 10 Jul 1997 14:53:31 EST5EDT");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->offset_minutes, -300);
  d = parse_date("20 11 79 05:34:27 -0300");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year, 1979);
  EXPECT_EQ(d->month, 11);
  d = parse_date("Wed Jun 30 21:49:08 1993");  // asctime
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year, 1993);
  EXPECT_FALSE(d->zone_known);
}

}  // namespace
}  // namespace emailv2::mime
