#pragma once
// iCalendar (RFC 5545) VEVENTs of an attached .ics / text/calendar part, as plain values (CONTRACT §4.2 "Attached
// mails"). Pure; never fails: an unreadable calendar yields no events.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace emailv2::mime {

struct IcsEvent {
  std::string uid;
  std::string summary;
  std::string organizer;               // addr-spec (mailto: stripped)
  std::vector<std::string> attendees;  // addr-specs
  std::string dtstart, dtend;          // raw values
  std::optional<std::int64_t> start_ms, end_ms;
  std::string description;
  std::vector<std::string> urls;  // URL and ATTACH values
};

std::vector<IcsEvent> parse_ics(std::string_view text, std::vector<std::string>& warnings);

// DATE-TIME / DATE values: 20240501T123456Z, 20240501T123456 (floating → UTC), 20240501.
std::optional<std::int64_t> parse_ics_time(std::string_view value);

}  // namespace emailv2::mime
