#include "connector/events.h"

#include <array>
#include <vector>

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

nlohmann::ordered_json event_fields(nlohmann::ordered_json mail_object, const mime::Message& msg, const Settings& s,
                                    std::string_view mail_type) {
  ExtraKeys extra;
  add_dynamic_list_keys(msg.body, s.dynamic_list, extra);
  if (!s.additional_header_rules.empty()) {
    Json taken = Json::object();  // the flattened Mail Object's keys: the names a header may not take
    for (const auto& [key, value] : mail_object.items())
      if (key != "parse_warnings" && !value.is_array() && !value.is_object()) taken[key] = nullptr;
    add_header_keys(msg.headers, s.additional_header_rules, taken, extra);
  }
  // One pass in Mail Object order: its keys are unique, so each is appended without a lookup, and the values (the
  // large body texts among them) are moved, not copied. parse_warnings keeps its position, joined with the §5.2
  // warnings, which are only known now.
  Json out = Json::object();
  auto& fields = out.get_ref<Json::object_t&>();
  fields.reserve(mail_object.size() + extra.keys.size() + 2);
  for (auto& [key, value] : mail_object.get_ref<Json::object_t&>()) {
    if (key == "parse_warnings") {
      fields.emplace_back(key, join_warnings(value, extra.warnings));
    } else if (value.is_array() || value.is_object()) {
      continue;
    } else if (key == "truncated" && extra.truncated) {
      fields.emplace_back(key, true);
    } else {
      fields.emplace_back(key, std::move(value));
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
  auto& in = fields.get_ref<Json::object_t&>();
  std::vector<std::string> keys;
  keys.reserve(in.size());
  // Distinct keys stay distinct under one prefix and suffix, unless a prefixed key spells one of the unprefixed
  // names (prefix "event", key "name"): then the later value takes the earlier position, as JSON assignment does.
  bool clash = false;
  for (const auto& field : in) {
    keys.push_back(event_key(field.first, prefix, suffix));
    clash = clash || (keys.back() != field.first && is_unprefixed_key(keys.back()));
  }
  Json out = Json::object();
  if (clash) {
    auto field = in.begin();
    for (std::string& key : keys) out[key] = std::move((field++)->second);
    return out;
  }
  auto& dst = out.get_ref<Json::object_t&>();  // no clash: appended without a lookup per key
  dst.reserve(in.size());
  auto field = in.begin();
  for (std::string& key : keys) dst.emplace_back(std::move(key), std::move((field++)->second));
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
