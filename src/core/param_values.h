#pragma once
// The value rules of CONTRACT §1.2, shared by action parameters (exit 64) and configuration values (exit 78).
// Every function is pure and returns the contract's exact message. Errors carry PARAM_INVALID / PARAM_MISSING;
// configuration callers re-tag them as CONFIG_INVALID / CONFIG_MISSING with as_config_error().
//
// `name` is always the D display name of the parameter as it appears in messages. Values echoed back go through
// text::echo_value (control characters escaped, cut to 200 characters).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/address_syntax.h"
#include "core/result.h"

namespace emailv2::param_values {

// `Missing mandatory parameter <name>` (PARAM_MISSING).
Error missing(std::string_view name);

// `Invalid value for parameter "<name>": <what>` (PARAM_INVALID).
Error invalid(std::string_view name, std::string_view what);

// The control characters rule, on the raw value (before trimming):
// `Invalid value for parameter "<name>": control characters (CR, LF, NUL) are not allowed`.
Status check_no_line_breaks(std::string_view name, std::string_view raw);

// true/false/yes/no/1/0, case-insensitive, surrounding whitespace ignored.
// `Invalid value for parameter "<name>": expected true or false, got "<v>"`.
Result<bool> parse_checkbox(std::string_view name, std::string_view raw);

// A decimal integer (optional sign, surrounding whitespace ignored) within [min, max].
// `Invalid value for parameter "<name>": expected an integer between <min> and <max>, got "<v>"`.
Result<std::int64_t> parse_integer(std::string_view name, std::string_view raw, std::int64_t min, std::int64_t max);

// CSV: split on `,` outside double quotes; each item trimmed, one surrounding pair of `"` removed; empty items
// dropped. `separators` lets the address list rule add `;`.
std::vector<std::string> split_csv(std::string_view raw, std::string_view separators = ",");

// Address list: CSV split on `,` and `;`; every item an RFC 5322 mailbox, else
// `Invalid email address "<item>" in parameter "<name>"` (PARAM_INVALID). Also applies the control characters
// rule to the raw value and the item cap (`max_items`, 0 = no cap).
Result<std::vector<address::Mailbox>> parse_address_list(std::string_view name, std::string_view raw,
                                                          std::size_t max_items = 0);

// A CSV list with at most max_items items (0 = no cap):
// `Invalid value for parameter "<name>": at most <max> items are allowed, got <n>`.
Status check_item_count(std::string_view name, std::size_t count, std::size_t max_items);

// Re-tags a PARAM_* error as the configuration twin (CONFIG_MISSING / CONFIG_INVALID, exit 78), keeping the text.
Error as_config_error(const Error& error);

}  // namespace emailv2::param_values
