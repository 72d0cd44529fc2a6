#pragma once
// A fast decoder for the base64 bodies mail clients actually write: lines of whole 4-character groups separated by
// LF or CRLF, padding only at the very end. Anything else is declined (false) and left to GMime's tolerant decoder,
// whose output is the same for every input this one accepts.

#include <string>
#include <string_view>

namespace emailv2::mime {

// Decodes `text` into `out` (replaced) when it is canonical line-wrapped base64: every line a multiple of 4 characters
// of the base64 alphabet, '=' only as the last one or two characters of the last non-empty line, and nothing but
// empty lines after it. Returns false (out unspecified) for anything else.
bool decode_base64_lines(std::string_view text, std::string& out);

}  // namespace emailv2::mime
