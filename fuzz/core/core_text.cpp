// Fuzzes the shared text helpers: none may crash, and their documented invariants must hold on any bytes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  using namespace emailv2::text;
  const std::string echoed = echo_value(in);
  if (has_line_breaks_or_nul(echoed)) std::abort();
  const std::string server = server_text(in);
  if (has_line_breaks_or_nul(server)) std::abort();
  const std::string norm = normalise_name(in);
  if (normalise_name(norm) != norm) std::abort();
  std::string decoded;
  if (!base64_decode(base64_encode(in), decoded) || decoded != in) std::abort();
  if (utf8_prefix(in, size / 2).size() > size / 2) std::abort();
  return 0;
}
