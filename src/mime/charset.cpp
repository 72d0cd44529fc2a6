#include "core/utf8.h"
#include "mime/charset.h"

#include <iconv.h>
#include <uchardet/uchardet.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>

#include "core/text.h"

namespace emailv2::mime {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kAliases{{
    {"iso-8859-8-i", "iso-8859-8"},
    {"iso-8859-6-i", "iso-8859-6"},
    {"iso-8859-8-e", "iso-8859-8"},
    {"iso-8859-6-e", "iso-8859-6"},
    {"utf8", "utf-8"},
    {"utf-7", "utf-7"},
    {"unicode-1-1-utf-7", "utf-7"},
    {"ks_c_5601-1987", "cp949"},
    {"ks_c_5601", "cp949"},
    {"euc-kr", "cp949"},
    {"x-sjis", "shift_jis"},
    {"shift-jis", "shift_jis"},
    {"sjis", "shift_jis"},
    {"x-euc-jp", "euc-jp"},
    {"gb2312", "gb18030"},
    {"gbk", "gb18030"},
    {"x-gbk", "gb18030"},
    {"cp-850", "cp850"},
    {"latin1", "iso-8859-1"},
    {"ansi_x3.4-1968", "us-ascii"},
    {"ascii", "us-ascii"},
    {"x-mac-roman", "macintosh"},
}};

// windows-1252 0x80..0x9F; 0 marks the five undefined bytes.
constexpr std::array<char32_t, 32> kCp1252High{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

using utf8::append;

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid (overlongs, surrogates, > U+10FFFF rejected).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  char32_t min = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = b0 & 0x1Fu;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = b0 & 0x0Fu;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = b0 & 0x07u;
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

// Length of the all-ASCII run starting at `i`, whole 8-byte words only (0 when the next word has a byte >= 0x80):
// bodies are mostly ASCII, and checking a word at a time makes validation ~8x cheaper on them.
std::size_t ascii_words(std::string_view s, std::size_t i) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  const std::size_t start = i;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, s.data() + i, sizeof word);
    if ((word & kHighBits) != 0) break;
  }
  return i - start;
}

bool is_ascii(std::string_view s) {
  for (char c : s.substr(ascii_words(s, 0)))
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Labels whose ASCII-looking bytes still need conversion.
bool needs_conversion_even_if_ascii(std::string_view canon) {
  return canon.starts_with("utf-16") || canon.starts_with("utf-32") || canon.starts_with("iso-2022") ||
         canon == "utf-7" || canon.starts_with("ucs-") || canon.starts_with("hz");
}

struct IconvCloser {
  void operator()(iconv_t cd) const { iconv_close(cd); }
};

}  // namespace

std::string canonical_charset(std::string_view label) {
  std::string s = text::to_lower_ascii(text::trim(label));
  while (!s.empty() && (s.front() == '"' || s.front() == '\'')) s.erase(0, 1);
  if (const auto q = s.find_first_of("\"'"); q != std::string::npos) s.resize(q);
  s = std::string(text::trim(s));
  for (const auto& [from, to] : kAliases)
    if (s == from) return std::string(to);
  return s;
}

bool is_valid_utf8(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    if (const std::size_t run = ascii_words(bytes, i); run != 0) {
      i += run;
      continue;
    }
    const std::size_t n = utf8_sequence(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    if (const std::size_t run = ascii_words(bytes, i); run != 0) {
      out.append(bytes.substr(i, run));
      i += run;
      continue;
    }
    const std::size_t n = utf8_sequence(bytes, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string windows1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out.push_back(c);
    } else if (b < 0xA0) {
      const char32_t cp = kCp1252High[b - 0x80];
      append(out, cp == 0 ? char32_t{0xFFFD} : cp);
    } else {
      append(out, b);
    }
  }
  return out;
}

