#include "connector/event_json.h"

#include <array>
#include <cstdio>
#include <string_view>

#include "mime/charset.h"
#include "store/case_repository.h"

namespace emailv2::connector {
namespace {

using Json = nlohmann::ordered_json;

// Appends `s` as a JSON string the way nlohmann's serializer does without ensure_ascii: `"` `\` and the control
// characters escaped (the short forms for \b \t \n \f \r, else \u00xx in lower-case hex), everything else verbatim.
// Only for valid UTF-8.
void append_escaped(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
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
