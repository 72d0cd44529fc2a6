#include "core/text.h"

#include <gtest/gtest.h>

namespace emailv2::text {
namespace {

TEST(NormaliseName, ContractExamples) {
  EXPECT_EQ(normalise_name("Sender's Address"), "sender-s-address");
  EXPECT_EQ(normalise_name("SMTP \xE2\x80\x93 Use SSL"), "smtp-use-ssl");
  EXPECT_EQ(normalise_name("Wait for all recipients to reply?"), "wait-for-all-recipients-to-reply");
  EXPECT_EQ(normalise_name("Send Email"), "send-email");
  EXPECT_EQ(normalise_name("--already-normal--"), "already-normal");
  EXPECT_EQ(normalise_name("How long to wait for recipient reply (minutes)"),
            "how-long-to-wait-for-recipient-reply-minutes");
  EXPECT_EQ(normalise_name(""), "");
}

TEST(EchoValue, EscapesControlCharactersAndCutsAt200) {
  EXPECT_EQ(echo_value("a\r\nb\0c"), "a\\r\\nb");  // std::string_view from a literal stops at NUL
  EXPECT_EQ(echo_value(std::string_view("a\0b\x01", 4)), "a\\0b\\x01");
  EXPECT_EQ(echo_value(std::string(250, 'x')).size(), 200u);
  // 200 characters, not bytes: two-byte characters are kept whole.
  std::string accents;
  for (int i = 0; i < 201; ++i) accents += "\xC3\xA9";
  EXPECT_EQ(echo_value(accents).size(), 400u);
}

TEST(ServerText, RemovesControlsAndCutsAt300) {
  EXPECT_EQ(server_text("Invalid\r\n credentials\x07"), "Invalid credentials");
  EXPECT_EQ(server_text(std::string(301, 'y')).size(), 300u);
}

TEST(LineBreaks, DetectsCrLfNul) {
  EXPECT_TRUE(has_line_breaks_or_nul("a\rb"));
  EXPECT_TRUE(has_line_breaks_or_nul("a\nb"));
  EXPECT_TRUE(has_line_breaks_or_nul(std::string_view("a\0b", 3)));
  EXPECT_FALSE(has_line_breaks_or_nul("a\tb"));
}

TEST(Utf8Prefix, NeverSplitsACharacter) {
  const std::string s = "ab\xE2\x82\xAC";  // "ab€"
  EXPECT_EQ(utf8_prefix(s, 4), "ab");
  EXPECT_EQ(utf8_prefix(s, 5), s);
  EXPECT_EQ(utf8_prefix(s, 2), "ab");
  EXPECT_EQ(utf8_prefix(s, 100), s);
}

TEST(Base64, RoundTripsAllLengths) {
  for (std::size_t n = 0; n < 10; ++n) {
    std::string in;
    for (std::size_t i = 0; i < n; ++i) in += static_cast<char>(i * 37 + 1);
    std::string out;
    ASSERT_TRUE(base64_decode(base64_encode(in), out));
    EXPECT_EQ(out, in);
  }
  EXPECT_EQ(base64_encode(std::string_view("\0user\0pass", 10)), "AHVzZXIAcGFzcw==");
  std::string bad;
  EXPECT_FALSE(base64_decode("@@@", bad));
}

TEST(AsciiCase, ComparesIgnoringCase) {
  EXPECT_TRUE(iequals_ascii("INBOX", "Inbox"));
  EXPECT_FALSE(iequals_ascii("INBOX", "Inbo"));
  EXPECT_TRUE(istarts_with_ascii("Re: hi", "RE:"));
  EXPECT_EQ(trim("  x y \r\n"), "x y");
}

}  // namespace
}  // namespace emailv2::text