bool charset_known(std::string_view label) {
  const std::string canon = canonical_charset(label);
  if (canon.empty()) return false;
  if (canon == "utf-8" || canon == "us-ascii" || canon == "windows-1252") return true;
  iconv_t cd = iconv_open("UTF-8", canon.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  iconv_close(cd);
  return true;
}

bool convert_strict(std::string_view bytes, std::string_view label, std::string& out) {
  const std::string canon = canonical_charset(label);
  if (canon == "utf-8") {
    if (!is_valid_utf8(bytes)) return false;
    out.assign(bytes);
    return true;
  }
  if (canon == "us-ascii") {
    if (!is_ascii(bytes)) return false;
    out.assign(bytes);
    return true;
  }
  if (canon.empty()) return false;
  iconv_t raw = iconv_open("UTF-8", canon.c_str());
  if (raw == reinterpret_cast<iconv_t>(-1)) return false;
  std::unique_ptr<std::remove_pointer_t<iconv_t>, IconvCloser> cd(raw);
  out.clear();
  std::string in(bytes);
  char* inp = in.data();
  std::size_t inleft = in.size();
  std::array<char, 4096> buf{};
  while (inleft > 0) {
    char* outp = buf.data();
    std::size_t outleft = buf.size();
    const std::size_t rc = iconv(cd.get(), &inp, &inleft, &outp, &outleft);
    out.append(buf.data(), buf.size() - outleft);
    if (rc == static_cast<std::size_t>(-1) && errno != E2BIG) return false;  // EILSEQ / EINVAL
  }
  char* outp = buf.data();
  std::size_t outleft = buf.size();
  iconv(cd.get(), nullptr, nullptr, &outp, &outleft);  // resets the shift state (ISO-2022)
  out.append(buf.data(), buf.size() - outleft);
  return is_valid_utf8(out);
}

std::string detect_charset(std::string_view bytes) {
  uchardet_t ud = uchardet_new();
  if (ud == nullptr) return "";
  std::string result;
  // uchardet is slow on large binary input; a prefix is enough to recognise a charset.
  constexpr std::size_t kDetectBytes = 64 * 1024;
  const std::size_t n = bytes.size() < kDetectBytes ? bytes.size() : kDetectBytes;
  if (uchardet_handle_data(ud, bytes.data(), n) == 0) {
    uchardet_data_end(ud);
    const char* guess = uchardet_get_charset(ud);
    if (guess != nullptr) result = text::to_lower_ascii(guess);
  }
  uchardet_delete(ud);
  if (result == "ascii" || result == "us-ascii") return "";
  return result;
}

std::string to_utf8(std::string_view bytes, std::string_view declared, std::vector<std::string>& warnings,
                    std::string_view where) {
  const std::string canon = canonical_charset(declared);
  if (is_ascii(bytes) && !needs_conversion_even_if_ascii(canon)) return std::string(bytes);
  std::string out;
  const bool known = !canon.empty() && charset_known(canon);
  if (known && convert_strict(bytes, canon, out)) return out;

  const std::string label = text::server_text(declared);
  if (!canon.empty() && !known) {
    if (is_valid_utf8(bytes)) {
      warnings.push_back(std::string(where) + ": unknown charset \"" + label + "\", decoded as UTF-8");
      return std::string(bytes);
    }
    warnings.push_back(std::string(where) + ": unknown charset \"" + label + "\", decoded as windows-1252");
    return windows1252_to_utf8(bytes);
  }
  if (is_valid_utf8(bytes)) {
    if (!canon.empty())
      warnings.push_back(std::string(where) + ": bytes invalid in declared charset \"" + label +
                         "\", decoded as UTF-8");
    return std::string(bytes);
  }
  const std::string guess = detect_charset(bytes);
  if (!guess.empty() && guess != canon && convert_strict(bytes, guess, out)) {
    warnings.push_back(std::string(where) + ": " +
                       (canon.empty() ? std::string("undeclared charset")
                                      : "bytes invalid in declared charset \"" + label + "\"") +
                       ", detected " + guess);
    return out;
  }
  warnings.push_back(std::string(where) + ": " +
                     (canon.empty() ? std::string("undeclared charset")
                                    : "bytes invalid in declared charset \"" + label + "\"") +
                     ", decoded as windows-1252");
  return windows1252_to_utf8(bytes);
}

}  // namespace emailv2::mime
