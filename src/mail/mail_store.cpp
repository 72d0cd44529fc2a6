#include "mail/mail_store.h"

#include <algorithm>

#include "core/text.h"

namespace emailv2::mail {

bool FolderListing::has_attribute(std::string_view attribute) const {
  return std::any_of(attributes.begin(), attributes.end(), [&](const auto& a) { return text::iequals_ascii(a, attribute); });
}

bool MessageMetadata::has_flag(std::string_view flag) const {
  return std::any_of(flags.begin(), flags.end(), [&](const auto& f) { return text::iequals_ascii(f, flag); });
}

}  // namespace emailv2::mail
