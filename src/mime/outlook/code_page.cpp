#include "core/utf8.h"
#include "mime/outlook/code_page.h"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <string>
#include <utility>
#include <vector>

namespace emailv2::mime::outlook {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

struct CodePageName {
  std::uint32_t code_page;
  std::string_view name;
};

constexpr std::array kCodePages{
    CodePageName{37, "IBM037"},          CodePageName{437, "CP437"},          CodePageName{850, "CP850"},
    CodePageName{852, "CP852"},          CodePageName{855, "CP855"},          CodePageName{857, "CP857"},
    CodePageName{858, "CP858"},          CodePageName{862, "CP862"},          CodePageName{866, "CP866"},
    CodePageName{874, "CP874"},          CodePageName{932, "CP932"},          CodePageName{936, "CP936"},
    CodePageName{949, "CP949"},          CodePageName{950, "CP950"},          CodePageName{1200, "UTF-16LE"},
    CodePageName{1201, "UTF-16BE"},      CodePageName{1250, "CP1250"},        CodePageName{1251, "CP1251"},
    CodePageName{1252, "CP1252"},        CodePageName{1253, "CP1253"},        CodePageName{1254, "CP1254"},
    CodePageName{1255, "CP1255"},        CodePageName{1256, "CP1256"},        CodePageName{1257, "CP1257"},
    CodePageName{1258, "CP1258"},        CodePageName{10000, "MACINTOSH"},    CodePageName{20127, "ASCII"},
    CodePageName{20866, "KOI8-R"},       CodePageName{20932, "EUC-JP"},       CodePageName{21866, "KOI8-U"},
    CodePageName{28591, "ISO-8859-1"},   CodePageName{28592, "ISO-8859-2"},   CodePageName{28593, "ISO-8859-3"},
    CodePageName{28594, "ISO-8859-4"},   CodePageName{28595, "ISO-8859-5"},   CodePageName{28596, "ISO-8859-6"},
    CodePageName{28597, "ISO-8859-7"},   CodePageName{28598, "ISO-8859-8"},   CodePageName{28599, "ISO-8859-9"},
    CodePageName{28603, "ISO-8859-13"},  CodePageName{28605, "ISO-8859-15"},  CodePageName{38598, "ISO-8859-8"},
    CodePageName{50220, "ISO-2022-JP"},  CodePageName{50221, "ISO-2022-JP"},  CodePageName{50222, "ISO-2022-JP"},
    CodePageName{50225, "ISO-2022-KR"},  CodePageName{51932, "EUC-JP"},       CodePageName{51936, "GB2312"},
    CodePageName{51949, "EUC-KR"},       CodePageName{52936, "HZ"},           CodePageName{54936, "GB18030"},
    CodePageName{65000, "UTF-7"},        CodePageName{65001, "UTF-8"},
};

std::string_view drop_trailing_nuls(std::string_view bytes) {
  while (!bytes.empty() && bytes.back() == '\0') bytes.remove_suffix(1);
  return bytes;
}

// Converts with iconv; every byte the converter rejects becomes U+FFFD and conversion resumes after it.
// Opening a converter costs far more than a short conversion (RTF flushes a few bytes at every font change), so
// each thread keeps the converters it opened; there are at most as many as kCodePages has names.
class ConverterCache {
 public:
  ~ConverterCache() {
    for (auto& [name, cd] : open_) iconv_close(cd);
  }
  iconv_t get(std::string_view charset) {
    for (auto& [name, cd] : open_) {
      if (name == charset) {
        iconv(cd, nullptr, nullptr, nullptr, nullptr);  // back to the initial shift state
        return cd;
      }
    }
    iconv_t cd = iconv_open("UTF-8", std::string(charset).c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return cd;
    open_.emplace_back(std::string(charset), cd);
    return cd;
  }

 private:
  std::vector<std::pair<std::string, iconv_t>> open_;
};

bool convert(std::string_view bytes, std::string_view charset, std::string& out) {
  thread_local ConverterCache cache;
  iconv_t cd = cache.get(charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  bool had_invalid = false;
  std::array<char, 4096> buffer{};
  // iconv's interface takes a non-const input pointer; it never writes through it.
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  while (in_left > 0) {
    char* o = buffer.data();
    std::size_t out_left = buffer.size();
    const std::size_t rc = iconv(cd, &in, &in_left, &o, &out_left);
    out.append(buffer.data(), buffer.size() - out_left);
    if (rc != static_cast<std::size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    // EILSEQ or EINVAL (truncated sequence at the end): replace one byte and go on.
    had_invalid = true;
    append_utf8(out, kReplacement);
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
  }
  char* o = buffer.data();
  std::size_t out_left = buffer.size();
  iconv(cd, nullptr, nullptr, &o, &out_left);
  out.append(buffer.data(), buffer.size() - out_left);
  return !had_invalid;
}

// Charsets in which bytes below 0x80 are ASCII, so pure-ASCII input needs no converter.
bool ascii_compatible(std::string_view charset) {
  return charset != "UTF-16LE" && charset != "UTF-16BE" && charset != "UTF-7" && charset != "HZ" &&
         charset != "IBM037" && charset.substr(0, 8) != "ISO-2022";
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) append_utf8(out, static_cast<unsigned char>(c));
  return out;
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) { utf8::append(out, cp); }

std::string utf16le_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  const std::size_t units = bytes.size() / 2;
  auto unit_at = [&](std::size_t i) {
    return static_cast<char32_t>(static_cast<unsigned char>(bytes[2 * i]) |
                                 (static_cast<unsigned char>(bytes[2 * i + 1]) << 8));
  };
  std::size_t end = units;
  while (end > 0 && unit_at(end - 1) == 0) --end;
  for (std::size_t i = 0; i < end; ++i) {
    const char32_t u = unit_at(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < end) {
      const char32_t low = unit_at(i + 1);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        ++i;
        continue;
      }
    }
    append_utf8(out, (u >= 0xD800 && u <= 0xDFFF) ? kReplacement : u);
  }
  if (bytes.size() % 2 != 0 && end == units) append_utf8(out, kReplacement);
  return out;
}

std::uint32_t ansi_code_page_for(std::uint32_t code_page) {
  struct Mapping {
    std::uint32_t from, to;
  };
  static constexpr std::array kMappings{
      Mapping{50220, 932},   Mapping{50221, 932},   Mapping{50222, 932},   Mapping{51932, 932},
      Mapping{20932, 932},   Mapping{50225, 949},   Mapping{51949, 949},   Mapping{52936, 936},
      Mapping{51936, 936},   Mapping{54936, 936},   Mapping{20127, 1252},  Mapping{65000, 1252},
      Mapping{28591, 1252},  Mapping{28605, 1252},  Mapping{28592, 1250},  Mapping{28595, 1251},
      Mapping{20866, 1251},  Mapping{21866, 1251},  Mapping{28597, 1253},  Mapping{28599, 1254},
      Mapping{28598, 1255},  Mapping{38598, 1255},  Mapping{28596, 1256},  Mapping{28594, 1257},
      Mapping{28603, 1257},  Mapping{10000, 1252}};
  for (const Mapping& m : kMappings) {
    if (m.from == code_page) return m.to;
  }
  if ((code_page >= 1250 && code_page <= 1258) || code_page == 874 || code_page == 932 || code_page == 936 ||
      code_page == 949 || code_page == 950 || code_page == 65001) {
    return code_page;
  }
  return 0;
}

std::string_view code_page_charset(std::uint32_t code_page) {
  for (const auto& entry : kCodePages) {
    if (entry.code_page == code_page) return entry.name;
  }
  return {};
}

DecodedText decode_code_page(std::string_view bytes, std::uint32_t code_page) {
  DecodedText result;
  bytes = drop_trailing_nuls(bytes);
  std::string_view charset = code_page_charset(code_page);
  if (charset.empty()) {
    result.code_page_known = false;
    charset = "CP1252";
  }
  if (charset == "UTF-8") {
    if (is_valid_utf8(bytes)) {
      result.utf8.assign(bytes);
      return result;
    }
  } else if (ascii_compatible(charset)) {
    bool ascii = true;
    for (char c : bytes) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
      result.utf8.assign(bytes);
      return result;
    }
  }
  if (!convert(bytes, charset, result.utf8)) {
    result.had_invalid = true;
    if (result.utf8.empty() && !bytes.empty()) result.utf8 = latin1_to_utf8(bytes);
  }
  return result;
}

bool is_valid_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > bytes.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(bytes[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::array<char32_t, 5> kMin{0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

namespace {

// Decodes one code point at `i` (advancing it); invalid sequences yield U+FFFD and consume one byte.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + len > s.size() || !is_valid_utf8(s.substr(i, len))) {
    ++i;
    return kReplacement;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

void append_unit(std::string& out, char32_t unit) {
  out += static_cast<char>(unit & 0xFF);
  out += static_cast<char>((unit >> 8) & 0xFF);
}

}  // namespace

std::string utf8_to_utf16le(std::string_view utf8) {
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const char32_t cp = next_code_point(utf8, i);
    if (cp >= 0x10000) {
      append_unit(out, 0xD800 + ((cp - 0x10000) >> 10));
      append_unit(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      append_unit(out, cp);
    }
  }
  return out;
}

std::size_t utf16_length(std::string_view utf8) { return utf8_to_utf16le(utf8).size() / 2; }

}  // namespace emailv2::mime::outlook
