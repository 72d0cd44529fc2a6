#pragma once
// Action parameters (CONTRACT §1.2): each action declares its table once (ActionSpec); values arrive as command-line
// flags and/or a `--params-json` object; resolve() applies the type rules of core/param_values and yields a ParamSet
// with typed accessors. Everything here is pure (no I/O): reading the JSON file is the app's job.
//
// Errors (all before any I/O, exit 64):
//  * `Unknown parameter "<key>" for action "<action>"` (PARAM_INVALID), key as the user wrote it;
//  * `Parameter "<name>" was given more than once` (PARAM_INVALID): the same flag twice, or two JSON keys that
//    normalise alike; a flag and a JSON key for the same parameter is not an error: the flag wins;
//  * the §1.2 value messages (param_values.h), checked in table order, first error wins.

#include <re2/re2.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address_syntax.h"
#include "core/result.h"

namespace emailv2::actions {

enum class ParamType {
  kString,       // trimmed; empty = not provided
  kText,         // not trimmed (Content); empty = not provided
  kCheckbox,     // true/false/yes/no/1/0
  kInteger,      // decimal in [min, max]
  kCsv,          // split_csv; max_items caps the count
  kAddressList,  // split on , and ; and checked as RFC 5322 mailboxes
  kRegex,        // RE2, max_mem 8 MiB
};

struct ParamSpec {
  std::string_view name;                  // D display name: messages, --params-json key, flag = normalise(name)
  std::vector<std::string_view> aliases;  // legacy O names, accepted as flags and JSON keys
  ParamType type = ParamType::kString;
  std::string_view default_value;         // applied when not provided; "" = no default
  bool mandatory = false;
  std::int64_t min = 0;                   // kInteger range
  std::int64_t max = 0;
  bool no_line_breaks = false;            // §1.2 control characters rule (subject, address, Message-ID, folder, filter)
  std::size_t max_items = 0;              // kCsv / kAddressList cap (§6.3), 0 = none
};

// What an action needs from the integration configuration; checked by the runner before the action starts.
struct ActionNeeds {
  bool imap = false;
  bool smtp = false;
  bool sender_display_name = false;
};

struct ActionSpec {
  std::string_view command;               // canonical CLI name, e.g. "send-email"
  std::string_view name;                  // D name, e.g. "Send Email" (used in messages)
  std::vector<std::string_view> aliases;  // other accepted command names (normalised on lookup)
  std::string_view summary;               // one line for `help`
  std::vector<ParamSpec> params;
  ActionNeeds needs;

  const ParamSpec* find(std::string_view key) const;  // by D name or alias, after normalisation
};

// One raw value as the user gave it. `key` is the flag name without `--` or the JSON key as written.
struct RawParam {
  std::string key;
  std::optional<std::string> value;  // nullopt: JSON null (= not provided)
};

// Splits the action's own command-line tokens (global options already removed) into flags.
// `--name VALUE`, `--name=VALUE`; a bare checkbox flag is true, and takes the next token only when that token is a
// checkbox literal. Errors: unknown parameter; `Unexpected argument "<x>" for action "<action>"`;
// `Invalid value for parameter "<name>": a value is required`.
Result<std::vector<RawParam>> parse_flags(const ActionSpec& spec, const std::vector<std::string>& tokens);

// Parses a `--params-json` document: one object; values are strings, booleans, numbers, null or arrays of strings
// (joined with `,`, items holding a separator are quoted so the CSV rule gives them back). Errors: PARAM_INVALID
// `Invalid value for parameter "--params-json": invalid JSON at offset <n>: <reason>` and the like.
Result<std::vector<RawParam>> parse_params_json(std::string_view document);

class ParamSet {
 public:
  struct Value {
    bool provided = false;  // given by the user (not the default)
    bool present = false;   // provided or defaulted
    std::string text;       // trimmed (or raw for kText)
    bool checkbox = false;
    std::int64_t integer = 0;
    std::vector<std::string> items;
    std::vector<address::Mailbox> mailboxes;
    std::shared_ptr<const re2::RE2> regex;
  };

  // Accessors take the D name; asking for a parameter the action did not declare is a bug (std::logic_error).
  bool provided(std::string_view name) const;
  bool present(std::string_view name) const;
  std::optional<std::string> string(std::string_view name) const;
  bool checkbox(std::string_view name) const;  // false when absent without default
  std::optional<std::int64_t> integer(std::string_view name) const;
  const std::vector<std::string>& list(std::string_view name) const;
  const std::vector<address::Mailbox>& addresses(std::string_view name) const;
  const re2::RE2* regex(std::string_view name) const;  // nullptr when absent

  void set(std::string_view name, Value value);

 private:
  const Value& get(std::string_view name) const;
  std::map<std::string, Value, std::less<>> values_;  // normalised D name -> value
};

// Applies the §1.2 rules: unknown/duplicate keys, flags over JSON, defaults, mandatory, types.
Result<ParamSet> resolve(const ActionSpec& spec, const std::vector<RawParam>& flags, const std::vector<RawParam>& json);

// `Invalid regular expression in parameter "<name>": <error>. Note: RE2 syntax is used (no look-around, no
// back-references).` (REGEX_INVALID) or the compiled pattern.
Result<std::shared_ptr<const re2::RE2>> compile_regex(std::string_view name, std::string_view pattern);

}  // namespace emailv2::actions
