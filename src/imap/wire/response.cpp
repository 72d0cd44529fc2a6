#include "imap/wire/response.h"

#include <algorithm>

#include "core/text.h"

namespace emailv2::imap::wire {

bool MailboxListing::has_attribute(std::string_view attribute) const {
  return std::any_of(attributes.begin(), attributes.end(),
                     [&](const std::string& a) { return text::iequals_ascii(a, attribute); });
}

const FetchSection* FetchData::section(std::string_view name) const {
  for (const FetchSection& s : sections) {
    if (text::iequals_ascii(s.section, name)) return &s;
  }
  return nullptr;
}

}  // namespace emailv2::imap::wire
