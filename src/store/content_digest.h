#pragma once
// Size and MD5 / SHA-1 / SHA-256 (lower-case hex) of a byte string, for wall attachments (store-internal).

#include <cstdint>
#include <string>
#include <string_view>

namespace emailv2::store {

struct ContentDigest {
  std::int64_t size = 0;
  std::string md5;
  std::string sha1;
  std::string sha256;
};

ContentDigest digest_of(std::string_view bytes);

}  // namespace emailv2::store
