// Fuzzes the RFC 5322 address-list parser: never crashes, never yields an empty addr-spec or invalid UTF-8 name.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mime/address.h"
#include "mime/charset.h"
#include "mime/content_type.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> warnings;
  const auto list = emailv2::mime::parse_address_list(in, warnings);
  for (const auto& a : list.addresses) {
    if (a.address.empty() || !emailv2::mime::is_valid_utf8(a.name)) std::abort();
  }
  const auto ct = emailv2::mime::parse_content_type(in, warnings);
  for (const auto& [k, v] : ct.params.items)
    if (k.empty() || !emailv2::mime::is_valid_utf8(v)) std::abort();
  return 0;
}
