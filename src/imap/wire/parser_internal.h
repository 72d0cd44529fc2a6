#pragma once
// Pieces of the response grammar shared between parser.cpp and fetch_parser.cpp. Internal to imap/wire.

#include <cstdint>
#include <optional>
#include <string_view>

#include "imap/wire/reader.h"
#include "imap/wire/response.h"

namespace emailv2::imap::wire {

// msg-att: "(" item *(SP item) ")" — fills `fetch` (seq already set).
void parse_fetch_items(Reader& r, FetchData& fetch);

// date-time "dd-Mon-yyyy hh:mm:ss +zzzz" (day may be space-padded) -> seconds since the epoch.
std::optional<std::int64_t> parse_internal_date(std::string_view text);

}  // namespace emailv2::imap::wire
