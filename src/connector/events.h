#pragma once
// Events (CONTRACT §5.4): a Mail Object flattened (arrays dropped, except parse_warnings joined with "; "), plus the
// §5.2 keys (Dynamic List, additional headers), `event_name_mail_type` and `monitored_mailbox_name`, then prefixed
// (and, for attached mails in the default mode, suffixed). Pure.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "connector/settings.h"
#include "mime/message.h"

namespace emailv2::connector {

inline constexpr std::string_view kMailTypeOriginal = "Email Received in Monitoring Mailbox";
inline constexpr std::string_view kMailTypeAttached = "Attached Email File";

// The unprefixed event fields of one mail: the flattened `mail_object` (of `msg`), the Dynamic List keys over its
// body, its additional headers, then event_name_mail_type = `mail_type` and monitored_mailbox_name = Username. A cap
// hit by the §5.2 keys sets `truncated` and adds to `parse_warnings`.
nlohmann::ordered_json event_fields(nlohmann::ordered_json mail_object, const mime::Message& msg, const Settings& s,
                                    std::string_view mail_type);

// Keys that are never prefixed or suffixed: device_product, event_name, original_message_id, event_type, vendor,
// event_name_mail_type, monitored_mailbox_name (O).
bool is_unprefixed_key(std::string_view key);

// `<prefix>_<key>` (and `_<suffix>` when given) for every key but the unprefixed ones. An empty prefix leaves every
// key unprefixed and unsuffixed (O).
std::string event_key(std::string_view key, std::string_view prefix, std::optional<std::size_t> suffix);
// Moves the values out of `fields` (no copy of large texts).
nlohmann::ordered_json prefixed(nlohmann::ordered_json&& fields, std::string_view prefix,
                                std::optional<std::size_t> suffix);

// A field value as text (strings as they are, numbers and booleans in JSON form); nullopt for null or absence.
std::optional<std::string> field_text(const nlohmann::ordered_json& event, std::string_view key);

// The event's stored name: its [Event Field Name] value, else its event_name_mail_type.
std::string event_name_of(const nlohmann::ordered_json& event, const Settings& s);

}  // namespace emailv2::connector
