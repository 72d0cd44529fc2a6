#include "mime/encoded_words.h"

#include <optional>

#include "core/text.h"
#include "mime/charset.h"

namespace emailv2::mime {
namespace {

struct Word {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past "?="
  std::string charset;
  std::string bytes;    // decoded, still in `charset`
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode_q(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      out.push_back(' ');
    } else if (s[i] == '=' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Lenient base64: characters outside the alphabet are skipped, missing padding tolerated.
std::string decode_b(std::string_view s) {
  std::string out;
  unsigned int acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=') break;
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<unsigned int>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFFu));
    }
  }
  return out;
}

// Parses the encoded word starting at value[pos] ("=?"); nullopt when it is not a well-formed word.
// Longest encoded word we look for (RFC 2047 allows 75; real mail exceeds it). Bounding the search keeps hostile
// headers ("=?a?q?" repeated) linear.
constexpr std::size_t kMaxWordBytes = 4096;

std::optional<Word> parse_word(std::string_view full, std::size_t pos) {
  const std::string_view value = full.substr(0, pos + kMaxWordBytes < full.size() ? pos + kMaxWordBytes : full.size());
  const std::size_t q1 = value.find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 == pos + 2) return std::nullopt;
  if (q1 + 2 >= value.size() || value[q1 + 2] != '?') return std::nullopt;
  const char enc = value[q1 + 1];
  if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') return std::nullopt;
  const std::size_t close = value.find("?=", q1 + 3);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view charset_lang = value.substr(pos + 2, q1 - pos - 2);
  if (charset_lang.find_first_of(" \t\r\n") != std::string_view::npos) return std::nullopt;
  const std::string_view payload = value.substr(q1 + 3, close - q1 - 3);
  if (payload.find_first_of(" \t\r\n") != std::string_view::npos && enc != 'B' && enc != 'b') return std::nullopt;
  Word w;
  w.begin = pos;
  w.end = close + 2;
  w.charset = std::string(charset_lang.substr(0, charset_lang.find('*')));  // RFC 2231 §5 language suffix
  w.bytes = (enc == 'B' || enc == 'b') ? decode_b(payload) : decode_q(payload);
  return w;
}

bool only_whitespace(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

}  // namespace

std::string decode_encoded_words(std::string_view value, std::vector<std::string>& warnings,
                                 std::string_view fallback_charset) {
  std::string out;
  std::string pending_charset;
  std::string pending_bytes;
  bool have_pending = false;
  auto flush = [&] {
    if (!have_pending) return;
    out += to_utf8(pending_bytes, pending_charset, warnings, "encoded word");
    pending_bytes.clear();
    have_pending = false;
  };
  auto literal = [&](std::string_view s) {
    if (s.empty()) return;
    out += to_utf8(s, fallback_charset, warnings, "raw header");
  };
  std::size_t pos = 0;
  std::size_t text_from = 0;  // start of literal text not yet emitted
  bool prev_was_word = false;
  while (pos < value.size()) {
    const std::size_t start = value.find("=?", pos);
    if (start == std::string_view::npos) break;
    std::optional<Word> w = parse_word(value, start);
    if (!w) {
      pos = start + 2;
      continue;
    }
    const std::string_view gap = value.substr(text_from, start - text_from);
    if (!(prev_was_word && only_whitespace(gap))) {
      flush();
      literal(gap);
    }
    const std::string canon = canonical_charset(w->charset);
    if (have_pending && canon != pending_charset) flush();
    if (!have_pending) {
      pending_charset = canon;
      have_pending = true;
    }
    pending_bytes += w->bytes;
    pos = text_from = w->end;
    prev_was_word = true;
  }
  flush();
  literal(value.substr(text_from));
  return out;
}

bool needs_encoding(std::string_view utf8) {
  for (char c : utf8) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || b < 0x20 || b == 0x7F) return true;
  }
  return utf8.find("=?") != std::string_view::npos;
}

std::string encode_words(std::string_view utf8) {
  // "=?UTF-8?B?" + "?=" = 12 characters; 75 - 12 = 63 → at most 45 input bytes (60 base64 characters) per word.
  constexpr std::size_t kMaxChunk = 45;
  std::string out;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const std::string_view chunk = text::utf8_prefix(utf8.substr(pos), kMaxChunk);
    const std::size_t take = chunk.empty() ? 1 : chunk.size();  // invalid lead byte: take it alone
    if (!out.empty()) out += ' ';
    out += "=?UTF-8?B?" + text::base64_encode(utf8.substr(pos, take)) + "?=";
    pos += take;
  }
  return out;
}

}  // namespace emailv2::mime
