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

// digest_of(bytes), computing only what `known` lacks: a non-empty md5/sha1/sha256 of `known` is taken as given
// (the caller already hashed these exact bytes, e.g. the MIME layer); size is always bytes.size().
ContentDigest complete_digest(std::string_view bytes, const ContentDigest& known);

}  // namespace emailv2::store
