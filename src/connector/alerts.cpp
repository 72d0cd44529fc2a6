#include "connector/alerts.h"

#include <re2/re2.h>

#include "connector/events.h"
#include "core/text.h"

namespace emailv2::connector {

std::string fallback_identifier(std::string_view sha256_hex) {
  return "<" + std::string(sha256_hex.substr(0, 32)) + "@emailv2.invalid>";
}

std::optional<std::string> usable_message_id(const std::optional<std::string>& message_id) {
  if (!message_id || text::trim(*message_id).empty()) return std::nullopt;
  return message_id;
}

std::string environment_of(const std::vector<const nlohmann::ordered_json*>& events, const Settings& s) {
  if (!s.environment_field_name) return s.default_environment;
  std::optional<std::string> value;
  for (const nlohmann::ordered_json* e : events) {
    if (e->contains(*s.environment_field_name)) {
      value = field_text(*e, *s.environment_field_name);
      break;
    }
  }
  if (!value || value->empty()) return s.default_environment;
  if (!s.environment_regex) return *value;
  const re2::RE2& re = *s.environment_regex;
  const int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(groups > 0 ? 2 : 1));
  const re2::StringPiece input(value->data(), value->size());
  if (!re.Match(input, 0, input.size(), re2::RE2::UNANCHORED, sub.data(), static_cast<int>(sub.size()))) {
    return s.default_environment;
  }
  re2::StringPiece pick = sub[0];
  if (groups > 0 && sub[1].data() != nullptr) pick = sub[1];
  std::string out(pick.data() == nullptr ? "" : std::string(pick.data(), pick.size()));
  return out.empty() ? s.default_environment : out;
}

std::string device_product_of(const nlohmann::ordered_json& event1, const Settings& s) {
  auto v = field_text(event1, s.product_field_name);
  return v && !v->empty() ? *v : std::string("Mail");
}

store::NewAlert base_alert(const Settings& s, std::string identifier, std::int64_t start_time, store::AlertKind kind,
                           const store::AlertSource& source) {
  store::NewAlert a;
  a.identifier = identifier;
  a.ticket_id = identifier;
  a.display_id = std::move(identifier);
  a.name = s.username + "_" + std::to_string(start_time);
  a.rule_generator = "Monitored Mailbox " + s.username;
  a.priority = 40;
  a.device_vendor = "Mail";
  a.start_time = start_time;
  a.end_time = start_time;
  a.kind = kind;
  a.source = source;
  return a;
}

}  // namespace emailv2::connector
