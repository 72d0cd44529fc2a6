#pragma once
// Small text helpers shared by every layer: normalised names, echoed values, server text, ASCII case.

#include <string>
#include <string_view>
#include <vector>

namespace emailv2::text {

// CONTRACT §1.1: lower-case ASCII letters, every run of characters outside [a-z0-9] becomes one '-', trimmed.
std::string normalise_name(std::string_view name);

// A parameter value echoed in a message: control characters escaped (\r, \n, \0, \xNN), cut to 200 characters.
std::string echo_value(std::string_view value);

// Server text quoted in an error: control characters removed, cut to 300 characters (UTF-8 safe).
std::string server_text(std::string_view text);

// True when the value holds CR, LF or NUL (§1.2: such values never reach the wire).
bool has_line_breaks_or_nul(std::string_view value);

std::string to_lower_ascii(std::string_view s);
bool iequals_ascii(std::string_view a, std::string_view b);
bool istarts_with_ascii(std::string_view s, std::string_view prefix);
std::string_view trim(std::string_view s);

// Cuts a UTF-8 string to at most max_bytes without splitting a character.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

std::string base64_encode(std::string_view bytes);
// Lenient: skips whitespace; returns false on characters outside the alphabet.
bool base64_decode(std::string_view text, std::string& out);

std::string hex_lower(std::string_view bytes);

}  // namespace emailv2::text
