// Fuzzes the TNEF (winmail.dat) reader: no input may crash, hang or allocate without bound; embedded messages
// stay within the depth cap.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mime/tnef/tnef_reader.h"

namespace {

void walk(const emailv2::mime::tnef::TnefContent& content, int depth) {
  if (depth > 3) std::abort();
  for (const auto& a : content.attachments) {
    if (a.message) walk(*a.message, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto content = emailv2::mime::tnef::read_tnef(std::string_view(reinterpret_cast<const char*>(data), size));
  if (content) walk(*content, 0);
  return 0;
}
