// Fuzzes the Outlook .msg reader (CFB container, MAPI properties, compressed RTF, embedded messages): no input may
// crash, hang or allocate without bound, and written-out embedded messages must themselves be readable.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mime/outlook/msg_reader.h"

namespace {

void walk(const emailv2::mime::outlook::OutlookMessage& msg, int depth) {
  if (depth > 3) std::abort();  // CONTRACT §6.3: attached-mail depth 3
  for (const auto& a : msg.attachments) {
    if (a.message) walk(*a.message, depth + 1);
    if (a.message && !a.data.empty() && !emailv2::mime::outlook::read_msg(a.data)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto msg = emailv2::mime::outlook::read_msg(std::string_view(reinterpret_cast<const char*>(data), size));
  if (msg) walk(*msg, 0);
  return 0;
}
