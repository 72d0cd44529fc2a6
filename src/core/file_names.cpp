#include "core/file_names.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>

#include "core/text.h"

namespace emailv2::file_names {
namespace {

constexpr std::string_view kReplaced = ":*?\"<>|/\\";
constexpr std::array<std::string_view, 4> kDeviceNames = {"con", "prn", "aux", "nul"};

// Length of the valid UTF-8 sequence starting at s[i] (1..4), or 0 when the bytes there are not valid UTF-8
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t min = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool is_bidi_control(std::uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// Step (2).
std::string map_forbidden(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    std::uint32_t cp = 0;
    const std::size_t len = utf8_sequence_length(name, i, cp);
    if (len == 0) {
      out += '_';
      ++i;
      continue;
    }
    const bool forbidden = cp < 0x20 || cp == 0x7F || is_bidi_control(cp) ||
                           (cp < 0x80 && kReplaced.find(static_cast<char>(cp)) != std::string_view::npos);
    if (forbidden) {
      out += '_';
    } else {
      out.append(name.substr(i, len));
    }
    i += len;
  }
  return out;
}

// Step (3).
std::string_view strip_dots_and_spaces(std::string_view s) {
  const auto edge = [](char c) { return c == '.' || c == ' '; };
  while (!s.empty() && edge(s.front())) s.remove_prefix(1);
  while (!s.empty() && edge(s.back())) s.remove_suffix(1);
  return s;
}

bool is_device_name(std::string_view name) {
  std::string_view stem = name.substr(0, name.find('.'));
  while (!stem.empty() && stem.back() == ' ') stem.remove_suffix(1);
  const std::string lower = text::to_lower_ascii(stem);
  for (std::string_view d : kDeviceNames) {
    if (lower == d) return true;
  }
  return lower.size() == 4 && (lower.starts_with("com") || lower.starts_with("lpt")) && lower[3] >= '1' &&
         lower[3] <= '9';
}

// Step (6): cut the stem so stem + extension fits, at a character boundary, then drop trailing dots/spaces the cut
// exposed. The stem never starts with a dot or space, so it stays non-empty.
std::string cut_to_limit(const std::string& name) {
  if (name.size() <= kMaxNameBytes) return name;
  const std::string_view ext = extension(name);
  std::string_view stem = std::string_view(name).substr(0, name.size() - ext.size());
  stem = text::utf8_prefix(stem, kMaxNameBytes - ext.size());
  while (stem.size() > 1 && (stem.back() == '.' || stem.back() == ' ')) stem.remove_suffix(1);
  return std::string(stem) + std::string(ext);
}

}  // namespace

std::string_view extension(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  const std::string_view ext = name.substr(dot);
  if (ext.size() > kMaxExtensionBytes || ext.size() < 2) return {};
  return ext;
}

std::pair<std::string, std::string> stem_and_type(std::string_view original_name) {
  const std::string_view ext = extension(original_name);
  if (ext.empty() || ext.find_first_of("/\\") != std::string_view::npos) return {std::string(original_name), ""};
  return {std::string(original_name.substr(0, original_name.size() - ext.size())), std::string(ext)};
}

std::string sanitise(std::string_view name) {
  const std::string mapped = map_forbidden(name);
  std::string out(strip_dots_and_spaces(mapped));
  if (out.empty()) {
    const std::string ext(strip_dots_and_spaces(extension(mapped)));
    out = "Undefined_" + random_uuid() + (ext.empty() ? "" : "." + ext);
  }
  // The cut can expose a device name ("aux" + 200 spaces + "x" → "aux"), so the prefix rule runs after it; a
  // prefixed name starts with '_' and stays safe through a second cut.
  out = cut_to_limit(out);
  if (out.front() == '-' || is_device_name(out)) out = cut_to_limit("_" + out);
  return out;
}

std::string with_clash_suffix(std::string_view name, unsigned n) {
  if (n <= 1) return std::string(name);
  const std::string_view ext = extension(name);
  std::string out(name.substr(0, name.size() - ext.size()));
  out += " (" + std::to_string(n) + ")";
  out += ext;
  return out;
}

std::string random_uuid() {
  std::array<unsigned char, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
    // RAND_bytes only fails when the CSPRNG cannot seed; uniqueness still comes from the writer's O_EXCL.
    b.fill(0);
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  const std::string hex = text::hex_lower(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

}  // namespace emailv2::file_names
