#include "mime/content_type.h"

#include <algorithm>
#include <map>
#include <optional>

#include "core/text.h"
#include "mime/charset.h"
#include "mime/encoded_words.h"
#include "mime/header_text.h"

namespace emailv2::mime {
namespace {

constexpr std::size_t kMaxParameters = 256;
constexpr std::size_t kMaxSections = 1000;

struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  void skip_cfws() {
    while (i < s.size()) {
      if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
        ++i;
      } else if (s[i] == '(') {
        i = skip_comment(s, i);
      } else {
        break;
      }
    }
  }
  // A token, or a run of anything up to a delimiter (lenient).
  std::string token(std::string_view stops) {
    const std::size_t b = i;
    while (i < s.size() && stops.find(s[i]) == std::string_view::npos && s[i] != ' ' && s[i] != '\t' &&
           s[i] != '\r' && s[i] != '\n')
      ++i;
    return std::string(s.substr(b, i - b));
  }
  std::string quoted() {
    std::string out;
    ++i;  // opening quote
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      if (s[i] != '\r' && s[i] != '\n') out.push_back(s[i]);
      ++i;
    }
    if (i < s.size()) ++i;
    return out;
  }
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

struct Raw {
  std::string value;
  bool extended = false;  // name* form: charset'lang'pct
};

struct Pending {
  std::optional<Raw> plain;
  std::map<std::size_t, Raw> sections;
  std::size_t order = 0;
};

std::string decode_extended(const std::string& joined_first, const std::vector<Raw>& parts,
                            std::vector<std::string>& warnings) {
  // charset'lang' prefix only on the first section
  std::string charset;
  std::string bytes;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::string_view v = parts[k].value;
    if (k == 0 && parts[k].extended) {
      const std::size_t q1 = v.find('\'');
      const std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
      if (q2 != std::string_view::npos) {
        charset = std::string(v.substr(0, q1));
        v = v.substr(q2 + 1);
      }
    }
    bytes += parts[k].extended ? percent_decode(v) : std::string(v);
  }
  (void)joined_first;
  if (charset.empty()) return decode_encoded_words(bytes, warnings);
  return to_utf8(bytes, charset, warnings, "RFC 2231 parameter");
}

}  // namespace

const std::string* Parameters::find(std::string_view name) const {
  for (const auto& [k, v] : items)
    if (k == name) return &v;
  return nullptr;
}

std::string Parameters::get(std::string_view name) const {
  const std::string* v = find(name);
  return v == nullptr ? std::string() : *v;
}

Parameters parse_parameters(std::string_view s, std::vector<std::string>& warnings) {
  std::map<std::string, Pending> pending;
  std::size_t order = 0;
  Cursor c{s, 0};
  while (!c.done()) {
    c.skip_cfws();
    if (c.done()) break;
    if (c.s[c.i] == ';') {
      ++c.i;
      continue;
    }
    std::string name = text::to_lower_ascii(c.token("=;"));
    c.skip_cfws();
    if (c.done() || c.s[c.i] != '=') {
      if (name.empty()) ++c.i;  // stray delimiter
      continue;                 // a bare word: ignored
    }
    ++c.i;
    c.skip_cfws();
    std::string value;
    if (!c.done() && c.s[c.i] == '"') {
      value = c.quoted();
    } else {
      const std::size_t b = c.i;
      while (!c.done() && c.s[c.i] != ';') ++c.i;
      std::string_view raw = text::trim(c.s.substr(b, c.i - b));
      if (raw.ends_with(')')) {  // a trailing comment: "us-ascii (Plain text)"
        const std::size_t open = raw.find(" (");
        if (open != std::string_view::npos) raw = text::trim(raw.substr(0, open));
      }
      value = std::string(raw);
    }
    if (name.empty() || pending.size() >= kMaxParameters) continue;
    bool extended = false;
    if (name.back() == '*') {
      extended = true;
      name.pop_back();
    }
    std::optional<std::size_t> section;
    if (const std::size_t star = name.rfind('*'); star != std::string::npos) {
      const std::string digits = name.substr(star + 1);
      if (!digits.empty() && digits.size() < 5 &&
          std::all_of(digits.begin(), digits.end(), [](char d) { return d >= '0' && d <= '9'; })) {
        section = static_cast<std::size_t>(std::stoul(digits));
        name.resize(star);
      }
    }
    if (name.empty()) continue;  // "*0*=x": no name left once the RFC 2231 suffixes are removed
    auto [it, inserted] = pending.try_emplace(name);
    if (inserted) it->second.order = order++;
    if (section) {
      if (*section < kMaxSections) it->second.sections.try_emplace(*section, Raw{value, extended});
    } else if (!it->second.plain || (extended && !it->second.plain->extended)) {
      it->second.plain = Raw{value, extended};
    }
  }
  std::vector<std::pair<std::size_t, std::pair<std::string, std::string>>> ordered;
  for (auto& [name, p] : pending) {
    std::string decoded;
    if (!p.sections.empty()) {
      std::vector<Raw> parts;
      for (std::size_t k = 0; p.sections.count(k) != 0; ++k) parts.push_back(p.sections[k]);
      if (parts.size() != p.sections.size())
        warnings.push_back("RFC 2231 parameter " + text::server_text(name) + ": missing continuation section");
      if (parts.empty()) {
        for (auto& [k, raw] : p.sections) parts.push_back(raw);
      }
      decoded = decode_extended("", parts, warnings);
    } else if (p.plain) {
      decoded = decode_extended("", {*p.plain}, warnings);
    }
    ordered.push_back({p.order, {name, std::move(decoded)}});
  }
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Parameters out;
  for (auto& [o, kv] : ordered) out.items.push_back(std::move(kv));
  return out;
}

ContentType parse_content_type(std::string_view value, std::vector<std::string>& warnings) {
  ContentType ct;
  Cursor c{value, 0};
  c.skip_cfws();
  std::string type = text::to_lower_ascii(c.token("/;"));
  c.skip_cfws();
  std::string subtype;
  if (!c.done() && c.s[c.i] == '/') {
    ++c.i;
    c.skip_cfws();
    subtype = text::to_lower_ascii(c.token(";"));
    c.skip_cfws();
  }
  if (!type.empty() && !subtype.empty()) {
    ct.type = std::move(type);
    ct.subtype = std::move(subtype);
  } else if (!type.empty() && type != "text") {
    warnings.push_back("malformed Content-Type \"" + text::server_text(std::string(value).substr(0, 80)) + "\"");
  } else if (type == "text") {
    ct.type = "text";
    ct.subtype = "plain";
  }
  const std::size_t semi = value.find(';', c.i);
  if (semi != std::string_view::npos) ct.params = parse_parameters(value.substr(semi + 1), warnings);
  return ct;
}

Disposition parse_disposition(std::string_view value, std::vector<std::string>& warnings) {
  Disposition d;
  Cursor c{value, 0};
  c.skip_cfws();
  d.kind = text::to_lower_ascii(c.token(";"));
  const std::size_t semi = value.find(';', c.i);
  if (semi != std::string_view::npos) d.params = parse_parameters(value.substr(semi + 1), warnings);
  return d;
}

}  // namespace emailv2::mime
