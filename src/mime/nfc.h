#pragma once
// Unicode NFC normalisation for names that go to disk (CONTRACT §6.4 step 1). Lives in mime because mime links GLib
// (through GMime) and core links neither GLib nor ICU; callers normalise here, then sanitise with
// core/file_names.h (docs/filesystem.md).

#include <string>
#include <string_view>

namespace emailv2::mime {

// `s` in Unicode Normalization Form C (g_utf8_normalize, G_NORMALIZE_NFC). Input that is not valid UTF-8 is
// returned unchanged; the sanitiser then maps its invalid bytes to `_`.
std::string nfc(std::string_view s);

}  // namespace emailv2::mime
