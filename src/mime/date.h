#pragma once
// RFC 5322 dates (with the obsolete forms: 2-digit years, named and military zones, comments, missing seconds,
// numeric months) and an ISO 8601 fallback, to epoch milliseconds. Pure; never fails (nullopt = invalid).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace emailv2::mime {

struct ParsedDate {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int offset_minutes = 0;  // east of UTC
  bool zone_known = true;  // false: zone missing or unknown (treated as UTC)
};

std::optional<ParsedDate> parse_date(std::string_view value);

// Epoch milliseconds of a parsed date (UTC instant).
std::int64_t to_epoch_ms(const ParsedDate& d);

// "Mon, 26 Aug 2019 10:20:15 +0000": the instant shown at `offset_minutes` east of UTC (RFC 5322 §3.3).
std::string format_rfc5322_date(std::int64_t epoch_ms, int offset_minutes = 0);

// Civil fields of an instant shown at an offset (the inverse of to_epoch_ms), for other display formats.
ParsedDate civil_from_epoch_ms(std::int64_t epoch_ms, int offset_minutes);

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(int year, int month, int day);

}  // namespace emailv2::mime
