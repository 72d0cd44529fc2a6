#pragma once
// Calendar days in an IANA time zone (CONTRACT §2 "Time Zone", §3.7 "Days Back": C = 00:00 of today − N in the
// configured zone). g++ 12's libstdc++ has no std::chrono tzdb, so this goes through the C library's zoneinfo
// reader (TZ=":<name>"); TZ is process-wide, so calls are serialised by a mutex and TZ is restored afterwards.
//
// Contract: `time_zone` must already be validated (IntegrationConfig does: a file under /usr/share/zoneinfo); a name
// with "..", a leading '/' or a control character is CONFIG_INVALID here too. "UTC" needs no zoneinfo file.

#include <string_view>

#include "core/result.h"
#include "core/time_format.h"

namespace emailv2 {

// The instant of local midnight that starts the day `days_back` days before the local day of `now` in `time_zone`.
// On a day whose midnight does not exist (a DST gap at 00:00) the C library's normalisation picks the first valid
// local time after it.
Result<TimePoint> start_of_local_day(std::string_view time_zone, TimePoint now, int days_back);

}  // namespace emailv2
