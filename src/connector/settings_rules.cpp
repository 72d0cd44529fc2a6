#include "connector/settings_rules.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/limits.h"
#include "core/param_values.h"
#include "core/text.h"

namespace emailv2::connector {
namespace {

constexpr std::string_view kForwardParam = "Regex expressions to handle forwarded emails";
constexpr std::string_view kDynamicParam = "Dynamic List";
constexpr std::string_view kHeadersParam = "Additional headers to extract from emails";
constexpr std::int64_t kMaxDurationSeconds = 3650LL * 24 * 3600;

Error invalid(std::string_view name, std::string_view what) {
  return param_values::as_config_error(param_values::invalid(name, what));
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool is_blank_or_control(unsigned char c) { return c <= 0x20 || c == 0x7F; }

}  // namespace

Result<std::chrono::seconds> parse_duration(std::string_view name, std::string_view raw) {
  const std::string_view t = text::trim(raw);
  const auto bad = [&] {
    return fail(invalid(name, "expected DD:HH:MM:SS or <n>s, <n>m, <n>h (more than 0, at most 3650 days), got \"" +
                                  text::echo_value(t) + "\""));
  };
  std::int64_t seconds = 0;
  if (t.find(':') != std::string_view::npos) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
      const std::size_t colon = t.find(':', start);
      fields.push_back(t.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    if (fields.size() != 4) return bad();
    for (std::string_view f : fields)
      if (!all_digits(f) || f.size() > 4) return bad();
    const std::int64_t dd = to_int(fields[0]), hh = to_int(fields[1]), mm = to_int(fields[2]), ss = to_int(fields[3]);
    if (hh > 23 || mm > 59 || ss > 59) return bad();
    seconds = ((dd * 24 + hh) * 60 + mm) * 60 + ss;
  } else {
    if (t.size() < 2) return bad();
    const char unit = static_cast<char>(t.back() | 0x20);
    const std::string_view digits = t.substr(0, t.size() - 1);
    if (!all_digits(digits)) return bad();
    const std::int64_t n = to_int(digits);
    if (unit == 's') {
      seconds = n;
    } else if (unit == 'm') {
      seconds = n * 60;
    } else if (unit == 'h') {
      seconds = n * 3600;
    } else {
      return bad();
    }
  }
  if (seconds <= 0 || seconds > kMaxDurationSeconds) return bad();
  return std::chrono::seconds(seconds);
}

namespace rules {

Result<std::shared_ptr<const re2::RE2>> compile(std::string_view name, std::string_view pattern,
                                                bool case_insensitive) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(limits::kRegexMaxMemBytes);
  options.set_case_sensitive(!case_insensitive);
  auto re = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return fail(ErrorCode::kRegexInvalid, "Invalid regular expression in parameter \"" + std::string(name) +
                                              "\": " + text::echo_value(re->error()) +
                                              ". Note: RE2 syntax is used (no look-around, no back-references).");
  }
  return std::shared_ptr<const re2::RE2>(std::move(re));
}

Status check_server_time_zone(std::string_view tz) {
  if (text::iequals_ascii(tz, "UTC")) return ok();
  const bool safe = !tz.empty() && tz.size() <= 128 && tz.find("..") == std::string_view::npos && tz.front() != '/' &&
                    tz.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/") ==
                        std::string_view::npos;
  std::error_code ec;
  if (safe && std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / tz, ec)) return ok();
  return fail(ErrorCode::kConfigInvalid, "Invalid Server TimeZone provided: " + text::echo_value(tz));
}

Status check_prefix(std::string_view name, std::string_view prefix) {
  for (char c : prefix) {
    if (is_blank_or_control(static_cast<unsigned char>(c))) {
      return fail(ErrorCode::kConfigInvalid, std::string(name) +
                                                 " configured contains a space, which is not supported, please "
                                                 "remove any spaces and try again.");
    }
  }
  return ok();
}

