#include "connector/events.h"

#include <array>

#include "connector/regex_features.h"

namespace emailv2::connector {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 7> kUnprefixed{"device_product", "event_name", "original_message_id",
                                                      "event_type",     "vendor",     "event_name_mail_type",
                                                      "monitored_mailbox_name"};

std::string join_warnings(const Json& list, const std::vector<std::string>& more) {
  std::string out;
  auto add = [&](const std::string& w) {
    if (!out.empty()) out += "; ";
    out += w;
  };
  if (list.is_array())
    for (const Json& w : list)
      if (w.is_string()) add(w.get_ref<const std::string&>());
  for (const std::string& w : more) add(w);
  return out;
}

}  // namespace

nlohmann::ordered_json event_fields(const nlohmann::ordered_json& mail_object, const mime::Message& msg,
                                    const Settings& s, std::string_view mail_type) {
  ExtraKeys extra;
  add_dynamic_list_keys(msg.body, s.dynamic_list, extra);
  Json flat = Json::object();
  for (const auto& [key, value] : mail_object.items()) {
    if (key == "parse_warnings") continue;  // joined below, after the §5.2 warnings are known
    if (value.is_array() || value.is_object()) continue;
    flat[key] = value;
  }
  add_header_keys(msg.headers, s.additional_header_rules, flat, extra);
  if (extra.truncated) flat["truncated"] = true;
  // parse_warnings keeps its Mail Object position: rebuild the object in order.
  Json out = Json::object();
  for (const auto& [key, value] : mail_object.items()) {
    if (key == "parse_warnings") {
      out[key] = join_warnings(value, extra.warnings);
    } else if (const auto it = flat.find(key); it != flat.end()) {
      out[key] = std::move(*it);  // flat is ours: no copy of the (large) body texts
    }
  }
  for (auto& [key, value] : extra.keys) out[key] = std::move(value);
  out["event_name_mail_type"] = std::string(mail_type);
  out["monitored_mailbox_name"] = s.username;
  return out;
}

bool is_unprefixed_key(std::string_view key) {
  for (std::string_view k : kUnprefixed)
    if (k == key) return true;
  return false;
}

std::string event_key(std::string_view key, std::string_view prefix, std::optional<std::size_t> suffix) {
  if (prefix.empty() || is_unprefixed_key(key)) return std::string(key);
  std::string out = std::string(prefix) + "_" + std::string(key);
  if (suffix) out += "_" + std::to_string(*suffix);
  return out;
}

nlohmann::ordered_json prefixed(nlohmann::ordered_json&& fields, std::string_view prefix,
                                std::optional<std::size_t> suffix) {
  Json out = Json::object();
  for (auto it = fields.begin(); it != fields.end(); ++it) out[event_key(it.key(), prefix, suffix)] = std::move(it.value());
  return out;
}

std::optional<std::string> field_text(const nlohmann::ordered_json& event, std::string_view key) {
  const auto it = event.find(std::string(key));
  if (it == event.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::string event_name_of(const nlohmann::ordered_json& event, const Settings& s) {
  if (auto v = field_text(event, s.event_field_name); v && !v->empty()) return *v;
  return field_text(event, "event_name_mail_type").value_or("");
}

}  // namespace emailv2::connector
