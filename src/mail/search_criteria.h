#pragma once
// What a MailStore search asks for (CONTRACT §3.0 "Search", "Exact time filter", "Message-ID lookup"), as values:
// no IMAP syntax. The ImapMailStore turns it into UID SEARCH keys; MemoryMailStore evaluates it directly.
//
// Contract:
//  * Every set filter is ANDed; with none, every message matches.
//  * subject/from/to/header values are substrings, compared the way the server compares them (IMAP: case-
//    insensitive substring of the decoded header). Non-ASCII values are fine (the imap layer adds CHARSET UTF-8).
//  * any_header: the message matches when at least ONE of the terms matches (OR); an empty list is no filter.
//  * received_since is the EXACT time filter: INTERNALDATE >= the instant (the server is asked for SINCE the UTC
//    day before, then INTERNALDATE is checked per message).
//  * min_uid is the `n:*` range: UIDs >= min_uid only.
//  * CR, LF or NUL in any value -> PARAM_INVALID before anything is sent (validate()).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace emailv2::mail {

using TimePoint = std::chrono::system_clock::time_point;

struct HeaderTerm {
  std::string field;  // e.g. "Message-ID", "In-Reply-To", "References", "X-Microsoft-Original-Message-ID"
  std::string value;  // substring of the field's value
  bool operator==(const HeaderTerm&) const = default;
};

struct CalendarDay {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
  bool operator==(const CalendarDay&) const = default;
};

struct SearchCriteria {
  bool unseen = false;
  std::optional<std::string> subject;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<CalendarDay> since_day;        // server-side day granularity (SINCE): rarely what callers want
  std::optional<TimePoint> received_since;     // exact: INTERNALDATE >= this instant
  std::vector<HeaderTerm> header_terms;        // ANDed
  std::vector<HeaderTerm> any_header;          // ORed (one of them must match)
  std::optional<std::uint32_t> min_uid;        // UID min_uid:*

  static SearchCriteria all() { return {}; }
  static SearchCriteria header(std::string field, std::string value);
};

// PARAM_INVALID ("<what> contains a line break or NUL") when a value could inject a command.
Status validate(const SearchCriteria& criteria);

// The UTC calendar day of `instant` minus one day: the SINCE date that covers every server time zone.
CalendarDay day_before_utc(TimePoint instant);
// The UTC calendar day of `instant`.
CalendarDay utc_day(TimePoint instant);
// Midnight UTC that starts `day`.
TimePoint start_of_day_utc(CalendarDay day);

// Message-ID comparison form (§1.5): trimmed, one enclosing pair of angle brackets removed. Case is kept.
std::string normalise_message_id(std::string_view id);
// Exact match of two Message-IDs after normalisation (case-sensitive).
bool same_message_id(std::string_view a, std::string_view b);
// The value of header field `field` (case-insensitive name) in a header block (as returned by
// BODY.PEEK[HEADER.FIELDS (...)] or a whole header), unfolded; nullopt when the field is absent. First occurrence.
std::optional<std::string> header_field_value(std::string_view header_block, std::string_view field);

}  // namespace emailv2::mail
