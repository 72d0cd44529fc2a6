#include "actions/auto_reply.h"

#include "core/text.h"
#include "mail/search_criteria.h"

namespace emailv2::actions {
namespace {

constexpr std::size_t kMarkerValueBytes = 100;

std::string marker(std::string_view field, std::string_view value) {
  return std::string(field) + ": " + std::string(text::utf8_prefix(text::server_text(value), kMarkerValueBytes));
}

// The keyword of a structured value: comments "( ... )" removed, cut at ';', trimmed, lower-cased.
std::string keyword(std::string_view value) {
  std::string out;
  int depth = 0;
  for (char c : value) {
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (depth == 0) {
      if (c == ';') break;
      out.push_back(c);
    }
  }
  return text::to_lower_ascii(text::trim(out));
}

}  // namespace

std::optional<std::string> auto_reply_marker(std::string_view header_block) {
  if (const auto v = mail::header_field_value(header_block, "Auto-Submitted"); v && keyword(*v) != "no") {
    return marker("Auto-Submitted", *v);
  }
  for (std::string_view field : {"X-Autoreply", "X-Autorespond"}) {
    if (const auto v = mail::header_field_value(header_block, field)) return marker(field, *v);
  }
  if (const auto v = mail::header_field_value(header_block, "Precedence")) {
    const std::string k = keyword(*v);
    if (k == "auto_reply" || k == "bulk" || k == "junk") return marker("Precedence", *v);
  }
  return std::nullopt;
}

}  // namespace emailv2::actions
