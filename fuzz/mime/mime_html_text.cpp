// Fuzzes HTML → text: never crashes, output is valid UTF-8 (input made valid first, as the parser does).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mime/charset.h"
#include "mime/html_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in = emailv2::mime::sanitize_utf8(std::string(reinterpret_cast<const char*>(data), size));
  const auto scan = emailv2::mime::scan_html(in);
  if (!emailv2::mime::is_valid_utf8(scan.text)) std::abort();
  return 0;
}
