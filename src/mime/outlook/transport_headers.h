#pragma once
// Minimal reading of PR_TRANSPORT_MESSAGE_HEADERS (an RFC 5322 header block): the first value of a field,
// unfolded and trimmed. Full header decoding is the MIME parser's job; this only feeds Message-ID, Date,
// In-Reply-To and From fallbacks of the .msg reader.

#include <string>
#include <string_view>

namespace emailv2::mime::outlook {

// The first field named `name` (ASCII case-insensitive) before the first empty line, unfolded (CRLF + WSP → WSP)
// and trimmed; "" when absent.
std::string header_field(std::string_view headers, std::string_view name);

// The first <...> token of a value, or the trimmed value when it has none.
std::string first_angle_token(std::string_view value);

}  // namespace emailv2::mime::outlook
