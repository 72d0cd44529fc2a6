#pragma once
// Exact reply matching for Wait For Email From User (CONTRACT §3.4 steps 2–3). The server's `HEADER` search matches
// substrings, so every hit is confirmed here on its raw header section (BODY.PEEK[HEADER]). Pure functions over
// bytes; nothing here fails.
//
// A message answers the sent message <id> when
//  * its In-Reply-To or its References holds the exact token `<id>` (case-sensitive, CONTRACT §1.5), or
//  * its X-Microsoft-Original-Message-ID equals `id` (trimmed, one surrounding <> stripped, case-sensitive).
// Nothing else counts: not the Subject ("Re: ..."), not Thread-Index, not a token that merely contains the id.

#include <string>
#include <string_view>
#include <vector>

namespace emailv2::actions {

enum class ReplyLink { kNone, kInReplyTo, kReferences, kMicrosoftOriginalId };

std::string_view to_string(ReplyLink link);  // "none", "In-Reply-To", "References", "X-Microsoft-Original-Message-ID"

// The `<...>` tokens of an In-Reply-To or References value, in order, with their brackets. Text between tokens
// (phrases, comments, stray words of broken mailers) is skipped; an unterminated `<` ends the scan.
std::vector<std::string_view> message_id_tokens(std::string_view value);

// How `header_block` answers `message_id` (any form: "<x@y>", "x@y", " <x@y> "). The first occurrence of each
// field is looked at. kNone when the id is empty after normalisation.
ReplyLink reply_link(std::string_view header_block, std::string_view message_id);

// The addr-specs of the first `field` (From, To...) in header order (groups flattened); empty when the field is
// absent or nothing in it parses as an address.
std::vector<std::string> header_addresses(std::string_view header_block, std::string_view field);
inline std::vector<std::string> from_addresses(std::string_view header_block) {
  return header_addresses(header_block, "From");
}

// Whether `addresses` holds `recipient`: whole addr-spec, trimmed, ASCII case-insensitive.
bool has_address(const std::vector<std::string>& addresses, std::string_view recipient);

}  // namespace emailv2::actions
