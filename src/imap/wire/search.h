#pragma once
// Search keys (CONTRACT §3.0 "Search"): the filters are ANDed; with none, ALL. CHARSET UTF-8 is added only when a
// value is non-ASCII, and such values go as literals (CommandBuilder picks that per string).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "imap/wire/command.h"
#include "imap/wire/uid_set.h"

namespace emailv2::imap::wire {

struct SearchDate {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

struct SearchCriteria {
  bool unseen = false;
  bool deleted = false;
  std::optional<std::string> subject;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<SearchDate> since;
  std::vector<std::pair<std::string, std::string>> headers;  // HEADER <name> <value>, e.g. {"Message-ID", "abc@x"}
  std::optional<UidSet> uids;                                // UID <set>
};

// True when some value needs CHARSET UTF-8.
bool needs_utf8_charset(const SearchCriteria& criteria);
// Appends "[CHARSET UTF-8] <keys>" to a SEARCH / UID SEARCH builder. Errors surface from build().
void append_search_keys(CommandBuilder& builder, const SearchCriteria& criteria);
// "1-Feb-2024" (RFC 3501 date). Months outside 1..12 are clamped.
std::string format_search_date(const SearchDate& date);

}  // namespace emailv2::imap::wire
