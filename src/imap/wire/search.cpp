#include "imap/wire/search.h"

#include <algorithm>

namespace emailv2::imap::wire {
namespace {

bool ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

bool needs_utf8_charset(const SearchCriteria& c) {
  for (const auto* v : {&c.subject, &c.from, &c.to}) {
    if (*v && !ascii(**v)) return true;
  }
  return std::any_of(c.headers.begin(), c.headers.end(),
                     [](const auto& h) { return !ascii(h.first) || !ascii(h.second); });
}

std::string format_search_date(const SearchDate& date) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const unsigned m = std::clamp(date.month, 1u, 12u);
  return std::to_string(date.day) + "-" + kMonths[m - 1] + "-" + std::to_string(date.year);
}

void append_search_keys(CommandBuilder& b, const SearchCriteria& c) {
  if (needs_utf8_charset(c)) b.raw("CHARSET").raw("UTF-8");
  bool any = false;
  auto key = [&](const char* name) {
    b.raw(name);
    any = true;
  };
  if (c.uids) key("UID"), b.uid_set(*c.uids);
  if (c.unseen) key("UNSEEN");
  if (c.deleted) key("DELETED");
  if (c.subject) key("SUBJECT"), b.string(*c.subject);
  if (c.from) key("FROM"), b.string(*c.from);
  if (c.to) key("TO"), b.string(*c.to);
  if (c.since) key("SINCE"), b.raw(format_search_date(*c.since));
  for (const auto& [name, value] : c.headers) {
    key("HEADER");
    b.string(name).string(value);
  }
  if (!any) b.raw("ALL");
}

}  // namespace emailv2::imap::wire
