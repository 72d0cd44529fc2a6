// Fuzzes compressed-RTF decompression and RTF de-encapsulation: the input is decompressed (LZFu/MELA) and the
// result de-encapsulated; the input is also de-encapsulated as plain RTF. Output size stays bounded.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mime/outlook/compressed_rtf.h"
#include "mime/outlook/outlook_limits.h"
#include "mime/outlook/rtf_decapsulate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emailv2::mime::outlook;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto rtf = decompress_rtf(input)) {
    if (rtf->rtf.size() > limits::kMaxRtfBytes) std::abort();
    (void)rtf_to_body(rtf->rtf, 1252);
  }
  const RtfBody body = rtf_to_body(input, 932);
  // Each input byte yields at most a few output bytes (a \'hh escape or a \uN expands to <= 4 UTF-8 bytes).
  if (body.text.size() > 4 * size + 16) std::abort();
  return 0;
}
