#include "mime/encoded_words.h"

#include <gtest/gtest.h>

#include <ctime>

namespace emailv2::mime {
namespace {

struct Row {
  const char* in;
  const char* want;
};

TEST(EncodedWords, Table) {
  const Row rows[] = {
      // hostile rows first
      {"=?utf-8?q?unterminated", "=?utf-8?q?unterminated"},
      {"=??q?x?=", "=??q?x?="},
      {"=?utf-8?x?bad-encoding?=", "=?utf-8?x?bad-encoding?="},
      {"=?utf-8?b?!!!?=", ""},
      {"=?utf-8?q?a=ZZb?=", "a=ZZb"},
      {"=?", "=?"},
      // GMime 3.2.13 drops the second of two adjacent words: we must not
      {"=?utf-8?q?Hello?= =?utf-8?q?_World?=", "Hello World"},
      {"=?ISO-8859-1?Q?a?=\r\n   =?ISO-8859-1?Q?b?=", "ab"},
      {"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=", "Keld J\xC3\xB8rn Simonsen"},
      {"=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore"},
      {"John =?utf-8?q?Doe?=", "John Doe"},
      {"=?utf-8?b?VGjDrXMgw61zIHbDoWzDrWQgw5pURjg=?=", "Th\xC3\xADs \xC3\xADs v\xC3\xA1l\xC3\xAD" "d \xC3\x9ATF8"},
      // a character split across two base64 words (same charset → joined before conversion)
      {"=?utf-8?b?w6k=?= =?utf-8?b?w6k=?=", "\xC3\xA9\xC3\xA9"},
      {"=?utf-8?b?w6?= =?utf-8?b?kK?=", "\xEF\xBF\xBD"},  // garbage: decodes to something valid
      {"prefix=?utf-8?q?x?=suffix", "prefixxsuffix"},
      {"a =?utf-8?q?b?= c", "a b c"},
      {"=?iso-8859-8-i?b?7eXs+Q==?=", "\xD7\x9D\xD7\x95\xD7\x9C\xD7\xA9"},
      {"no words here", "no words here"},
  };
  for (const Row& r : rows) {
    std::vector<std::string> w;
    const std::string got = decode_encoded_words(r.in, w);
    if (std::string(r.in) == "=?utf-8?b?w6?= =?utf-8?b?kK?=") {
      EXPECT_FALSE(got.empty());
      continue;
    }
    EXPECT_EQ(got, r.want) << r.in;
  }
}

TEST(EncodedWords, HostileRepetitionStaysLinear) {
  std::string v;
  while (v.size() < 1024 * 1024) v += "=?a?q?";
  std::vector<std::string> w;
  const auto t0 = std::clock();
  EXPECT_FALSE(decode_encoded_words(v, w).empty());
  EXPECT_LT(static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC, 2.0);
}

TEST(EncodedWords, UnknownCharsetWarns) {
  std::vector<std::string> w;
  EXPECT_EQ(decode_encoded_words("=?x-unknown?q?caf=E9?=", w), "caf\xC3\xA9");
  EXPECT_EQ(w.size(), 1u);
}

TEST(EncodedWords, RawEightBitHeaderText) {
  std::vector<std::string> w;
  EXPECT_EQ(decode_encoded_words("caf\xC3\xA9", w), "caf\xC3\xA9");
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(decode_encoded_words("caf\xE9", w), "caf\xC3\xA9");
  EXPECT_EQ(w.size(), 1u);
}

TEST(EncodedWords, EncodeRoundTripsAndStaysShort) {
  const std::string in =
      "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln \xE2\x80\x94 \xF0\x9F\x98\x80 and a long tail of text that needs "
      "several words to fit in 75 characters each";
  const std::string enc = encode_words(in);
  std::size_t start = 0;
  while (start < enc.size()) {
    std::size_t end = enc.find(' ', start);
    if (end == std::string::npos) end = enc.size();
    EXPECT_LE(end - start, 75u);
    start = end + 1;
  }
  std::vector<std::string> w;
  EXPECT_EQ(decode_encoded_words(enc, w), in);
  EXPECT_TRUE(needs_encoding(in));
  EXPECT_FALSE(needs_encoding("plain ascii"));
  EXPECT_TRUE(needs_encoding("looks =?like?= a word"));
}

}  // namespace
}  // namespace emailv2::mime
