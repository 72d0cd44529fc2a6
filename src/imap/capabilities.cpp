#include "imap/capabilities.h"

#include <algorithm>

#include "core/text.h"

namespace emailv2::imap {

bool Capabilities::has(std::string_view capability) const {
  return std::any_of(items_.begin(), items_.end(),
                     [&](const std::string& c) { return text::iequals_ascii(c, capability); });
}

bool Capabilities::has_auth(std::string_view mechanism) const { return has("AUTH=" + std::string(mechanism)); }

}  // namespace emailv2::imap
