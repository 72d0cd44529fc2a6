// FETCH msg-att items (RFC 3501 §7.4.2): the ones we request are decoded, any other item is skipped whole.
#include <cctype>

#include "core/text.h"
#include "imap/wire/parser_internal.h"

namespace emailv2::imap::wire {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// NAME[section]<origin> SP nstring, NAME already read.
void parse_section_item(Reader& r, const std::string& name, FetchData& fetch) {
  FetchSection s;
  std::string item = name;
  if (r.accept('[')) {
    s.section = upper(r.until(']'));
    r.expect(']');
    item += "[" + s.section + "]";
  }
  if (r.accept('<')) {
    s.origin = r.number32();
    r.expect('>');
  }
  s.item = std::move(item);
  r.sp();
  StringValue v = r.nstring();
  s.nil = v.nil;
  s.streamed = v.streamed;
  s.size = v.size;
  s.data = std::move(v.bytes);
  if (r.ok()) fetch.sections.push_back(std::move(s));
}

void parse_item(Reader& r, FetchData& fetch) {
  // Item names are atoms up to '[' or SP.
  std::string name;
  while (!r.at_end() && r.peek() != ' ' && r.peek() != '[' && r.peek() != '(' && r.peek() != ')') {
    name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(r.peek()))));
    r.accept(r.peek());
  }
  if (name.empty()) return r.fail("expected a FETCH item");
  if (name == "UID") {
    r.sp();
    fetch.uid = r.number32();
    if (r.ok() && *fetch.uid == 0) r.fail("UID 0");
  } else if (name == "FLAGS") {
    r.sp();
    std::vector<std::string> flags;
    r.list([&] { flags.push_back(r.atom()); });
    fetch.flags = std::move(flags);
  } else if (name == "INTERNALDATE") {
    r.sp();
    fetch.internal_date = r.quoted();
    if (r.ok()) fetch.internal_date_epoch = parse_internal_date(*fetch.internal_date);
  } else if (name == "RFC822.SIZE") {
    r.sp();
    fetch.rfc822_size = r.number64();
  } else if (name == "MODSEQ") {
    r.sp();
    r.list([&] { fetch.modseq = r.number64(); });
  } else if (name == "BINARY" || (name == "BODY" && r.peek() == '[') || name == "RFC822" ||
             name == "RFC822.HEADER" || name == "RFC822.TEXT") {
    parse_section_item(r, name, fetch);
  } else {
    // BODYSTRUCTURE, ENVELOPE, BODY (structure), X-GM-*, BINARY.SIZE[...]...: skipped.
    if (r.peek() == '[') {
      r.until(']');
      r.expect(']');
    }
    r.sp();
    r.skip_value();
  }
}

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};

int digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

void parse_fetch_items(Reader& r, FetchData& fetch) { r.list([&] { parse_item(r, fetch); }); }

std::optional<std::int64_t> parse_internal_date(std::string_view s) {
  // "dd-Mon-yyyy hh:mm:ss +zzzz", the day possibly " d".
  if (s.size() != 26) return std::nullopt;
  const int day = s[0] == ' ' ? digits(s, 1, 1) : digits(s, 0, 2);
  int month = 0;
  for (int i = 0; i < 12; ++i) {
    if (text::iequals_ascii(s.substr(3, 3), kMonths[i])) month = i + 1;
  }
  const int year = digits(s, 7, 4), hh = digits(s, 12, 2), mm = digits(s, 15, 2), ss = digits(s, 18, 2);
  const int zone = digits(s, 22, 4);
  if (day < 1 || day > 31 || month == 0 || year < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 ||
      ss > 60 || zone < 0 || s[2] != '-' || s[6] != '-' || (s[21] != '+' && s[21] != '-'))
    return std::nullopt;
  const std::int64_t offset = (zone / 100 * 3600 + zone % 100 * 60) * (s[21] == '-' ? -1 : 1);
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hh * 3600 + mm * 60 + ss - offset;
}

}  // namespace emailv2::imap::wire
