#include "mime/ics.h"

#include "core/text.h"
#include "mime/date.h"

namespace emailv2::mime {
namespace {

constexpr std::size_t kMaxEvents = 1000;

struct Line {
  std::string name;   // upper-case property name
  std::string params;
  std::string value;
};

std::vector<std::string> unfold_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view l = text.substr(pos, nl - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (!l.empty() && (l.front() == ' ' || l.front() == '\t') && !lines.empty()) {
      lines.back().append(l.substr(1));
    } else {
      lines.emplace_back(l);
    }
    pos = nl + 1;
  }
  return lines;
}

Line split(const std::string& l) {
  Line out;
  bool quoted = false;
  std::size_t colon = std::string::npos;
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (l[i] == '"') quoted = !quoted;
    if (l[i] == ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon == std::string::npos) return out;
  const std::string head = l.substr(0, colon);
  const std::size_t semi = head.find(';');
  for (char c : head.substr(0, semi)) out.name.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
  if (semi != std::string::npos) out.params = head.substr(semi + 1);
  out.value = l.substr(colon + 1);
  return out;
}

std::string unescape(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      const char n = v[++i];
      out.push_back(n == 'n' || n == 'N' ? '\n' : n);
    } else {
      out.push_back(v[i]);
    }
  }
  return out;
}

std::string address_of(std::string_view v) {
  std::string s(text::trim(v));
  if (text::istarts_with_ascii(s, "mailto:")) s.erase(0, 7);
  return s;
}

bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<std::int64_t> parse_ics_time(std::string_view value) {
  const std::string_view v = text::trim(value);
  if (v.size() < 8 || !digits(v.substr(0, 8))) return std::nullopt;
  ParsedDate d;
  d.year = num(v.substr(0, 4));
  d.month = num(v.substr(4, 2));
  d.day = num(v.substr(6, 2));
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return std::nullopt;
  if (v.size() >= 15 && (v[8] == 'T' || v[8] == 't') && digits(v.substr(9, 6))) {
    d.hour = num(v.substr(9, 2));
    d.minute = num(v.substr(11, 2));
    d.second = num(v.substr(13, 2));
    if (d.hour > 23 || d.minute > 59 || d.second > 60) return std::nullopt;
  }
  return to_epoch_ms(d);
}

std::vector<IcsEvent> parse_ics(std::string_view text, std::vector<std::string>& warnings) {
  std::vector<IcsEvent> events;
  bool in_event = false;
  std::size_t nested = 0;  // VALARM etc. inside a VEVENT
  IcsEvent cur;
  for (const std::string& raw : unfold_lines(text)) {
    const Line l = split(raw);
    const std::string value = text::to_lower_ascii(text::trim(l.value));
    if (l.name == "BEGIN") {
      if (value == "vevent" && !in_event) {
        in_event = true;
        cur = IcsEvent{};
      } else if (in_event) {
        ++nested;
      }
      continue;
    }
    if (l.name == "END") {
      if (in_event && nested > 0) {
        --nested;
      } else if (in_event && value == "vevent") {
        in_event = false;
        if (events.size() >= kMaxEvents) {
          warnings.push_back("calendar: more than " + std::to_string(kMaxEvents) + " events, the rest ignored");
          break;
        }
        events.push_back(std::move(cur));
      }
      continue;
    }
    if (!in_event || nested > 0) continue;
    if (l.name == "UID") cur.uid = unescape(l.value);
    else if (l.name == "SUMMARY") cur.summary = unescape(l.value);
    else if (l.name == "DESCRIPTION") cur.description = unescape(l.value);
    else if (l.name == "ORGANIZER") cur.organizer = address_of(l.value);
    else if (l.name == "ATTENDEE") cur.attendees.push_back(address_of(l.value));
    else if (l.name == "URL" || (l.name == "ATTACH" && l.params.find("BINARY") == std::string::npos))
      cur.urls.push_back(std::string(text::trim(l.value)));
    else if (l.name == "DTSTART") {
      cur.dtstart = l.value;
      cur.start_ms = parse_ics_time(l.value);
    } else if (l.name == "DTEND") {
      cur.dtend = l.value;
      cur.end_ms = parse_ics_time(l.value);
    }
  }
  if (in_event) warnings.push_back("calendar: VEVENT without END");
  return events;
}

}  // namespace emailv2::mime
