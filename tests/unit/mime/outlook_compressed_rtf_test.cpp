// MS-OXRTFCP decompression: the specification's example, the uncompressed form, and hostile headers.
#include <gtest/gtest.h>

#include <string>

#include "mime/outlook/compressed_rtf.h"

namespace emailv2::mime::outlook {
namespace {

std::string bytes(std::initializer_list<unsigned char> list) {
  std::string out;
  for (unsigned char c : list) out += static_cast<char>(c);
  return out;
}

void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// MS-OXRTFCP 3.1.1 example 1.
const std::string kSpecExample = bytes({0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1,
                                        0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32,
                                        0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62,
                                        0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0});
const std::string kSpecText = "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";

// Encodes `text` as literals only (control byte 0 per 8 bytes) followed by the end marker.
std::string literal_lzfu(std::string_view text) {
  std::string data;
  std::size_t write = 207;  // the initial dictionary length
  std::size_t i = 0;
  for (;;) {
    const std::size_t control_at = data.size();
    data += '\0';
    int bit = 0;
    for (; bit < 8 && i < text.size(); ++bit, ++i, write = (write + 1) % 4096) data += text[i];
    if (bit < 8) {
      data[control_at] = static_cast<char>(data[control_at] | (1 << bit));
      data += static_cast<char>((write >> 4) & 0xFF);
      data += static_cast<char>((write & 0xF) << 4);
      break;
    }
  }
  std::string out(16, '\0');
  put_u32(out, 0, static_cast<std::uint32_t>(data.size() + 12));
  put_u32(out, 4, static_cast<std::uint32_t>(text.size()));
  put_u32(out, 8, 0x75465A4C);
  put_u32(out, 12, rtf_crc32(data));
  return out + data;
}

TEST(CompressedRtf, SpecificationExampleDecodes) {
  auto result = decompress_rtf(kSpecExample);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->rtf, kSpecText);
  EXPECT_TRUE(result->warnings.empty());
}

TEST(CompressedRtf, LiteralStreamsRoundTripAtEveryLength) {
  const std::string text = "{\\rtf1 0123456789abcdefghijklmnopqrstuvwxyz}";
  for (std::size_t n = 0; n <= text.size(); ++n) {
    auto result = decompress_rtf(literal_lzfu(text.substr(0, n)));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->rtf, text.substr(0, n));
    EXPECT_TRUE(result->warnings.empty()) << result->warnings.front();
  }
}

TEST(CompressedRtf, UncompressedMelaForm) {
  std::string mela(16, '\0');
  put_u32(mela, 0, 12 + 5);
  put_u32(mela, 4, 5);
  put_u32(mela, 8, 0x414C454D);
  auto result = decompress_rtf(mela + "{\\rtf");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->rtf, "{\\rtf");
}

TEST(CompressedRtf, HostileInputs) {
  // Too short for a header, unknown type: errors.
  EXPECT_FALSE(decompress_rtf("short"));
  std::string unknown = kSpecExample;
  put_u32(unknown, 8, 0x12345678);
  EXPECT_FALSE(decompress_rtf(unknown));

  // CRC mismatch: a warning, the text is still decoded.
  std::string bad_crc = kSpecExample;
  bad_crc[12] = static_cast<char>(bad_crc[12] ^ 1);
  auto crc = decompress_rtf(bad_crc);
  ASSERT_TRUE(crc);
  EXPECT_EQ(crc->rtf, kSpecText);
  ASSERT_FALSE(crc->warnings.empty());
  EXPECT_NE(crc->warnings.front().find("CRC"), std::string::npos);

  // A declared raw size of 4 GiB is not trusted for allocation, and output stops at the cap or the data.
  std::string huge = kSpecExample;
  put_u32(huge, 4, 0xFFFFFFFF);
  auto capped = decompress_rtf(huge);
  ASSERT_TRUE(capped);
  EXPECT_EQ(capped->rtf, kSpecText);

  // A declared raw size smaller than the data cuts the output.
  std::string small = kSpecExample;
  put_u32(small, 4, 5);
  EXPECT_EQ(decompress_rtf(small)->rtf, "{\\rtf");

  // Every prefix decodes without crashing.
  for (std::size_t n = 16; n <= kSpecExample.size(); ++n) EXPECT_TRUE(decompress_rtf(kSpecExample.substr(0, n)));
}

TEST(CompressedRtf, CrcOfKnownData) {
  EXPECT_EQ(rtf_crc32(""), 0u);
  EXPECT_EQ(rtf_crc32(kSpecExample.substr(16)), 0xA7C7C5F1u);
}

}  // namespace
}  // namespace emailv2::mime::outlook
