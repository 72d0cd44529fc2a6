#include "core/param_values.h"

#include <charconv>
#include <cstdint>

#include "core/text.h"

namespace emailv2::param_values {

Error missing(std::string_view name) {
  return Error(ErrorCode::kParamMissing, "Missing mandatory parameter " + std::string(name));
}

Error invalid(std::string_view name, std::string_view what) {
  std::string detail = "Invalid value for parameter \"";
  detail += name;
  detail += "\": ";
  detail += what;
  return Error(ErrorCode::kParamInvalid, std::move(detail));
}

Status check_no_line_breaks(std::string_view name, std::string_view raw) {
  if (text::has_line_breaks_or_nul(raw)) {
    return fail(invalid(name, "control characters (CR, LF, NUL) are not allowed"));
  }
  return ok();
}

Result<bool> parse_checkbox(std::string_view name, std::string_view raw) {
  const std::string v = text::to_lower_ascii(text::trim(raw));
  if (v == "true" || v == "yes" || v == "1") return true;
  if (v == "false" || v == "no" || v == "0") return false;
  return fail(invalid(name, "expected true or false, got \"" + text::echo_value(raw) + "\""));
}

Result<std::int64_t> parse_integer(std::string_view name, std::string_view raw, std::int64_t min, std::int64_t max) {
  std::string_view v = text::trim(raw);
  const bool negative = !v.empty() && v.front() == '-';
  if (!v.empty() && (v.front() == '+' || v.front() == '-')) v.remove_prefix(1);
  std::uint64_t magnitude = 0;
  const char* end = v.data() + v.size();
  const auto [ptr, ec] = std::from_chars(v.data(), end, magnitude);
  const bool parsed = !v.empty() && v.front() >= '0' && v.front() <= '9' && ec == std::errc() && ptr == end &&
                      magnitude <= static_cast<std::uint64_t>(INT64_MAX);
  const std::int64_t value = negative ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
  if (!parsed || value < min || value > max) {
    return fail(invalid(name, "expected an integer between " + std::to_string(min) + " and " + std::to_string(max) +
                                  ", got \"" + text::echo_value(raw) + "\""));
  }
  return value;
}

std::vector<std::string> split_csv(std::string_view raw, std::string_view separators) {
  std::vector<std::string> items;
  std::string current;
  bool quoted = false;
  auto flush = [&] {
    std::string_view item = text::trim(current);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') item = item.substr(1, item.size() - 2);
    item = text::trim(item);
    if (!item.empty()) items.emplace_back(item);
    current.clear();
  };
  for (char c : raw) {
    if (c == '"') quoted = !quoted;
    if (!quoted && separators.find(c) != std::string_view::npos) {
      flush();
      continue;
    }
    current += c;
  }
  flush();
  return items;
}

Status check_item_count(std::string_view name, std::size_t count, std::size_t max_items) {
  if (max_items != 0 && count > max_items) {
    return fail(invalid(name, "at most " + std::to_string(max_items) + " items are allowed, got " +
                                  std::to_string(count)));
  }
  return ok();
}

Result<std::vector<address::Mailbox>> parse_address_list(std::string_view name, std::string_view raw,
                                                          std::size_t max_items) {
  EMAILV2_TRY(check_no_line_breaks(name, raw));
  std::vector<address::Mailbox> out;
  for (const std::string& item : split_csv(raw, ",;")) {
    auto mailbox = address::parse_mailbox(item);
    if (!mailbox) {
      return fail(ErrorCode::kParamInvalid,
                  "Invalid email address \"" + text::echo_value(item) + "\" in parameter \"" + std::string(name) + "\"");
    }
    out.push_back(std::move(*mailbox));
  }
  EMAILV2_TRY(check_item_count(name, out.size(), max_items));
  return out;
}

Error as_config_error(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kParamMissing:
      return Error(ErrorCode::kConfigMissing, error.detail());
    case ErrorCode::kParamInvalid:
    case ErrorCode::kRegexInvalid:
    case ErrorCode::kPathNotAllowed:
      return Error(ErrorCode::kConfigInvalid, error.detail());
    default:
      return error;
  }
}

}  // namespace emailv2::param_values
