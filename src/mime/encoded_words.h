#pragma once
// RFC 2047 encoded words, decoded by us (GMime 3.2.13 drops the second of two adjacent words), and encoded for
// outgoing headers.

#include <string>
#include <string_view>
#include <vector>

namespace emailv2::mime {

// Decodes every encoded word of an unstructured header value (Subject, a display name, a file name) to UTF-8.
// Lenient: words need not be whitespace-separated; whitespace between two adjacent words is dropped; adjacent words
// in the same charset are joined before conversion (so a character split across words survives); malformed words
// stay literal; an unknown charset or undecodable bytes fall back per to_utf8(), with a warning. Text outside words
// is converted with `fallback_charset` (raw 8-bit headers; "" = UTF-8 else windows-1252).
std::string decode_encoded_words(std::string_view value, std::vector<std::string>& warnings,
                                 std::string_view fallback_charset = "");

// True when the text needs an encoded word in a header (non-ASCII, control characters, or a literal "=?").
bool needs_encoding(std::string_view utf8);

// `=?UTF-8?B?…?=` words, each at most 75 characters, split only at UTF-8 character boundaries, separated by a space
// (so a folding writer may break between them).
std::string encode_words(std::string_view utf8);

}  // namespace emailv2::mime
