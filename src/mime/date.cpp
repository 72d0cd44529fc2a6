#include "mime/date.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "core/text.h"
#include "mime/header_text.h"

namespace emailv2::mime {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};

struct Zone {
  std::string_view name;
  int minutes;
};
constexpr std::array<Zone, 11> kZones{{{"ut", 0},
                                       {"utc", 0},
                                       {"gmt", 0},
                                       {"z", 0},
                                       {"est", -300},
                                       {"edt", -240},
                                       {"cst", -360},
                                       {"cdt", -300},
                                       {"mst", -420},
                                       {"mdt", -360},
                                       {"pst", -480}}};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool is_alpha(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

std::vector<std::string> tokens(std::string_view v) {
  std::vector<std::string> out;
  std::string cur;
  auto push = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < v.size() && out.size() < 16;) {
    const char c = v[i];
    if (c == '(') {
      push();
      i = skip_comment(v, i);
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
      push();
      ++i;
    } else {
      cur.push_back(c);
      ++i;
    }
  }
  push();
  return out;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

int month_of(std::string_view tok) {
  if (all_digits(tok) && tok.size() <= 2) {
    const int m = to_int(tok);
    return m >= 1 && m <= 12 ? m : 0;
  }
  if (tok.size() < 3 || !is_alpha(tok)) return 0;
  const std::string head = text::to_lower_ascii(tok.substr(0, 3));
  for (std::size_t k = 0; k < kMonths.size(); ++k)
    if (head == kMonths[k]) return static_cast<int>(k) + 1;
  return 0;
}

bool parse_time(std::string_view tok, ParsedDate& d) {
  std::array<int, 3> parts{0, 0, 0};
  std::size_t n = 0;
  std::size_t b = 0;
  while (true) {
    const std::size_t colon = tok.find(':', b);
    const std::size_t e = colon == std::string_view::npos ? tok.size() : colon;
    const std::string_view p = tok.substr(b, e - b);
    if (n == 3 || !all_digits(p) || p.size() > 2) return false;
    parts[n++] = to_int(p);
    if (colon == std::string_view::npos) break;
    b = colon + 1;
  }
  if (n < 2) return false;
  d.hour = parts[0], d.minute = parts[1], d.second = parts[2];
  if (d.second == 60) d.second = 59;  // leap second
  return d.hour < 24 && d.minute < 60 && d.second < 60;
}

bool parse_zone(std::string_view tok, ParsedDate& d) {
  if ((tok[0] == '+' || tok[0] == '-') && tok.size() >= 5 && all_digits(tok.substr(1, 4))) {
    const int hh = to_int(tok.substr(1, 2));
    const int mm = to_int(tok.substr(3, 2));
    if (hh > 23 || mm > 59) return false;
    d.offset_minutes = (tok[0] == '-' ? -1 : 1) * (hh * 60 + mm);
    return true;
  }
  const std::string lower = text::to_lower_ascii(tok);
  for (const Zone& z : kZones)
    if (lower == z.name || (lower.size() > z.name.size() && lower.starts_with(z.name) && z.name.size() == 3 &&
                            !is_alpha(lower.substr(3, 1)))) {
      d.offset_minutes = z.minutes;
      return true;
    }
  if (lower.starts_with("pdt")) {
    d.offset_minutes = -420;
    return true;
  }
  if (lower.starts_with("est") || lower.starts_with("cst") || lower.starts_with("mst") || lower.starts_with("pst")) {
    return parse_zone(lower.substr(0, 3), d);
  }
  d.zone_known = false;  // military letters and unknown names: RFC 5322 §4.3 says treat as -0000
  return true;
}

std::optional<ParsedDate> parse_iso(std::string_view v) {
  // YYYY-MM-DD[T ]hh:mm[:ss][.fff][Z|±hh[:]mm]
  const std::string s(text::trim(v));
  if (s.size() < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
  if (!all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2))) return std::nullopt;
  ParsedDate d;
  d.year = to_int(s.substr(0, 4)), d.month = to_int(s.substr(5, 2)), d.day = to_int(s.substr(8, 2));
  std::size_t i = 11;
  std::size_t e = i;
  while (e < s.size() && ((s[e] >= '0' && s[e] <= '9') || s[e] == ':')) ++e;
  if (!parse_time(std::string_view(s).substr(i, e - i), d)) return std::nullopt;
  if (e < s.size() && s[e] == '.') {
    ++e;
    while (e < s.size() && s[e] >= '0' && s[e] <= '9') ++e;
  }
  std::string zone = s.substr(e);
  zone.erase(std::remove(zone.begin(), zone.end(), ':'), zone.end());
  if (zone.empty()) d.zone_known = false;
  else if (zone == "Z" || zone == "z") d.offset_minutes = 0;
  else if (!parse_zone(zone, d) || !d.zone_known) return std::nullopt;
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
    return std::nullopt;
  return d;
}

}  // namespace

