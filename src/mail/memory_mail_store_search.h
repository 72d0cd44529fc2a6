#pragma once
// The pure parts of MemoryMailStore (memory_mail_store.h): SearchCriteria evaluated over a raw message the way
// Dovecot answers UID SEARCH, and flag-set arithmetic. Tested alone (tests/unit/mail/memory_mail_store_test.cpp).

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "mail/memory_mail_store.h"

namespace emailv2::mail {

// The header section of a raw message, up to and including the blank line (CRLF or LF); the whole message when
// there is none.
std::string_view header_section(std::string_view raw);

// Every value of header field `field` (case-insensitive name), unfolded, in order.
std::vector<std::string> header_field_values(std::string_view header_block, std::string_view field);

// Whether `message` satisfies every filter of `criteria` (see memory_mail_store.h for the semantics).
bool matches(const MemoryMessage& message, const SearchCriteria& criteria);

// Lower case for ASCII and the two-byte UTF-8 letters of Latin-1, Latin Extended-A, Greek and Cyrillic (what
// Dovecot's i;unicode-casemap does for them); accents are kept ("É" -> "é", never "e"); other bytes unchanged.
std::string fold_case(std::string_view utf8);
// Substring test after fold_case() of both sides; an empty needle is contained in everything.
bool contains_folded(std::string_view haystack, std::string_view needle);

// System flags in canonical case ("\\seen" -> "\\Seen"); keywords unchanged.
std::string canonical_flag(std::string_view flag);
bool has_flag(const std::vector<std::string>& flags, std::string_view flag);  // case-insensitive
void add_flag(std::vector<std::string>& flags, std::string_view flag);        // canonical, no duplicates
// PARAM_INVALID ("invalid IMAP flag") unless `flag` is an IMAP atom with an optional leading backslash (the rule
// imap::commands::uid_store applies).
Status check_flag(std::string_view flag);

}  // namespace emailv2::mail
