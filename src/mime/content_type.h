#pragma once
// Content-Type and Content-Disposition values with RFC 2231 parameters (continuations, charset'lang'%XX), quoted
// strings, and unquoted RFC 2047 words in values (a common non-standard form). Pure; never fails.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emailv2::mime {

struct Parameters {
  std::vector<std::pair<std::string, std::string>> items;  // lower-case name → decoded UTF-8 value, first wins
  const std::string* find(std::string_view name) const;
  std::string get(std::string_view name) const;  // "" when absent
};

struct ContentType {
  std::string type;     // lower-case; "" when the header is missing or malformed
  std::string subtype;  // lower-case
  Parameters params;
  std::string mime_type() const { return type + "/" + subtype; }
};

struct Disposition {
  std::string kind;  // lower-case "attachment", "inline", … ; "" when absent
  Parameters params;
};

// Parses `;`-separated parameters starting at s (after the type or disposition token).
Parameters parse_parameters(std::string_view s, std::vector<std::string>& warnings);

// A missing or malformed type yields type "" (callers apply the RFC 2045 default); "image/ jpeg" is accepted.
ContentType parse_content_type(std::string_view value, std::vector<std::string>& warnings);
Disposition parse_disposition(std::string_view value, std::vector<std::string>& warnings);

}  // namespace emailv2::mime
