#include "store/content_digest.h"

#include <openssl/evp.h>

#include <array>

#include "core/text.h"

namespace emailv2::store {
namespace {

std::string hex_digest(const EVP_MD* md, std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  // EVP_Digest only fails on allocation failure; an empty result then makes the row visibly wrong, not silent.
  if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, md, nullptr) != 1) return {};
  return text::hex_lower(std::string_view(reinterpret_cast<const char*>(out.data()), len));
}

}  // namespace

ContentDigest digest_of(std::string_view bytes) {
  return ContentDigest{static_cast<std::int64_t>(bytes.size()), hex_digest(EVP_md5(), bytes),
                       hex_digest(EVP_sha1(), bytes), hex_digest(EVP_sha256(), bytes)};
}

ContentDigest complete_digest(std::string_view bytes, const ContentDigest& known) {
  return ContentDigest{static_cast<std::int64_t>(bytes.size()),
                       known.md5.empty() ? hex_digest(EVP_md5(), bytes) : known.md5,
                       known.sha1.empty() ? hex_digest(EVP_sha1(), bytes) : known.sha1,
                       known.sha256.empty() ? hex_digest(EVP_sha256(), bytes) : known.sha256};
}

}  // namespace emailv2::store