std::int64_t days_from_civil(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

ParsedDate civil_from_epoch_ms(std::int64_t epoch_ms, int offset_minutes) {
  std::int64_t secs = epoch_ms / 1000 - (epoch_ms % 1000 < 0 ? 1 : 0) + offset_minutes * 60;
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // civil_from_days (Howard Hinnant's algorithm)
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  ParsedDate d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  d.hour = static_cast<int>(rem / 3600);
  d.minute = static_cast<int>(rem % 3600 / 60);
  d.second = static_cast<int>(rem % 60);
  d.offset_minutes = offset_minutes;
  return d;
}

std::string format_rfc5322_date(std::int64_t epoch_ms, int offset_minutes) {
  static constexpr std::array<std::string_view, 7> kDays{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr std::array<std::string_view, 12> kMonthNames{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const ParsedDate d = civil_from_epoch_ms(epoch_ms, offset_minutes);
  std::int64_t wd = days_from_civil(d.year, d.month, d.day) % 7;
  if (wd < 0) wd += 7;
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %d %s %04d %02d:%02d:%02d %c%02d%02d",
                std::string(kDays[static_cast<std::size_t>(wd)]).c_str(), d.day,
                std::string(kMonthNames[static_cast<std::size_t>(d.month - 1)]).c_str(), d.year, d.hour, d.minute,
                d.second, offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::int64_t to_epoch_ms(const ParsedDate& d) {
  const std::int64_t days = days_from_civil(d.year, d.month, d.day);
  const std::int64_t secs = days * 86400 + d.hour * 3600 + d.minute * 60 + d.second - d.offset_minutes * 60;
  return secs * 1000;
}

std::optional<ParsedDate> parse_date(std::string_view value) {
  if (auto iso = parse_iso(value)) return iso;
  const std::vector<std::string> t = tokens(value);
  std::size_t i = 0;
  if (i < t.size() && is_alpha(t[i]) && month_of(t[i]) == 0) ++i;  // day of week
  ParsedDate d;
  if (i + 2 >= t.size()) return std::nullopt;
  // "1 Jul 2003" or the asctime-like "Jul 1 2003"
  std::string_view day_tok = t[i];
  std::string_view mon_tok = t[i + 1];
  if (!all_digits(day_tok) && all_digits(mon_tok)) std::swap(day_tok, mon_tok);
  if (!all_digits(day_tok) || day_tok.size() > 2) return std::nullopt;
  d.day = to_int(day_tok);
  d.month = month_of(mon_tok);
  if (d.month == 0) return std::nullopt;
  std::size_t k = i + 2;
  std::string_view year_tok = t[k];
  if (year_tok.find(':') != std::string_view::npos && k + 1 < t.size()) {  // asctime: time before year
    if (!parse_time(year_tok, d)) return std::nullopt;
    year_tok = t[++k];
    if (!all_digits(year_tok)) return std::nullopt;
    d.year = to_int(year_tok);
    ++k;
  } else {
    if (!all_digits(year_tok) || year_tok.size() > 4 || year_tok.size() < 2) return std::nullopt;
    d.year = to_int(year_tok);
    if (++k >= t.size() || !parse_time(t[k], d)) return std::nullopt;
    ++k;
  }
  if (year_tok.size() == 2) d.year += d.year < 50 ? 2000 : 1900;
  else if (year_tok.size() == 3) d.year += 1900;
  if (d.year < 1900 || d.year > 9999) return std::nullopt;
  if (d.day < 1 || d.day > days_in_month(d.year, d.month)) return std::nullopt;
  if (k < t.size()) {
    if (!parse_zone(t[k], d)) return std::nullopt;
  } else {
    d.zone_known = false;
  }
  return d;
}

}  // namespace emailv2::mime
