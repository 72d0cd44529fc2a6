#pragma once
// Transfer encodings and header folding for outgoing mail: CRLF everywhere, lines ≤ 998 bytes (RFC 5322 §2.1.1).

#include <string>
#include <string_view>

namespace emailv2::mime {

// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: LF or CRLF → CRLF hard breaks, soft breaks keep lines ≤ 76,
// trailing whitespace and a leading '.' or "From " encoded (safe through dot-stuffing and mbox).
std::string qp_encode(std::string_view text);

// Base64 in 76-character CRLF lines.
std::string base64_lines(std::string_view bytes);

// "Name: value" folded at spaces so lines stay ≤ 78 where possible and never exceed 998; ends with CRLF.
std::string fold_header(std::string_view name, std::string_view value);

}  // namespace emailv2::mime
