#pragma once
// Byte-exact attached mails. GMime re-serialises what it parsed with LF line ends (CRLF in the input → LF), so the
// bytes it writes for a message/rfc822 part are not the part's bytes when the mail came over IMAP (always CRLF). The
// original bytes are found again by walking the input from the part's first header alongside GMime's output: equal
// bytes, or a CRLF in the input where GMime wrote LF. Anything else means GMime changed more than line ends, and the
// caller keeps GMime's bytes. Pure.

#include <cstddef>
#include <optional>
#include <string_view>

namespace emailv2::mime {

// The bytes of `input` from `start` whose CRLF → LF form is exactly `written` (GMime's output for the object whose
// first header starts at `start`); nullopt when there are none.
std::optional<std::string_view> original_span(std::string_view input, std::size_t start, std::string_view written);

}  // namespace emailv2::mime
