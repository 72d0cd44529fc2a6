#pragma once
// Charset conversion to UTF-8 that never fails (CONTRACT §4.2 "Charsets"): aliases, detection of undeclared or wrongly
// declared charsets (uchardet), and the last-resort rule "UTF-8 if valid, else windows-1252", each with a warning.

#include <string>
#include <string_view>
#include <vector>

namespace emailv2::mime {

// Lower-cased, quote-stripped label with the aliases applied ("iso-8859-8-i" → "iso-8859-8", "utf8" → "utf-8",
// "ks_c_5601-1987" → "cp949" …). "" stays "".
std::string canonical_charset(std::string_view label);

// True when `label` names a charset iconv can convert from.
bool charset_known(std::string_view label);

bool is_valid_utf8(std::string_view bytes);

// windows-1252 → UTF-8; the five undefined bytes become U+FFFD. Total function.
std::string windows1252_to_utf8(std::string_view bytes);

// Strict conversion; false when the label is unknown or the bytes are invalid in it.
bool convert_strict(std::string_view bytes, std::string_view label, std::string& out);

// uchardet's guess for the bytes ("" when it has none or only guesses ASCII).
std::string detect_charset(std::string_view bytes);

// The full rule. `declared` may be "" (undeclared). Appends a warning for every fallback it takes, naming `where`.
// Pure ASCII input is returned unchanged without consulting the label (except UTF-16/32 and ISO-2022 labels).
std::string to_utf8(std::string_view bytes, std::string_view declared, std::vector<std::string>& warnings,
                    std::string_view where);

// Replaces invalid UTF-8 sequences by U+FFFD.
std::string sanitize_utf8(std::string_view bytes);

}  // namespace emailv2::mime
