#pragma once
// The connector's regex features (CONTRACT §5.2): the Dynamic List keys and the additional header keys that join
// each event. Pure; every user regex is RE2 (linear time), so hostile bodies and patterns cannot stall a cycle.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "connector/settings.h"
#include "mime/message.h"

namespace emailv2::connector {

struct ExtraKeys {
  std::vector<std::pair<std::string, std::string>> keys;  // in rule order, then hit order
  bool truncated = false;                                  // a cap was hit (the event's `truncated` becomes true)
  std::vector<std::string> warnings;                       // appended to the event's parse_warnings
};

// Dynamic List: each rule's regex searched globally over `body`; value = the first non-empty group, else the whole
// match, trimmed of " \r\n"; empty values are skipped. One hit → `regex_<name>`, k hits → `regex_<name>_1..k`.
// Caps per rule: limits::kDynamicListHits hits, limits::kDynamicListValueBytes per value (cut at a UTF-8 boundary).
void add_dynamic_list_keys(std::string_view body, const std::vector<DynamicRule>& rules, ExtraKeys& out);

// Additional headers: every top-level header whose whole name matches a rule (case-insensitive), in header order.
// Values are RFC 2047-decoded and unfolded, then trimmed. Key = the header name as first written in the mail:
// `<Name>` for the first occurrence, `<Name>_2..k` for later ones (at most limits::kDynamicListHits per name).
// A name colliding (ASCII case-insensitively) with a key of `taken` (the flattened Mail Object and the keys added
// so far), a §4.1 key family or an event key becomes `header_<Name>`.
void add_header_keys(const std::vector<mime::HeaderField>& headers, const std::vector<HeaderRule>& rules,
                     const nlohmann::ordered_json& taken, ExtraKeys& out);

}  // namespace emailv2::connector
