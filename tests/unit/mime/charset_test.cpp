#include "mime/charset.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_env.h"

namespace emailv2::mime {
namespace {

TEST(Charset, AliasesAreCanonicalised) {
  EXPECT_EQ(canonical_charset("ISO-8859-8-I"), "iso-8859-8");
  EXPECT_EQ(canonical_charset("\"utf8\""), "utf-8");
  EXPECT_EQ(canonical_charset(" ks_c_5601-1987 "), "cp949");
  EXPECT_EQ(canonical_charset("windows-1252\"junk"), "windows-1252");
  EXPECT_EQ(canonical_charset(""), "");
}

TEST(Charset, HostileRowsNeverFail) {
  std::vector<std::string> w;
  // unknown label + invalid UTF-8 → windows-1252 with a warning
  EXPECT_EQ(to_utf8("caf\xE9", "x-no-such-charset", w, "body"), "caf\xC3\xA9");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("unknown charset"), std::string::npos);
  w.clear();
  // unknown label + valid UTF-8 → UTF-8 with a warning
  EXPECT_EQ(to_utf8("caf\xC3\xA9", "bogus", w, "body"), "caf\xC3\xA9");
  EXPECT_EQ(w.size(), 1u);
  w.clear();
  // declared UTF-8 but windows-1252 bytes
  const std::string out = to_utf8("d\xE9j\xE0 vu", "utf-8", w, "body");
  EXPECT_TRUE(is_valid_utf8(out));
  EXPECT_EQ(w.size(), 1u);
  w.clear();
  // the 5 undefined windows-1252 bytes become U+FFFD
  EXPECT_EQ(windows1252_to_utf8("\x81\x80"), "\xEF\xBF\xBD\xE2\x82\xAC");
  // truncated multi-byte sequence in a strict charset
  EXPECT_TRUE(is_valid_utf8(to_utf8("\x1B$B", "iso-2022-jp", w, "body")));
}

TEST(Charset, AsciiPassesThroughWithoutWarnings) {
  std::vector<std::string> w;
  EXPECT_EQ(to_utf8("plain text", "x-unknown", w, "body"), "plain text");
  EXPECT_EQ(to_utf8("plain text", "", w, "body"), "plain text");
  EXPECT_TRUE(w.empty());
}

TEST(Charset, Hebrew8859_8_I) {
  std::vector<std::string> w;
  EXPECT_EQ(to_utf8("\xF9\xEC\xE5\xED", "iso-8859-8-i", w, "body"), "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D");
  EXPECT_TRUE(w.empty());
}

TEST(Charset, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_EQ(sanitize_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
}

// Validation skips ASCII a word (8 bytes) at a time: a bad or multi-byte sequence at every offset around the words'
// edges, after and inside ASCII runs, must be judged exactly as byte by byte.
TEST(Charset, Utf8ValidationAroundAsciiWords) {
  const std::string ascii(40, 'a');
  for (std::size_t at = 0; at <= 24; ++at) {
    SCOPED_TRACE("offset " + std::to_string(at));
    std::string bad = ascii;
    bad.insert(at, "\xFF");
    EXPECT_FALSE(is_valid_utf8(bad));
    EXPECT_EQ(sanitize_utf8(bad), ascii.substr(0, at) + "\xEF\xBF\xBD" + ascii.substr(at));
    std::string truncated = ascii;
    truncated.insert(at, "\xE2\x82");  // "€" without its last byte
    EXPECT_FALSE(is_valid_utf8(truncated));
    std::string euro = ascii;
    euro.insert(at, "\xE2\x82\xAC");  // straddles a word boundary for some offsets
    EXPECT_TRUE(is_valid_utf8(euro));
    EXPECT_EQ(sanitize_utf8(euro), euro);
    std::string surrogate = ascii;
    surrogate.insert(at, "\xED\xA0\x80");
    EXPECT_FALSE(is_valid_utf8(surrogate));
  }
  EXPECT_FALSE(is_valid_utf8(ascii + "\xC3"));  // a lead byte at the very end
  EXPECT_TRUE(is_valid_utf8(std::string(1000, 'x') + "\xC3\xA9" + std::string(3, 'y')));
}

// gmime's charset reference texts: the same text in several charsets must convert to the UTF-8 reference.
TEST(Charset, GmimeReferenceTexts) {
  const auto dir = testing::corpus_dir() / "gmime-charsets";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus not available";
  struct Row {
    const char* file;
    const char* charset;
    const char* reference;
  };
  const Row rows[] = {
      {"cyrillic.cp1251.txt", "windows-1251", "cyrillic.utf-8.txt"},
      {"cyrillic.iso-8859-5.txt", "iso-8859-5", "cyrillic.utf-8.txt"},
      {"cyrillic.koi8-r.txt", "koi8-r", "cyrillic.utf-8.txt"},
      {"japanese.iso-2022-jp.txt", "iso-2022-jp", "japanese.utf-8.txt"},
      {"japanese.shift-jis.txt", "shift_jis", "japanese.utf-8.txt"},
  };
  for (const Row& r : rows) {
    std::vector<std::string> w;
    const std::string got = to_utf8(testing::read_file(dir / r.file), r.charset, w, "body");
    EXPECT_TRUE(got == testing::read_file(dir / r.reference)) << r.file;
    EXPECT_TRUE(w.empty()) << r.file;
  }
  // big5 (the UTF-8 reference holds characters big5 lacks, so only a clean conversion is checked)
  {
    std::vector<std::string> w;
    EXPECT_TRUE(is_valid_utf8(to_utf8(testing::read_file(dir / "chinese.big5.txt"), "big5", w, "body")));
    EXPECT_TRUE(w.empty());
  }
  // Undeclared: detection must find a charset that yields the reference.
  for (const Row& r : {rows[0], rows[2], rows[4]}) {
    std::vector<std::string> w;
    const std::string got = to_utf8(testing::read_file(dir / r.file), "", w, "body");
    EXPECT_TRUE(got == testing::read_file(dir / r.reference)) << "undeclared " << r.file;
    EXPECT_EQ(w.size(), 1u) << r.file;
  }
  // windows-1252 fable: declared cp1252 is fine; undeclared falls back to windows-1252 at worst.
  std::vector<std::string> w;
  EXPECT_TRUE(is_valid_utf8(to_utf8(testing::read_file(dir / "french-fable.cp1252.txt"), "", w, "body")));
}

}  // namespace
}  // namespace emailv2::mime
