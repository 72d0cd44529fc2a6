#pragma once
// Text decoding shared by the .msg, RTF and TNEF readers: UTF-16LE and Windows code pages to UTF-8.
// Pure functions over bytes; never fail: undecodable bytes become U+FFFD and the caller is told so.

#include <cstdint>
#include <string>
#include <string_view>

namespace emailv2::mime::outlook {

constexpr std::uint32_t kCodePageWindows1252 = 1252;
constexpr std::uint32_t kCodePageUtf8 = 65001;

struct DecodedText {
  std::string utf8;
  bool code_page_known = true;  // false: the code page had no converter and windows-1252 was used
  bool had_invalid = false;     // some bytes were not valid in the code page and became U+FFFD
};

// UTF-16LE to UTF-8. Trailing NUL code units are dropped; unpaired surrogates and an odd last byte become U+FFFD.
std::string utf16le_to_utf8(std::string_view bytes);

// Bytes in a Windows code page (e.g. 1252, 932, 65001, 28591) to UTF-8. Trailing NUL bytes are dropped.
DecodedText decode_code_page(std::string_view bytes, std::uint32_t code_page);

// The Windows ANSI code page of the same script as an internet code page (e.g. 50220 ISO-2022-JP -> 932,
// 28591 -> 1252); the code page itself when it is already an ANSI one, 0 when unknown. Non-Unicode .msg files keep
// PT_STRING8 text in the writer's ANSI code page, which PR_INTERNET_CPID only hints at.
std::uint32_t ansi_code_page_for(std::uint32_t code_page);

// The converter name for a Windows code page, or an empty view when there is none.
std::string_view code_page_charset(std::uint32_t code_page);

bool is_valid_utf8(std::string_view bytes);
// UTF-8 to UTF-16LE (invalid sequences become U+FFFD); used when writing CFB names.
std::string utf8_to_utf16le(std::string_view utf8);
// The number of UTF-16 code units `utf8` needs.
std::size_t utf16_length(std::string_view utf8);
void append_utf8(std::string& out, char32_t code_point);

}  // namespace emailv2::mime::outlook
