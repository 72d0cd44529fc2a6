#include "mime/digest.h"

#include <openssl/evp.h>

#include <array>
#include <memory>

#include "core/text.h"

namespace emailv2::mime {
namespace {

// Fixed namespace of emailv2 part names: UUIDv5(URL namespace, "urn:emailv2:mime-part").
constexpr std::array<unsigned char, 16> kNamespace{0x8c, 0x1e, 0x4b, 0x57, 0x2f, 0x0a, 0x5d, 0x41,
                                                   0x9a, 0x3e, 0x6f, 0x21, 0xd0, 0x44, 0x7b, 0x95};

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string digest(const EVP_MD* md, std::string_view a, std::string_view b = {}) {
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 || EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1)
    return {};
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

// The three attachment digests computed in one pass over the bytes: each block is fed to MD5, SHA-1 and SHA-256
// while it is still in the L1/L2 cache, with the algorithms fetched once and the contexts reused per thread.
class TripleDigest {
 public:
  TripleDigest() {
    for (std::size_t i = 0; i < kAlgorithms.size(); ++i) {
      md_[i] = EVP_MD_fetch(nullptr, kAlgorithms[i], nullptr);
      ctx_[i] = EVP_MD_CTX_new();
    }
  }
  ~TripleDigest() {
    for (std::size_t i = 0; i < kAlgorithms.size(); ++i) {
      EVP_MD_CTX_free(ctx_[i]);
      EVP_MD_free(md_[i]);
    }
  }
  TripleDigest(const TripleDigest&) = delete;
  TripleDigest& operator=(const TripleDigest&) = delete;

  // false when OpenSSL failed (then the caller falls back to one-shot digests).
  bool run(std::string_view bytes, Digests& out) {
    for (std::size_t i = 0; i < kAlgorithms.size(); ++i)
      if (md_[i] == nullptr || ctx_[i] == nullptr || EVP_DigestInit_ex2(ctx_[i], md_[i], nullptr) != 1) return false;
    for (std::size_t off = 0; off < bytes.size(); off += kBlock) {
      const std::string_view block = bytes.substr(off, kBlock);
      for (EVP_MD_CTX* c : ctx_)
        if (EVP_DigestUpdate(c, block.data(), block.size()) != 1) return false;
    }
    std::array<std::string*, 3> dest{&out.md5, &out.sha1, &out.sha256};
    for (std::size_t i = 0; i < kAlgorithms.size(); ++i) {
      std::array<unsigned char, EVP_MAX_MD_SIZE> sum{};
      unsigned int len = 0;
      if (EVP_DigestFinal_ex(ctx_[i], sum.data(), &len) != 1) return false;
      *dest[i] = text::hex_lower(std::string_view(reinterpret_cast<const char*>(sum.data()), len));
    }
    return true;
  }

 private:
  static constexpr std::array<const char*, 3> kAlgorithms{"MD5", "SHA1", "SHA256"};
  static constexpr std::size_t kBlock = 16 * 1024;
  std::array<EVP_MD*, 3> md_{};
  std::array<EVP_MD_CTX*, 3> ctx_{};
};

}  // namespace

Digests digests_of(std::string_view bytes) {
  thread_local TripleDigest triple;
  Digests d;
  if (triple.run(bytes, d)) return d;
  return {text::hex_lower(digest(EVP_md5(), bytes)), text::hex_lower(digest(EVP_sha1(), bytes)),
          text::hex_lower(digest(EVP_sha256(), bytes))};
}

std::string sha256_hex(std::string_view bytes) { return text::hex_lower(digest(EVP_sha256(), bytes)); }

std::string uuid_v5(std::string_view name) {
  const std::string_view ns(reinterpret_cast<const char*>(kNamespace.data()), kNamespace.size());
  std::string h = digest(EVP_sha1(), ns, name);
  h.resize(16);
  h[6] = static_cast<char>((static_cast<unsigned char>(h[6]) & 0x0F) | 0x50);
  h[8] = static_cast<char>((static_cast<unsigned char>(h[8]) & 0x3F) | 0x80);
  const std::string hex = text::hex_lower(h);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

}  // namespace emailv2::mime
