#pragma once
// The value rules of the connector's own parameter types (CONTRACT §5.1/§5.2), used by load_settings and tested on
// their own. Every function is pure (Server Time Zone reads the zoneinfo database) and returns the contract's exact
// message: CONFIG_INVALID for bad values, REGEX_INVALID (RE2's message) for a regex that does not compile.

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connector/settings.h"
#include "core/result.h"
#include "mime/forward.h"

namespace emailv2::connector::rules {

// RE2 with max_mem limits::kRegexMaxMemBytes. `Invalid regular expression in parameter "<name>": <RE2 error>. Note:
// RE2 syntax is used (no look-around, no back-references).` (REGEX_INVALID).
Result<std::shared_ptr<const re2::RE2>> compile(std::string_view name, std::string_view pattern,
                                                bool case_insensitive = false);

// Server Time Zone: "UTC" or a file under /usr/share/zoneinfo (no "..", no leading '/').
// `Invalid Server TimeZone provided: <tz>` (CONFIG_INVALID).
Status check_server_time_zone(std::string_view tz);

// A prefix must hold no space (nor any other blank): `<name> configured contains a space, which is not supported,
// please remove any spaces and try again.` (CONFIG_INVALID).
Status check_prefix(std::string_view name, std::string_view prefix);

// "Additional headers to extract from emails": a CSV of regexes, each item's trailing ':' dropped; compiled
// case-insensitive, to be used with RE2::FullMatch on the header name.
Result<std::vector<HeaderRule>> parse_header_rules(std::string_view csv);

// "Regex expressions to handle forwarded emails": a JSON object name → regex. The `subject` entry replaces the
// subject regex (default kept when absent); the other entries replace the default extractors, in object order.
// `Invalid value for parameter "Regex expressions to handle forwarded emails": expected a JSON object of name to
// regular expression` (+ ` (JSON error at byte <n>)` when the text is not JSON).
Result<mime::ForwardRegexes> parse_forward_regexes(std::string_view json);

// One Dynamic List rule "name: regex", split at the first ": "; name trimmed, non-empty, no blanks or controls;
// regex non-empty. `Invalid dynamic list rule "<rule>": expected "name: regex"` (CONFIG_INVALID).
Result<DynamicRule> parse_dynamic_rule(std::string_view rule);

// The Dynamic List items: an array from the file, else the text as a JSON array of strings when it starts with
// '[', else one rule per non-empty line.
Result<std::vector<DynamicRule>> parse_dynamic_list(const std::vector<std::string>* items, std::string_view text);

// The default rules: ["subject: Subject: (.*)", "to: (?m)^To: (.*)"].
const std::vector<std::string_view>& default_dynamic_rules();

}  // namespace emailv2::connector::rules
