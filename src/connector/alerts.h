#pragma once
// The §5.4 alert fields (CONTRACT §5.4): identifier fallback, name, rule generator, device_product from the
// [Product Field Name], and the environment rule. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "connector/settings.h"
#include "store/case_repository.h"

namespace emailv2::connector {

// `<{first 32 hex digits of sha256_hex}@emailv2.invalid>`: the identifier of a mail without a Message-ID.
std::string fallback_identifier(std::string_view sha256_hex);

// The Message-ID as found when it is non-empty after trimming, else nullopt.
std::optional<std::string> usable_message_id(const std::optional<std::string>& message_id);

// §5.1 environment rule over an alert's events: the first event holding [Environment Field Name]; its value, or
// with an Environment Regex Pattern the regex's group 1 when it has one and it took part, else the whole match.
// No field name, no such field, a null/empty value, no match or an empty result → Default Environment.
std::string environment_of(const std::vector<const nlohmann::ordered_json*>& events, const Settings& s);

// device_product: event 1's [Product Field Name] value (non-empty), else `Mail`.
std::string device_product_of(const nlohmann::ordered_json& event1, const Settings& s);

// An alert with the fixed §5.4 fields filled: identifier = ticket_id = display_id = `identifier`, name =
// `<Username>_<start_time>`, rule_generator = `Monitored Mailbox <Username>`, priority 40, device_vendor `Mail`.
store::NewAlert base_alert(const Settings& s, std::string identifier, std::int64_t start_time, store::AlertKind kind,
                           const store::AlertSource& source);

}  // namespace emailv2::connector
