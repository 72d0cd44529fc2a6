// Fuzzes the §6.4 sanitiser: whatever the bytes, the on-disk name is safe.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/file_names.h"

namespace {

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emailv2::file_names;
  const std::string in(reinterpret_cast<const char*>(data), size);
  const std::string out = sanitise(in);
  if (out.empty() || out.size() > kMaxNameBytes) std::abort();
  if (out == "." || out == "..") std::abort();
  if (out.find('/') != std::string::npos || out.find('\0') != std::string::npos) std::abort();
  if (out.find('\\') != std::string::npos) std::abort();
  if (out.front() == '.' || out.front() == ' ' || out.back() == '.' || out.back() == ' ') std::abort();
  if (out.front() == '-') std::abort();
  if (!valid_utf8(out)) std::abort();
  for (unsigned char c : out) {
    if (c < 0x20 || c == 0x7F) std::abort();
  }
  if (out.find("\xE2\x80\xAE") != std::string::npos || out.find("\xE2\x81\xA6") != std::string::npos) std::abort();
  if (sanitise(out) != out) std::abort();  // idempotent
  const std::string suffixed = with_clash_suffix(out, 10'000);
  if (suffixed.size() > kMaxNameBytes + kMaxClashSuffixBytes || suffixed.find('/') != std::string::npos) std::abort();
  return 0;
}
