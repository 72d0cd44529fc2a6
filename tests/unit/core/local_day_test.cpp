// core/local_day: local midnight N days back in an IANA zone (CONTRACT §3.7 Days Back).
#include "core/local_day.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace emailv2 {
namespace {

using namespace std::chrono_literals;

TimePoint utc(int y, unsigned m, unsigned d, std::chrono::minutes t = 0min) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) + t;
}

TEST(LocalDay, HostileZoneNamesAreRejected) {
  for (const char* tz : {"", "/etc/passwd", "../../etc/passwd", "Europe/..", "UTC\n", "a\x7f"}) {
    auto r = start_of_local_day(tz, utc(2024, 5, 10), 0);
    ASSERT_FALSE(r) << tz;
    EXPECT_EQ(r.error().code(), ErrorCode::kConfigInvalid);
  }
}

TEST(LocalDay, MidnightInTheZone) {
  struct Row {
    const char* tz;
    TimePoint now;
    int days_back;
    TimePoint expected;
  };
  const Row rows[] = {
      {"UTC", utc(2024, 5, 10, 23h + 59min), 0, utc(2024, 5, 10)},
      {"UTC", utc(2024, 5, 10), 0, utc(2024, 5, 10)},
      {"UTC", utc(2024, 3, 1, 1h), 1, utc(2024, 2, 29)},
      {"America/New_York", utc(2024, 5, 10, 2h), 0, utc(2024, 5, 9, 4h)},    // EDT: still the 9th there
      {"America/New_York", utc(2024, 1, 10, 2h), 0, utc(2024, 1, 9, 5h)},    // EST
      {"America/New_York", utc(2024, 3, 11, 12h), 1, utc(2024, 3, 10, 5h)},  // the DST day itself began in EST
      {"Asia/Kolkata", utc(2024, 5, 9, 19h), 0, utc(2024, 5, 9, 18h + 30min)},
      {"Asia/Kolkata", utc(2024, 5, 9, 18h), 0, utc(2024, 5, 8, 18h + 30min)},
      {"UTC", utc(2024, 5, 10), 36500, utc(1924, 6, 4)},
  };
  for (const auto& row : rows) {
    auto r = start_of_local_day(row.tz, row.now, row.days_back);
    ASSERT_TRUE(r) << row.tz;
    EXPECT_EQ(*r, row.expected) << row.tz << " " << rfc3339_utc(row.now) << " -" << row.days_back << " got "
                                << rfc3339_utc(*r);
  }
}

TEST(LocalDay, TzEnvironmentIsRestored) {
  ::setenv("TZ", "Europe/Berlin", 1);
  ASSERT_TRUE(start_of_local_day("Asia/Tokyo", utc(2024, 5, 10), 0));
  ASSERT_NE(std::getenv("TZ"), nullptr);
  EXPECT_STREQ(std::getenv("TZ"), "Europe/Berlin");
  ::unsetenv("TZ");
  ASSERT_TRUE(start_of_local_day("Asia/Tokyo", utc(2024, 5, 10), 0));
  EXPECT_EQ(std::getenv("TZ"), nullptr);
}

}  // namespace
}  // namespace emailv2
