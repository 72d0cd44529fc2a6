// CONTRACT §6.4 on-disk names: one row per rule, hostile rows first.
#include "core/file_names.h"

#include <gtest/gtest.h>

#include <string>

namespace emailv2::file_names {
namespace {

struct Row {
  std::string in;
  std::string want;
};

class SanitiseTable : public ::testing::TestWithParam<Row> {};

TEST_P(SanitiseTable, MapsToExpectedName) { EXPECT_EQ(sanitise(GetParam().in), GetParam().want); }

const std::string kRlo = "\xE2\x80\xAE";  // U+202E RIGHT-TO-LEFT OVERRIDE

INSTANTIATE_TEST_SUITE_P(
    Rules, SanitiseTable,
    ::testing::Values(
        // (2) separators, traversal, controls
        Row{"../../etc/passwd", "_.._etc_passwd"}, Row{"/etc/passwd", "_etc_passwd"},
        Row{"..\\..\\win.ini", "_.._win.ini"}, Row{std::string("a\0b.txt", 7), "a_b.txt"},
        Row{"a\r\nb.txt", "a__b.txt"}, Row{"a\x01\x1f\x7f.txt", "a___.txt"}, Row{"tab\there", "tab_here"},
        Row{"a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h"},
        // bidi controls U+202A–U+202E and U+2066–U+2069, each one `_`
        Row{"invoice" + kRlo + "fdp.exe", "invoice_fdp.exe"}, Row{"\xE2\x80\xAA" "x", "_x"},
        Row{"\xE2\x80\xAD" "x", "_x"}, Row{"\xE2\x81\xA6" "x\xE2\x81\xA9", "_x_"},
        Row{"\xE2\x80\xA9" "x", "\xE2\x80\xA9" "x"},  // U+2029 is not a bidi control: kept
        // invalid UTF-8 bytes each become `_`
        Row{"a\xff\xfe.txt", "a__.txt"}, Row{"\xC0\xAF", "__"}, Row{"\xED\xA0\x80", "___"},
        // (3) leading/trailing dots and spaces
        Row{"...hidden", "hidden"}, Row{"  name.txt  ", "name.txt"}, Row{"name.txt...", "name.txt"},
        Row{". . a . .", "a"},
        // (4) device names, bare and with extensions, any case; leading `-`
        Row{"CON", "_CON"}, Row{"con.txt", "_con.txt"}, Row{"nul.tar.gz", "_nul.tar.gz"}, Row{"Aux", "_Aux"},
        Row{"prn.", "_prn"}, Row{"COM1", "_COM1"}, Row{"com9.log", "_com9.log"}, Row{"LPT1.txt", "_LPT1.txt"},
        Row{"lpt9", "_lpt9"}, Row{"con .txt", "_con .txt"}, Row{" nul", "_nul"},
        Row{"COM0", "COM0"}, Row{"COM10", "COM10"}, Row{"console.txt", "console.txt"}, Row{"xcon", "xcon"},
        Row{"-rf", "_-rf"}, Row{"--help.txt", "_--help.txt"}, Row{"a-b", "a-b"},
        // ordinary names pass unchanged, non-ASCII kept
        Row{"report.pdf", "report.pdf"}, Row{"Rechnung f\xC3\xBCr M\xC3\xA4rz.pdf", "Rechnung f\xC3\xBCr M\xC3\xA4rz.pdf"},
        Row{"\xE6\x97\xA5\xE6\x9C\xAC.docx", "\xE6\x97\xA5\xE6\x9C\xAC.docx"}, Row{"a b (1).txt", "a b (1).txt"}));

bool is_undefined_name(const std::string& s, const std::string& ext) {
  // Undefined_ + 36-char UUID v4 + ext
  if (s.rfind("Undefined_", 0) != 0 || s.size() != 10 + 36 + ext.size()) return false;
  if (s.substr(46) != ext) return false;
  const std::string uuid = s.substr(10, 36);
  return uuid[8] == '-' && uuid[13] == '-' && uuid[14] == '4' && uuid[18] == '-' && uuid[23] == '-';
}

TEST(Sanitise, EmptyDotAndDotDotBecomeUndefinedUuid) {
  for (const std::string in : {"", ".", "..", "...", "  ", " . ", ". .", "...."}) {
    const std::string out = sanitise(in);
    EXPECT_TRUE(is_undefined_name(out, "")) << "'" << in << "' -> " << out;
  }
  EXPECT_NE(sanitise(""), sanitise("")) << "each Undefined name is unique";
}

TEST(Sanitise, CutsTo200BytesKeepingTheExtension) {
  const std::string out = sanitise(std::string(10'000, 'a') + ".pdf");
  EXPECT_EQ(out.size(), kMaxNameBytes);
  EXPECT_EQ(out, std::string(196, 'a') + ".pdf");
}

TEST(Sanitise, CutsAtAUtf8CharacterBoundary) {
  std::string in;
  for (int i = 0; i < 100; ++i) in += "\xE2\x82\xAC";  // € is 3 bytes: 300 bytes
  in += ".txt";
  const std::string out = sanitise(in);
  ASSERT_LE(out.size(), kMaxNameBytes);
  EXPECT_EQ(out.size(), 65 * 3 + 4u);  // 196 bytes of stem room hold 65 whole euros
  EXPECT_EQ(out.substr(out.size() - 4), ".txt");
}

TEST(Sanitise, ExactlyTwoHundredBytesIsKept) {
  const std::string in = std::string(196, 'b') + ".txt";
  EXPECT_EQ(sanitise(in), in);
  const std::string over = std::string(197, 'b') + ".txt";
  EXPECT_EQ(sanitise(over), in);
}

TEST(Sanitise, CutThatExposesTrailingDotsOrSpacesStripsThem) {
  const std::string in = "x" + std::string(194, 'a') + std::string(10, ' ') + ".txt";
  const std::string out = sanitise(in);
  EXPECT_EQ(out, "x" + std::string(194, 'a') + ".txt");
}

TEST(Sanitise, OverlongTailIsNotAnExtension) {
  const std::string in = "a." + std::string(300, 'z');
  const std::string out = sanitise(in);
  EXPECT_EQ(out.size(), kMaxNameBytes);
  EXPECT_EQ(out, "a." + std::string(198, 'z'));
}

TEST(Sanitise, DeviceNameStaysPrefixedAfterTheCut) {
  const std::string out = sanitise("con." + std::string(300, 'x') + ".txt");
  EXPECT_EQ(out.substr(0, 4), "_con");
  EXPECT_LE(out.size(), kMaxNameBytes);
  EXPECT_EQ(out.substr(out.size() - 4), ".txt");
}

// fuzz_file_names regression: the 200-byte cut dropped trailing spaces and exposed a bare device name.
TEST(Sanitise, CutThatExposesADeviceNameStillPrefixesIt) {
  EXPECT_EQ(sanitise("aux" + std::string(205, ' ') + "]"), "_aux");
  const std::string dashed = sanitise("-" + std::string(300, 'a'));
  EXPECT_EQ(dashed, "_-" + std::string(198, 'a'));
}

TEST(Extension, LastDotNotLeadingAndBounded) {
  EXPECT_EQ(extension("a.tar.gz"), ".gz");
  EXPECT_EQ(extension("a"), "");
  EXPECT_EQ(extension(".bashrc"), "");
  EXPECT_EQ(extension("a."), "");
  EXPECT_EQ(extension("a." + std::string(31, 'x')), "." + std::string(31, 'x'));
  EXPECT_EQ(extension("a." + std::string(32, 'x')), "");
}

TEST(ClashSuffix, GoesBeforeTheExtension) {
  EXPECT_EQ(with_clash_suffix("a.txt", 1), "a.txt");
  EXPECT_EQ(with_clash_suffix("a.txt", 2), "a (2).txt");
  EXPECT_EQ(with_clash_suffix("a", 3), "a (3)");
  EXPECT_EQ(with_clash_suffix("_nul.tar.gz", 10), "_nul.tar (10).gz");
  const std::string full = std::string(196, 'a') + ".pdf";
  EXPECT_LE(with_clash_suffix(full, 4'000'000'000u).size(), kMaxNameBytes + kMaxClashSuffixBytes);
}

TEST(RandomUuid, IsVersion4AndVaries) {
  const std::string a = random_uuid();
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);
  EXPECT_NE(a, random_uuid());
}

}  // namespace
}  // namespace emailv2::file_names
