#pragma once
// Hashes of attachment and message bytes (OpenSSL EVP) and the deterministic UUIDv5 of unnamed parts (§4.2).

#include <string>
#include <string_view>

namespace emailv2::mime {

struct Digests {
  std::string md5, sha1, sha256;  // lower-case hex
};

Digests digests_of(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

// RFC 4122 version 5 UUID (SHA-1) of `name` in emailv2's fixed namespace, lower-case with dashes.
std::string uuid_v5(std::string_view name);

}  // namespace emailv2::mime
