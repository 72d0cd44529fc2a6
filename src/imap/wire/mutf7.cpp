#include "core/utf8.h"
#include "imap/wire/mutf7.h"

#include <cstdint>
#include <vector>

namespace emailv2::imap::wire {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int alphabet_index(char c) {
  const auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool is_direct(unsigned char c) { return c >= 0x20 && c <= 0x7e; }

// Decodes one UTF-8 code point at s[i]; returns false on malformed, overlong or surrogate sequences.
bool next_code_point(std::string_view s, std::size_t& i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  char32_t min = 0;
  if (b0 < 0x80) { cp = b0; len = 1; }
  else if ((b0 & 0xE0) == 0xC0) { cp = b0 & 0x1Fu; len = 2; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { cp = b0 & 0x0Fu; len = 3; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { cp = b0 & 0x07u; len = 4; min = 0x10000; }
  else return false;
  if (i + len > s.size()) return false;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (len > 1 && cp < min) return false;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += len;
  return true;
}

using utf8::append;

void flush_base64(std::string& out, const std::vector<std::uint16_t>& units) {
  out.push_back('&');
  std::uint32_t bits = 0;
  int nbits = 0;
  for (std::uint16_t u : units) {
    bits = (bits << 16) | u;
    nbits += 16;
    while (nbits >= 6) {
      nbits -= 6;
      out.push_back(kAlphabet[(bits >> nbits) & 0x3F]);
    }
    bits &= (1u << nbits) - 1;
  }
  if (nbits > 0) out.push_back(kAlphabet[(bits << (6 - nbits)) & 0x3F]);
  out.push_back('-');
}

// Decodes the base64 run between '&' and '-' into UTF-8; false when malformed.
bool decode_run(std::string_view run, std::string& out) {
  std::uint32_t bits = 0;
  int nbits = 0;
  std::vector<std::uint16_t> units;
  for (char c : run) {
    const int v = alphabet_index(c);
    if (v < 0) return false;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    nbits += 6;
    if (nbits >= 16) {
      nbits -= 16;
      units.push_back(static_cast<std::uint16_t>((bits >> nbits) & 0xFFFF));
      bits &= (1u << nbits) - 1;
    }
  }
  if (nbits >= 6 || bits != 0 || units.empty()) return false;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const char32_t u = units[i];
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 >= units.size() || units[i + 1] < 0xDC00 || units[i + 1] > 0xDFFF) return false;
      append(out, 0x10000 + ((u - 0xD800) << 10) + (units[++i] - 0xDC00u));
    } else if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0 || u == '\r' || u == '\n') {
      return false;  // unpaired low surrogate; NUL, CR, LF can never be part of a name
    } else if (u < 0x80 && is_direct(static_cast<unsigned char>(u))) {
      return false;  // printable ASCII must be written directly
    } else {
      append(out, u);
    }
  }
  return true;
}

}  // namespace

Result<std::string> mutf7_encode(std::string_view utf8) {
  std::string out;
  std::vector<std::uint16_t> units;
  std::size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp = 0;
    if (!next_code_point(utf8, i, cp)) return fail(ErrorCode::kParamInvalid, "folder name is not valid UTF-8");
    if (cp == 0 || cp == '\r' || cp == '\n') {
      return fail(ErrorCode::kParamInvalid, "folder name contains CR, LF or NUL");
    }
    if (cp < 0x80 && is_direct(static_cast<unsigned char>(cp))) {
      if (!units.empty()) flush_base64(out, units), units.clear();
      out += cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(cp));
    } else if (cp >= 0x10000) {
      units.push_back(static_cast<std::uint16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      units.push_back(static_cast<std::uint16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      units.push_back(static_cast<std::uint16_t>(cp));
    }
  }
  if (!units.empty()) flush_base64(out, units);
  return out;
}

std::optional<std::string> mutf7_decode(std::string_view wire) {
  std::string out;
  std::size_t i = 0;
  while (i < wire.size()) {
    const auto c = static_cast<unsigned char>(wire[i]);
    if (!is_direct(c)) return std::nullopt;
    if (c != '&') {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const auto end = wire.find('-', i + 1);
    if (end == std::string_view::npos) return std::nullopt;
    if (end == i + 1) {
      out.push_back('&');
    } else if (!decode_run(wire.substr(i + 1, end - i - 1), out)) {
      return std::nullopt;
    }
    i = end + 1;
  }
  return out;
}

std::string mailbox_name_from_wire(std::string_view wire) {
  auto decoded = mutf7_decode(wire);
  return decoded ? std::move(*decoded) : std::string(wire);
}

}  // namespace emailv2::imap::wire
