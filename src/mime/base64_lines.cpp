#include "mime/base64_lines.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace emailv2::mime {
namespace {

constexpr std::uint8_t kInvalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = kInvalid;
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::uint8_t i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = i;
  return t;
}
constexpr std::array<std::uint8_t, 256> kValue = make_table();

std::uint8_t value(char c) { return kValue[static_cast<unsigned char>(c)]; }

// Decodes whole groups of 4 alphabet characters; false on any other character.
bool decode_groups(std::string_view line, char*& out) {
  const char* p = line.data();
  const char* const end = p + line.size();
  for (; p < end; p += 4) {
    const std::uint32_t a = value(p[0]), b = value(p[1]), c = value(p[2]), d = value(p[3]);
    if (((a | b | c | d) & 0xC0u) != 0) return false;
    const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    out[0] = static_cast<char>(v >> 16);
    out[1] = static_cast<char>((v >> 8) & 0xFFu);
    out[2] = static_cast<char>(v & 0xFFu);
    out += 3;
  }
  return true;
}

// The final group "xx==" or "xxx=": 1 or 2 bytes; false when it is not a valid padded group.
bool decode_padded(std::string_view group, char*& out) {
  const std::uint32_t a = value(group[0]), b = value(group[1]);
  if (((a | b) & 0xC0u) != 0) return false;
  if (group[2] == '=') {
    if (group[3] != '=') return false;
    *out++ = static_cast<char>((a << 2) | (b >> 4));
    return true;
  }
  const std::uint32_t c = value(group[2]);
  if ((c & 0xC0u) != 0 || group[3] != '=') return false;
  const std::uint32_t v = (a << 18) | (b << 12) | (c << 6);
  *out++ = static_cast<char>(v >> 16);
  *out++ = static_cast<char>((v >> 8) & 0xFFu);
  return true;
}

}  // namespace

bool decode_base64_lines(std::string_view text, std::string& out) {
  out.assign(text.size() / 4 * 3 + 3, '\0');
  char* dst = out.data();
  bool padded = false;  // the padded group was seen: only empty lines may follow
  std::size_t pos = 0;
  while (pos < text.size()) {
    const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
    const std::size_t eol = nl == nullptr ? text.size() : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data());
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (padded || line.size() % 4 != 0) return false;
    if (line.back() == '=') {
      if (!decode_groups(line.substr(0, line.size() - 4), dst) || !decode_padded(line.substr(line.size() - 4), dst))
        return false;
      padded = true;
      continue;
    }
    if (!decode_groups(line, dst)) return false;
  }
  out.resize(static_cast<std::size_t>(dst - out.data()));
  return true;
}

}  // namespace emailv2::mime
