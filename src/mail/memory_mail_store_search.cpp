#include "mail/memory_mail_store_search.h"

#include <algorithm>
#include <array>

#include "core/text.h"
#include "core/utf8.h"
#include "mime/encoded_words.h"

namespace emailv2::mail {
namespace {

constexpr std::array<std::string_view, 5> kSystemFlags = {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted",
                                                           "\\Draft"};

std::string_view next_line(std::string_view& rest) {
  const auto nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string decoded(std::string_view value) {
  std::vector<std::string> warnings;
  return mime::decode_encoded_words(value, warnings);
}

// A header filter (SUBJECT, FROM, TO, HEADER): some occurrence of the field contains the value. An empty value
// asks only that the field is present.
bool header_matches(std::string_view header, std::string_view field, std::string_view value) {
  for (const auto& v : header_field_values(header, field)) {
    if (contains_folded(decoded(v), value)) return true;
  }
  return false;
}

bool optional_header_matches(std::string_view header, std::string_view field, const std::optional<std::string>& value) {
  return !value || header_matches(header, field, *value);
}

bool on_or_after(TimePoint instant, CalendarDay day) { return instant >= start_of_day_utc(day); }

// Simple lower-case mapping of the two-byte UTF-8 letters that have one: Latin-1, Latin Extended-A, Greek, Cyrillic.
char32_t fold_two_byte(char32_t cp) {
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
      (cp >= 0x410 && cp <= 0x42F)) {
    return cp + 0x20;
  }
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  if (cp == 0x178) return 0xFF;
  const bool even_upper = (cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177);
  const bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
  if ((even_upper && cp % 2 == 0) || (odd_upper && cp % 2 == 1)) return cp + 1;
  return cp;
}

}  // namespace

std::string_view header_section(std::string_view raw) {
  std::size_t pos = 0;
  while (pos < raw.size()) {
    const auto nl = raw.find('\n', pos);
    if (nl == std::string_view::npos) break;
    const std::string_view line = raw.substr(pos, nl - pos);
    if (line.empty() || line == "\r") return raw.substr(0, nl + 1);
    pos = nl + 1;
  }
  return raw;
}

std::vector<std::string> header_field_values(std::string_view header_block, std::string_view field) {
  std::string_view rest = header_section(header_block);
  std::vector<std::string> out;
  bool in_field = false;
  while (!rest.empty()) {
    const std::string_view line = next_line(rest);
    if (line.empty()) break;
    const bool continuation = line.front() == ' ' || line.front() == '\t';
    if (continuation) {
      if (in_field) out.back().append(" ").append(text::trim(line));
      continue;
    }
    const auto colon = line.find(':');
    in_field = colon != std::string_view::npos && text::iequals_ascii(text::trim(line.substr(0, colon)), field);
    if (in_field) out.emplace_back(text::trim(line.substr(colon + 1)));
  }
  for (auto& v : out) v = std::string(text::trim(v));
  return out;
}

std::string fold_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    const bool two_byte = b >= 0xC2 && b <= 0xDF && i + 1 < s.size() &&
                          (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80;
    if (!two_byte) {
      out.push_back(b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : s[i]);
      continue;
    }
    const auto cp = static_cast<char32_t>(((b & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F));
    utf8::append(out, fold_two_byte(cp));
    ++i;
  }
  return out;
}

bool contains_folded(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  return fold_case(haystack).find(fold_case(needle)) != std::string::npos;
}

bool matches(const MemoryMessage& m, const SearchCriteria& c) {
  const std::string_view header = header_section(m.raw);
  if (c.unseen && has_flag(m.flags, "\\Seen")) return false;
  if (c.min_uid && m.uid < *c.min_uid) return false;
  if (c.since_day && !on_or_after(m.internal_date, *c.since_day)) return false;
  if (c.received_since && m.internal_date < *c.received_since) return false;
  if (!optional_header_matches(header, "Subject", c.subject)) return false;
  if (!optional_header_matches(header, "From", c.from)) return false;
  if (!optional_header_matches(header, "To", c.to)) return false;
  for (const auto& t : c.header_terms) {
    if (!header_matches(header, t.field, t.value)) return false;
  }
  if (c.any_header.empty()) return true;
  return std::any_of(c.any_header.begin(), c.any_header.end(),
                     [&](const HeaderTerm& t) { return header_matches(header, t.field, t.value); });
}

std::string canonical_flag(std::string_view flag) {
  for (auto system : kSystemFlags) {
    if (text::iequals_ascii(system, flag)) return std::string(system);
  }
  return std::string(flag);
}

bool has_flag(const std::vector<std::string>& flags, std::string_view flag) {
  return std::any_of(flags.begin(), flags.end(), [&](const auto& f) { return text::iequals_ascii(f, flag); });
}

void add_flag(std::vector<std::string>& flags, std::string_view flag) {
  if (!has_flag(flags, flag)) flags.push_back(canonical_flag(flag));
}

Status check_flag(std::string_view flag) {
  const std::size_t start = !flag.empty() && flag[0] == '\\' ? 1 : 0;
  const auto special = [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u <= 0x20 || u >= 0x7f || ch == '(' || ch == ')' || ch == '{' || ch == '%' || ch == '*' || ch == '"' ||
           ch == '\\' || ch == ']';
  };
  const auto body = flag.substr(start);
  if (body.empty() || std::any_of(body.begin(), body.end(), special)) {
    return fail(ErrorCode::kParamInvalid, "invalid IMAP flag");
  }
  return ok();
}

}  // namespace emailv2::mail
