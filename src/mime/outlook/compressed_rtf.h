#pragma once
// PR_RTF_COMPRESSED decoding (MS-OXRTFCP): the LZFu compressed form and the uncompressed "MELA" form.
//
// Contract: output is capped at outlook_limits.h kMaxRtfBytes and at the header's declared raw size; a CRC
// mismatch, a short stream or a size disagreement is a warning, the bytes decoded so far are kept. Errors
// (kProtocolError) only when there is no usable header or the compression type is unknown.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace emailv2::mime::outlook {

struct DecompressedRtf {
  std::string rtf;
  std::vector<std::string> warnings;
};

Result<DecompressedRtf> decompress_rtf(std::string_view compressed);

// The CRC-32 variant of MS-OXRTFCP 3.1.3.2 (no initial or final inversion), exposed for tests.
std::uint32_t rtf_crc32(std::string_view bytes);

}  // namespace emailv2::mime::outlook
