#include "smtp/extensions.h"

#include <gtest/gtest.h>

#include "smtp/sasl.h"

namespace emailv2::smtp {
namespace {

Reply parse(std::string_view bytes) {
  ReplyParser parser;
  EXPECT_EQ(parser.feed(bytes).status, ParseStatus::kDone);
  return parser.take();
}

TEST(Extensions, HostileLinesAreIgnoredNotFatal) {
  const auto ext =
      Extensions::from_ehlo(parse("250-STARTTLS greets you\r\n"  // the first line is the domain, never an extension
                                  "250--BOGUS\r\n"
                                  "250-\r\n"
                                  "250- \r\n"
                                  "250-X\x01Y\r\n"
                                  "250-SIZE=100\r\n"
                                  "250-AUTH PLAIN\rX-INJECTED\r\n"
                                  "250-STARTTLS\x1b[0m\r\n"
                                  "250 P1PE:LINING\r\n"));
  EXPECT_FALSE(ext.starttls());
  EXPECT_FALSE(ext.size().has_value());
  EXPECT_TRUE(ext.lines().empty());
  EXPECT_TRUE(ext.auth_mechanisms().empty());
}

TEST(Extensions, KnownKeywordsCaseInsensitive) {
  const auto ext =
      Extensions::from_ehlo(parse("250-mail.lab.test Hello\r\n"
                                  "250-pipelining\r\n"
                                  "250-SIZE 10240000\r\n"
                                  "250-STARTTLS\r\n"
                                  "250-8BITMIME\r\n"
                                  "250-SMTPUTF8\r\n"
                                  "250-ENHANCEDSTATUSCODES\r\n"
                                  "250-X-CUSTOM a b\r\n"
                                  "250 DSN\r\n"));
  EXPECT_TRUE(ext.pipelining());
  EXPECT_TRUE(ext.starttls());
  EXPECT_TRUE(ext.eight_bit_mime());
  EXPECT_TRUE(ext.smtputf8());
  EXPECT_TRUE(ext.enhanced_status_codes());
  EXPECT_TRUE(ext.has("x-custom"));
  EXPECT_TRUE(ext.has("Dsn"));
  EXPECT_FALSE(ext.has("CHUNKING"));
  EXPECT_EQ(ext.size(), 10240000u);
  EXPECT_EQ(ext.lines(), (std::vector<std::string>{"PIPELINING", "SIZE 10240000", "STARTTLS", "8BITMIME", "SMTPUTF8",
                                                   "ENHANCEDSTATUSCODES", "X-CUSTOM a b", "DSN"}));
}

TEST(Extensions, SizeParameter) {
  struct Case {
    const char* line;
    std::optional<std::uint64_t> size;
  };
  const std::vector<Case> cases = {
      {"SIZE 99999999999999999999999", 0},  // overflow: no usable limit
      {"SIZE 18446744073709551616", 0},     // 2^64
      {"SIZE -1", 0},
      {"SIZE abc", 0},
      {"SIZE", 0},
      {"SIZE 0", 0},
      {"SIZE 18446744073709551615", 18446744073709551615ULL},
      {"SIZE 52428800", 52428800},
      {"size   1000", 1000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    const auto ext = Extensions::from_ehlo(parse("250-x\r\n250 " + std::string(c.line) + "\r\n"));
    EXPECT_EQ(ext.size(), c.size);
  }
}

TEST(Extensions, AuthMechanismsMergedFromBothForms) {
  const auto ext =
      Extensions::from_ehlo(parse("250-x\r\n"
                                  "250-AUTH login plain\r\n"
                                  "250-AUTH=PLAIN LOGIN XOAUTH2\r\n"
                                  "250 AUTH\r\n"));
  EXPECT_EQ(ext.auth_mechanisms(), (std::vector<std::string>{"LOGIN", "PLAIN", "XOAUTH2"}));
  EXPECT_TRUE(ext.supports_auth("xoauth2"));
  EXPECT_FALSE(ext.supports_auth("CRAM-MD5"));
  const auto old_only = Extensions::from_ehlo(parse("250-x\r\n250 AUTH=LOGIN\r\n"));
  EXPECT_EQ(old_only.auth_mechanisms(), std::vector<std::string>{"LOGIN"});
}

TEST(Sasl, MechanismOrder) {
  const auto all = Extensions::from_ehlo(parse("250-x\r\n250 AUTH LOGIN PLAIN XOAUTH2\r\n"));
  const auto login = Extensions::from_ehlo(parse("250-x\r\n250 AUTH LOGIN CRAM-MD5\r\n"));
  const auto cram = Extensions::from_ehlo(parse("250-x\r\n250 AUTH CRAM-MD5\r\n"));
  const auto none = Extensions::from_ehlo(parse("250 x\r\n"));
  EXPECT_EQ(choose_auth_mechanism(all, false, "h:1").value(), "PLAIN");
  EXPECT_EQ(choose_auth_mechanism(all, true, "h:1").value(), "XOAUTH2");
  EXPECT_EQ(choose_auth_mechanism(login, false, "h:1").value(), "LOGIN");
  const auto no_xoauth = choose_auth_mechanism(login, true, "h:1");
  ASSERT_FALSE(no_xoauth);
  EXPECT_EQ(no_xoauth.error().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(no_xoauth.error().detail(),
            "SMTP server h:1 offers no usable AUTH mechanism (wanted XOAUTH2, offered LOGIN CRAM-MD5)");
  EXPECT_EQ(choose_auth_mechanism(cram, false, "h:1").error().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(choose_auth_mechanism(none, false, "h:1").error().detail(),
            "SMTP server h:1 offers no usable AUTH mechanism (wanted PLAIN or LOGIN, offered none)");
}

TEST(Sasl, Payloads) {
  // base64("\0alice\0pw!") and base64("user=alice\x01" "auth=Bearer tok\x01\x01").
  EXPECT_EQ(plain_payload("alice", "pw!"), "AGFsaWNlAHB3IQ==");
  EXPECT_EQ(xoauth2_payload("alice", "tok"), "dXNlcj1hbGljZQFhdXRoPUJlYXJlciB0b2sBAQ==");
}

}  // namespace
}  // namespace emailv2::smtp
