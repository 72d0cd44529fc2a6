#include "mail/search_criteria.h"

#include "core/text.h"

namespace emailv2::mail {
namespace {

Status check_value(std::string_view what, std::string_view value) {
  if (text::has_line_breaks_or_nul(value)) return fail(ErrorCode::kParamInvalid, std::string(what) + " contains a line break or NUL");
  return ok();
}

Status check_terms(std::string_view what, const std::vector<HeaderTerm>& terms) {
  for (const auto& t : terms) {
    EMAILV2_TRY(check_value(what, t.field));
    EMAILV2_TRY(check_value(what, t.value));
    if (text::trim(t.field).empty()) return fail(ErrorCode::kParamInvalid, std::string(what) + " has an empty field name");
  }
  return ok();
}

CalendarDay to_day(std::chrono::sys_days days) {
  const std::chrono::year_month_day ymd(days);
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

// End of the header section, or the whole block when there is no blank line.
std::string_view header_part(std::string_view block) {
  const auto crlf = block.find("\r\n\r\n");
  if (crlf != std::string_view::npos) return block.substr(0, crlf + 2);
  const auto lf = block.find("\n\n");
  if (lf != std::string_view::npos) return block.substr(0, lf + 1);
  return block;
}

std::string_view next_line(std::string_view& rest) {
  const auto nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

SearchCriteria SearchCriteria::header(std::string field, std::string value) {
  SearchCriteria c;
  c.header_terms.push_back({std::move(field), std::move(value)});
  return c;
}

Status validate(const SearchCriteria& c) {
  if (c.subject) EMAILV2_TRY(check_value("subject filter", *c.subject));
  if (c.from) EMAILV2_TRY(check_value("sender filter", *c.from));
  if (c.to) EMAILV2_TRY(check_value("recipient filter", *c.to));
  EMAILV2_TRY(check_terms("header filter", c.header_terms));
  EMAILV2_TRY(check_terms("header filter", c.any_header));
  return ok();
}

CalendarDay utc_day(TimePoint instant) { return to_day(std::chrono::floor<std::chrono::days>(instant)); }

CalendarDay day_before_utc(TimePoint instant) {
  return to_day(std::chrono::floor<std::chrono::days>(instant) - std::chrono::days(1));
}

TimePoint start_of_day_utc(CalendarDay day) {
  const std::chrono::year_month_day ymd{std::chrono::year(day.year), std::chrono::month(day.month),
                                        std::chrono::day(day.day)};
  return std::chrono::sys_days(ymd);
}

std::string normalise_message_id(std::string_view id) {
  std::string_view v = text::trim(id);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return std::string(v);
}

bool same_message_id(std::string_view a, std::string_view b) {
  const std::string na = normalise_message_id(a);
  return !na.empty() && na == normalise_message_id(b);
}

std::optional<std::string> header_field_value(std::string_view header_block, std::string_view field) {
  std::string_view rest = header_part(header_block);
  std::optional<std::string> value;
  while (!rest.empty()) {
    const std::string_view line = next_line(rest);
    const bool continuation = !line.empty() && (line.front() == ' ' || line.front() == '\t');
    if (value) {
      if (!continuation) break;
      value->append(" ").append(text::trim(line));
      continue;
    }
    const auto colon = line.find(':');
    if (continuation || colon == std::string_view::npos) continue;
    if (text::iequals_ascii(text::trim(line.substr(0, colon)), field)) value = std::string(text::trim(line.substr(colon + 1)));
  }
  if (value) *value = std::string(text::trim(*value));
  return value;
}

}  // namespace emailv2::mail
