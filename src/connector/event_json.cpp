#include "connector/event_json.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "mime/charset.h"
#include "store/case_repository.h"

namespace emailv2::connector {
namespace {

using Json = nlohmann::ordered_json;

// Non-zero when a byte of `word` needs escaping: below 0x20, '"' or '\\' (bytes >= 0x80, UTF-8 lead and continuation
// bytes, pass verbatim). Exact as a yes/no answer; which bits are set above the first hit may be off (borrows).
std::uint64_t escape_flags(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto zero_bytes = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHigh;
  return control | zero_bytes(word ^ (kOnes * '"')) | zero_bytes(word ^ (kOnes * '\\'));
}

// Appends `s` as a JSON string the way nlohmann's serializer does without ensure_ascii: `"` `\` and the control
// characters escaped (the short forms for \b \t \n \f \r, else \u00xx in lower-case hex), everything else verbatim.
// Only for valid UTF-8.
void append_escaped(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Bodies are long runs of plain text: 8 bytes at a time while no byte of them needs escaping.
    while (i + 8 <= s.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, s.data() + i, sizeof word);
      if (escape_flags(word) != 0) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default: {
        std::array<char, 8> code{};
        std::snprintf(code.data(), code.size(), "\\u%04x", static_cast<unsigned>(c));
        out += code.data();
      }
    }
  }
  out.append(s, run, std::string_view::npos);
  out += '"';
}

void append_string(std::string& out, const std::string& s) {
  if (mime::is_valid_utf8(s)) {
    append_escaped(out, s);
  } else {
    out += store::event_fields_json(Json(s));
  }
}

}  // namespace

std::string event_json(const Json& fields) {
  if (!fields.is_object()) return store::event_fields_json(fields);
  std::size_t estimate = 2;
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    estimate += it.key().size() + 4;
    if (it.value().is_string()) estimate += it.value().get_ref<const std::string&>().size() + 2;
  }
  std::string out;
  out.reserve(estimate + estimate / 16);
  out += '{';
  bool first = true;
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    if (!first) out += ',';
    first = false;
    append_string(out, it.key());
    out += ':';
    const Json& value = it.value();
    if (value.is_string()) {
      append_string(out, value.get_ref<const std::string&>());
    } else {
      out += store::event_fields_json(value);
    }
  }
  out += '}';
  return out;
}

}  // namespace emailv2::connector
