#pragma once
// Modified UTF-7 mailbox names (RFC 3501 §5.1.3), both ways.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace emailv2::imap::wire {

// UTF-8 -> modified UTF-7. PARAM_INVALID when the input is not valid UTF-8 or holds a NUL, CR or LF.
Result<std::string> mutf7_encode(std::string_view utf8);
// Modified UTF-7 -> UTF-8; nullopt when the text is not valid modified UTF-7 (bad base64, unpaired surrogate,
// 8-bit byte, "&" not closed by "-").
std::optional<std::string> mutf7_decode(std::string_view wire);
// A name from LIST/STATUS: decoded when valid modified UTF-7; else kept as sent (servers with UTF8=ACCEPT, or
// broken ones), so a folder can still be named back to the server.
std::string mailbox_name_from_wire(std::string_view wire);

}  // namespace emailv2::imap::wire
