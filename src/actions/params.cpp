#include "actions/params.h"

#include <set>
#include <stdexcept>

#include "core/limits.h"
#include "core/param_values.h"
#include "core/text.h"

namespace emailv2::actions {
namespace {

Error given_twice(std::string_view name) {
  return Error(ErrorCode::kParamInvalid, "Parameter \"" + std::string(name) + "\" was given more than once");
}

// Maps each raw key to its spec; unknown and duplicate keys are errors. Later sources are merged by the caller.
Result<std::map<std::string_view, const RawParam*>> index_source(const ActionSpec& spec,
                                                                  const std::vector<RawParam>& raws) {
  std::map<std::string_view, const RawParam*> by_name;
  for (const RawParam& raw : raws) {
    const ParamSpec* param = spec.find(raw.key);
    if (param == nullptr) {
      return fail(ErrorCode::kParamInvalid, "Unknown parameter \"" + text::echo_value(raw.key) + "\" for action \"" +
                                                std::string(spec.name) + "\"");
    }
    if (!by_name.emplace(param->name, &raw).second) return fail(given_twice(param->name));
  }
  return by_name;
}

Status fill_typed(const ParamSpec& p, std::string_view raw, ParamSet::Value& v) {
  using namespace param_values;
  switch (p.type) {
    case ParamType::kString:
    case ParamType::kText:
      return ok();
    case ParamType::kCheckbox: {
      auto b = parse_checkbox(p.name, raw);
      if (!b) return fail(b.error());
      v.checkbox = *b;
      return ok();
    }
    case ParamType::kInteger: {
      auto i = parse_integer(p.name, raw, p.min, p.max);
      if (!i) return fail(i.error());
      v.integer = *i;
      return ok();
    }
    case ParamType::kCsv:
      v.items = split_csv(raw);
      return check_item_count(p.name, v.items.size(), p.max_items);
    case ParamType::kAddressList: {
      auto list = parse_address_list(p.name, raw, p.max_items);
      if (!list) return fail(list.error());
      v.mailboxes = std::move(*list);
      for (const auto& m : v.mailboxes) v.items.push_back(m.addr_spec);
      return ok();
    }
    case ParamType::kRegex: {
      auto re = compile_regex(p.name, raw);
      if (!re) return fail(re.error());
      v.regex = std::move(*re);
      return ok();
    }
  }
  return ok();
}

Result<ParamSet::Value> resolve_one(const ParamSpec& p, const std::optional<std::string>& given) {
  ParamSet::Value v;
  if (given && p.no_line_breaks) EMAILV2_TRY(param_values::check_no_line_breaks(p.name, *given));
  std::string text;
  if (given) text = p.type == ParamType::kText ? *given : std::string(text::trim(*given));
  v.provided = !text.empty();
  if (!v.provided) {
    if (p.default_value.empty()) {
      if (p.mandatory) return fail(param_values::missing(p.name));
      return v;
    }
    text = std::string(p.default_value);
  }
  v.present = true;
  EMAILV2_TRY(fill_typed(p, text, v));
  v.text = std::move(text);
  return v;
}

}  // namespace

const ParamSpec* ActionSpec::find(std::string_view key) const {
  const std::string wanted = text::normalise_name(key);
  if (wanted.empty()) return nullptr;
  for (const ParamSpec& p : params) {
    if (text::normalise_name(p.name) == wanted) return &p;
    for (std::string_view alias : p.aliases) {
      if (text::normalise_name(alias) == wanted) return &p;
    }
  }
  return nullptr;
}

Result<std::shared_ptr<const re2::RE2>> compile_regex(std::string_view name, std::string_view pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(limits::kRegexMaxMemBytes);
  auto re = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return fail(ErrorCode::kRegexInvalid, "Invalid regular expression in parameter \"" + std::string(name) +
                                              "\": " + text::echo_value(re->error()) +
                                              ". Note: RE2 syntax is used (no look-around, no back-references).");
  }
  return re;
}

Result<ParamSet> resolve(const ActionSpec& spec, const std::vector<RawParam>& flags, const std::vector<RawParam>& json) {
  auto from_flags = index_source(spec, flags);
  if (!from_flags) return fail(from_flags.error());
  auto from_json = index_source(spec, json);
  if (!from_json) return fail(from_json.error());
  ParamSet set;
  for (const ParamSpec& p : spec.params) {
    std::optional<std::string> given;
    if (auto it = from_json->find(p.name); it != from_json->end()) given = it->second->value;
    if (auto it = from_flags->find(p.name); it != from_flags->end()) given = it->second->value;
    auto value = resolve_one(p, given);
    if (!value) return fail(value.error());
    set.set(p.name, std::move(*value));
  }
  return set;
}

void ParamSet::set(std::string_view name, Value value) { values_[text::normalise_name(name)] = std::move(value); }

const ParamSet::Value& ParamSet::get(std::string_view name) const {
  const auto it = values_.find(text::normalise_name(name));
  if (it == values_.end()) throw std::logic_error("undeclared parameter " + std::string(name));
  return it->second;
}

bool ParamSet::provided(std::string_view name) const { return get(name).provided; }
bool ParamSet::present(std::string_view name) const { return get(name).present; }

std::optional<std::string> ParamSet::string(std::string_view name) const {
  const Value& v = get(name);
  if (!v.present) return std::nullopt;
  return v.text;
}

bool ParamSet::checkbox(std::string_view name) const { return get(name).checkbox; }

std::optional<std::int64_t> ParamSet::integer(std::string_view name) const {
  const Value& v = get(name);
  if (!v.present) return std::nullopt;
  return v.integer;
}

const std::vector<std::string>& ParamSet::list(std::string_view name) const { return get(name).items; }
const std::vector<address::Mailbox>& ParamSet::addresses(std::string_view name) const { return get(name).mailboxes; }
const re2::RE2* ParamSet::regex(std::string_view name) const { return get(name).regex.get(); }

}  // namespace emailv2::actions
