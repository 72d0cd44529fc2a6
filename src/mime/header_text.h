#pragma once
// Small helpers over raw header values.

#include <optional>
#include <string>
#include <string_view>

namespace emailv2::mime {

// Removes every CR and LF (RFC 5322 unfolding: the CRLF of a fold goes, the following WSP stays); trims the ends.
std::string unfold(std::string_view value);

// The first `<…>` token (brackets kept), e.g. of In-Reply-To; nullopt when there is none.
std::optional<std::string> first_angle_token(std::string_view value);

// Skips an RFC 5322 comment starting at s[pos] == '('; returns the position after it (nesting, quoted-pairs).
// `out`, when non-null, receives the comment text without the outer parentheses; `closed` whether it was terminated.
std::size_t skip_comment(std::string_view s, std::size_t pos, std::string* out = nullptr, bool* closed = nullptr);

}  // namespace emailv2::mime