Result<std::vector<HeaderRule>> parse_header_rules(std::string_view csv) {
  std::vector<HeaderRule> out;
  for (std::string item : param_values::split_csv(csv)) {
    if (!item.empty() && item.back() == ':') item.pop_back();
    item = std::string(text::trim(item));
    if (item.empty()) continue;
    auto re = compile(kHeadersParam, item, true);
    if (!re) return fail(re.error());
    out.push_back(HeaderRule{std::move(item), std::move(*re)});
  }
  return out;
}

Result<mime::ForwardRegexes> parse_forward_regexes(std::string_view json) {
  const std::string expected = "expected a JSON object of name to regular expression";
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    return fail(invalid(kForwardParam, expected + " (JSON error at byte " + std::to_string(e.byte) + ")"));
  } catch (const nlohmann::json::exception&) {  // e.g. out_of_range 406: a number too large (fuzz_connector_settings)
    return fail(invalid(kForwardParam, expected));
  }
  if (!j.is_object()) return fail(invalid(kForwardParam, expected));
  mime::ForwardRegexes out;
  out.subject = mime::ForwardRegexes::defaults().subject;
  for (const auto& [name, value] : j.items()) {
    const std::string_view trimmed = text::trim(name);
    if (!value.is_string() || trimmed.empty()) return fail(invalid(kForwardParam, expected));
    for (char c : trimmed)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return fail(invalid(kForwardParam, expected));
    auto re = compile(kForwardParam, value.get_ref<const std::string&>());
    if (!re) return fail(re.error());
    if (trimmed == "subject") {
      out.subject = std::move(*re);
    } else {
      out.extractors.push_back(mime::NamedRegex{std::string(trimmed), std::move(*re)});
    }
  }
  return out;
}

Result<DynamicRule> parse_dynamic_rule(std::string_view rule) {
  const auto bad = [&] {
    return fail(ErrorCode::kConfigInvalid,
                "Invalid dynamic list rule \"" + text::echo_value(rule) + "\": expected \"name: regex\"");
  };
  const std::size_t sep = rule.find(": ");
  if (sep == std::string_view::npos) return bad();
  const std::string_view name = text::trim(rule.substr(0, sep));
  const std::string_view pattern = rule.substr(sep + 2);
  if (name.empty() || text::trim(pattern).empty()) return bad();
  for (char c : name)
    if (is_blank_or_control(static_cast<unsigned char>(c))) return bad();
  auto re = compile(kDynamicParam, pattern);
  if (!re) return fail(re.error());
  return DynamicRule{std::string(name), std::move(*re), std::string(pattern)};
}

Result<std::vector<DynamicRule>> parse_dynamic_list(const std::vector<std::string>* items, std::string_view raw) {
  std::vector<std::string> list;
  const std::string_view t = text::trim(raw);
  if (items != nullptr) {
    list = *items;
  } else if (!t.empty() && t.front() == '[') {
    const auto j = nlohmann::json::parse(t, nullptr, false);
    if (j.is_discarded() || !j.is_array()) {
      return fail(invalid(kDynamicParam, "expected an array of \"name: regex\" strings"));
    }
    for (const auto& e : j) {
      if (!e.is_string()) return fail(invalid(kDynamicParam, "expected an array of \"name: regex\" strings"));
      list.push_back(e.get<std::string>());
    }
  } else {
    std::size_t start = 0;
    while (start <= t.size()) {
      const std::size_t nl = t.find('\n', start);
      const std::string_view line = t.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
      if (!text::trim(line).empty()) list.emplace_back(text::trim(line));
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
  }
  std::vector<DynamicRule> out;
  for (const std::string& item : list) {
    if (text::trim(item).empty()) continue;
    auto r = parse_dynamic_rule(item);
    if (!r) return fail(r.error());
    out.push_back(std::move(*r));
  }
  if (out.empty()) {  // §1.2: an empty value is "not provided", so the default rules apply
    for (std::string_view d : default_dynamic_rules()) out.push_back(*parse_dynamic_rule(d));
  }
  return out;
}

const std::vector<std::string_view>& default_dynamic_rules() {
  static const std::vector<std::string_view> rules = {"subject: Subject: (.*)", "to: (?m)^To: (.*)"};
  return rules;
}

}  // namespace rules
}  // namespace emailv2::connector
