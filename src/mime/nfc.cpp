#include "mime/nfc.h"

#include <glib.h>

#include <memory>

namespace emailv2::mime {

std::string nfc(std::string_view s) {
  if (s.empty() || !g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) return std::string(s);
  std::unique_ptr<gchar, decltype(&g_free)> out(
      g_utf8_normalize(s.data(), static_cast<gssize>(s.size()), G_NORMALIZE_NFC), &g_free);
  if (!out) return std::string(s);
  return std::string(out.get());
}

}  // namespace emailv2::mime
