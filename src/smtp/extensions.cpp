#include "smtp/extensions.h"

#include <algorithm>
#include <limits>

#include "core/text.h"

namespace emailv2::smtp {
namespace {

bool is_keyword_char(char c, bool first) {
  const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  return alnum || (!first && c == '-');
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// RFC 1870: "SIZE" [SP 1*20DIGIT]; 0 or a missing/invalid value means no fixed maximum.
std::uint64_t parse_size(const std::vector<std::string_view>& params) {
  if (params.empty() || params.front().size() > 20) return 0;
  std::uint64_t value = 0;
  for (char c : params.front()) {
    if (c < '0' || c > '9') return 0;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return 0;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

Extensions Extensions::from_ehlo(const Reply& reply) {
  Extensions ext;
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    std::string_view line = text::trim(reply.lines[i]);
    // A control character (a CR inside a line, ESC, NUL) has no place in an extension: the line is dropped so it can
    // never reach a log or the Ping JSON.
    if (std::any_of(line.begin(), line.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
      continue;
    }
    // "AUTH=PLAIN LOGIN" (pre-RFC 4954 form) is the keyword AUTH with '=' as the separator.
    std::size_t end = 0;
    while (end < line.size() && is_keyword_char(line[end], end == 0)) ++end;
    if (end == 0) continue;
    const std::string keyword = upper_ascii(line.substr(0, end));
    const bool old_auth = keyword == "AUTH" && end < line.size() && line[end] == '=';
    if (end < line.size() && line[end] != ' ' && !old_auth) continue;
    const auto params = split_spaces(end < line.size() ? line.substr(end + 1) : std::string_view());
    if (std::find(ext.keywords_.begin(), ext.keywords_.end(), keyword) == ext.keywords_.end()) {
      ext.keywords_.push_back(keyword);
    }
    ext.lines_.push_back(keyword + std::string(line.substr(end)));
    if (keyword == "AUTH") {
      for (auto mech : params) {
        std::string m = upper_ascii(mech);
        if (std::find(ext.auth_.begin(), ext.auth_.end(), m) == ext.auth_.end()) ext.auth_.push_back(std::move(m));
      }
    } else if (keyword == "SIZE") {
      ext.size_ = parse_size(params);
    }
  }
  return ext;
}

bool Extensions::has(std::string_view keyword) const {
  return std::any_of(keywords_.begin(), keywords_.end(),
                     [&](const std::string& k) { return text::iequals_ascii(k, keyword); });
}

bool Extensions::supports_auth(std::string_view mechanism) const {
  return std::any_of(auth_.begin(), auth_.end(),
                     [&](const std::string& m) { return text::iequals_ascii(m, mechanism); });
}

}  // namespace emailv2::smtp
