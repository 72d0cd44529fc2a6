// MS-OXRTFEX de-encapsulation: HTML and text from encapsulating RTF, plain RTF to text, hostile nesting.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "mime/outlook/rtf_decapsulate.h"

namespace emailv2::mime::outlook {
namespace {

// Shaped like MS-OXRTFEX 3.1 (an HTML document Outlook encapsulated).
constexpr std::string_view kEncapsulatedHtml =
    "{\\rtf1\\ANSI\\ansicpg1251\\fromhtml1 \\deff0{\\fonttbl {\\f0\\fmodern Courier New;}{\\f1\\fswiss Arial;}"
    "{\\f2\\fswiss\\fcharset0 Arial;}}\r\n"
    "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n"
    "{\\*\\htmltag64}\r\n"
    "\\uc1\\pard\\plain\\deftab360 \\f0\\fs24 \r\n"
    "{\\*\\htmltag <HTML><head>\\par <style>\\par <!--\\par .x \\{ color:red; \\}\\par -->\\par </style>}\r\n"
    "{\\*\\htmltag <BODY>}\r\n"
    "{\\*\\htmltag <P>}\\htmlrtf {\\htmlrtf0 Hello\\htmlrtf }\\htmlrtf0  \\'e0\\'e1 \\u1046?\r\n"
    "{\\*\\htmltag </P>}\\htmlrtf \\par \\htmlrtf0 \r\n"
    "{\\*\\mhtmltag <img src=\"cid:x\">}{\\*\\htmltag <img src=\"image001.jpg\">}\r\n"
    "{\\*\\htmltag </BODY></HTML>}}";

TEST(RtfDecapsulate, HtmlFromEncapsulatingRtf) {
  RtfBody body = rtf_to_body(kEncapsulatedHtml, 1252);
  EXPECT_EQ(body.kind, RtfBodyKind::kHtml);
  EXPECT_EQ(body.text,
            "<HTML><head>\r\n<style>\r\n<!--\r\n.x { color:red; }\r\n-->\r\n</style><BODY><P>Hello "
            "\xD0\xB0\xD0\xB1 \xD0\x96</P><img src=\"image001.jpg\"></BODY></HTML>");
  EXPECT_TRUE(body.warnings.empty());
}

TEST(RtfDecapsulate, TextFromEncapsulatingRtf) {
  constexpr std::string_view kText =
      "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\fbidis \\deff0{\\fonttbl\r\n{\\f0\\fswiss Arial;}}\r\n"
      "{\\colortbl\\red0\\green0\\blue0;}\r\n\\uc1\\pard\\plain\\deftab360 \\f0\\fs20 body\\par\r\nline\\tab two\\par\r\n}";
  RtfBody body = rtf_to_body(kText, 1252);
  EXPECT_EQ(body.kind, RtfBodyKind::kText);
  EXPECT_EQ(body.text, "body\r\nline\ttwo\r\n");
}

TEST(RtfDecapsulate, PlainRtfGivesItsVisibleText) {
  constexpr std::string_view kRtf =
      "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\fcharset204 Times;}}{\\info{\\title secret title}}"
      "{\\*\\generator Msftedit;}\\f0 \\'cf\\'f0\\'e8\\'e2\\'e5\\'f2, {\\b world}\\emdash ok\\~!\\par}";
  RtfBody body = rtf_to_body(kRtf, 1252);
  EXPECT_EQ(body.kind, RtfBodyKind::kRtfText);
  // \fcharset204 selects code page 1251 for font 0.
  EXPECT_EQ(body.text, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, world\xE2\x80\x94ok\xC2\xA0!\r\n");
}

TEST(RtfDecapsulate, DefaultFontCodePageAppliesBeforeAnyFontIsSelected) {
  EXPECT_EQ(rtf_to_body("{\\rtf1\\ansi\\deff1{\\fonttbl{\\f0\\fcharset0 A;}{\\f1\\fcharset204 B;}}\\'cf\\f0 \\'cf}", 1252).text,
            "\xD0\x9F\xC3\x8F");
}

TEST(RtfDecapsulate, UnicodeEscapesAndSurrogates) {
  RtfBody body = rtf_to_body("{\\rtf1\\uc2 \\u-10179\\'3f\\'3f\\u-8704??x\\uc0\\u233 y}", 1252);
  EXPECT_EQ(body.text, "\xF0\x9F\x98\x80x\xC3\xA9y");
}

TEST(RtfDecapsulate, CodePageChurnStaysWithinTheParseTimeBudget) {
  // A font (code page) change before every byte: 1 MiB must take well under CONTRACT §6.3's 2 s per MiB.
  std::string rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0\\fcharset204 A;}{\\f1\\fcharset128 B;}}";
  while (rtf.size() < (1u << 20)) rtf += "\\f0\\'cf\\f1\\'82";
  const auto start = std::chrono::steady_clock::now();
  const RtfBody body = rtf_to_body(rtf + "}", 1252);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
  EXPECT_EQ(body.text.substr(0, 5), "\xD0\x9F\xEF\xBF\xBD");  // cp1251 0xCF, then a lone cp932 lead byte: U+FFFD
}

TEST(RtfDecapsulate, HostileInputsNeverFail) {
  // Deep nesting is flattened, not recursed; unbalanced braces and cut escapes are tolerated.
  std::string deep = "{\\rtf1 ";
  deep += std::string(200000, '{');
  deep += "text";
  deep += std::string(200000, '}');
  EXPECT_EQ(rtf_to_body(deep, 1252).text, "text");
  EXPECT_EQ(rtf_to_body("}}}{\\rtf1 a\\'", 1252).text, "a");
  EXPECT_EQ(rtf_to_body("{\\rtf1 \\u99999999999999999999 ?b}", 1252).text.back(), 'b');
  EXPECT_EQ(rtf_to_body("", 1252).text, "");
  // Every prefix of the encapsulated sample is handled, one byte more each time.
  for (std::size_t n = 0; n <= kEncapsulatedHtml.size(); ++n) (void)rtf_to_body(kEncapsulatedHtml.substr(0, n), 1252);
}

}  // namespace
}  // namespace emailv2::mime::outlook
