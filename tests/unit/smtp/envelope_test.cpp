#include "smtp/envelope.h"

#include <gtest/gtest.h>

#include <string>

#include "core/limits.h"
#include "smtp/message_source.h"
#include "support/test_env.h"

namespace emailv2::smtp {
namespace {

// Injection payloads: each is tried alone, as a prefix, in the middle and as a suffix of a valid address.
std::vector<std::string> breakers() {
  return {"\r\n",
          "\n",
          "\r",
          std::string(1, '\0'),
          "\r\nRCPT TO:<evil@x.test>\r\n",
          "\nDATA\n",
          "\r\n.\r\n",
          ">",
          "<",
          "> NOTIFY=SUCCESS",
          "><evil@x.test",
          "\x7f",
          "\t",
          "\x1b",
          "\x0b",
          "\x0c"};
}

TEST(CheckAddress, HostilePayloadsAreRefused) {
  int checked = 0;
  for (const auto& b : breakers()) {
    for (const std::string& a :
         {b, b + "bob@lab.test", "bob" + b + "@lab.test", "bob@lab" + b + ".test", "bob@lab.test" + b}) {
      SCOPED_TRACE(::testing::PrintToString(a));
      const auto r = check_address(a, "recipient");
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code(), ErrorCode::kParamInvalid);
      EXPECT_EQ(r.error().detail().find_first_of("\r\n"), std::string::npos);
      ++checked;
    }
  }
  EXPECT_GE(checked, 50);
}

TEST(CheckAddress, MalformedAreRefused) {
  for (const std::string& a :
       std::vector<std::string>{"", "bob", "@lab.test", "bob@", "bob lab@lab.test", "bob@lab test", "bob@lab@test",
                                "\"bob@lab.test", "bob,eve@lab.test", "bob@lab.test,eve@lab.test",
                                "(comment)bob@lab.test", std::string(251, 'a') + "@x.test"}) {
    SCOPED_TRACE(a);
    EXPECT_FALSE(check_address(a, "recipient"));
  }
}

TEST(CheckAddress, ValidAreAccepted) {
  for (const std::string& a : std::vector<std::string>{"bob@lab.test", "Bob.Smith+tag@lab.test",
                                                       "\"john doe\"@lab.test", "\"a@b\"@lab.test", "user@[127.0.0.1]",
                                                       "j\xC3\xB6rg@b\xC3\xBC"
                                                       "cher.test",
                                                       std::string(247, 'a') + "@x.test"}) {
    SCOPED_TRACE(a);
    EXPECT_TRUE(check_address(a, "recipient"));
  }
  const auto r = check_address("a\r\nb@x", "sender");
  EXPECT_EQ(r.error().detail(),
            "Invalid sender address \"a\\r\\nb@x\": contains a control character (CR, LF, NUL, ...)");
}

TEST(Envelope, UniqueRecipientsCaseInsensitiveKeepOrder) {
  EXPECT_EQ(unique_recipients({"Bob@Lab.test", "carol@lab.test", "bob@lab.TEST", "BOB@LAB.TEST", "dave@lab.test"}),
            (std::vector<std::string>{"Bob@Lab.test", "carol@lab.test", "dave@lab.test"}));
}

TEST(Envelope, Smtputf8Needed) {
  EXPECT_FALSE(needs_smtputf8({"a@x.test", {"b@x.test"}, false}));
  EXPECT_TRUE(needs_smtputf8({"a@x.test", {"b@x.test"}, true}));
  EXPECT_TRUE(needs_smtputf8({"\xC3\xA9@x.test", {"b@x.test"}, false}));
  EXPECT_TRUE(needs_smtputf8({"a@x.test", {"b@x.test", "b@\xC3\xA9.test"}, false}));
}

TEST(Envelope, CheckEnvelope) {
  EXPECT_TRUE(check_envelope({"a@x.test", {"b@x.test"}, false}));
  EXPECT_EQ(check_envelope({"a@x.test", {}, false}).error().code(), ErrorCode::kParamInvalid);
  EXPECT_EQ(check_envelope({"a\n@x.test", {"b@x.test"}, false}).error().code(), ErrorCode::kParamInvalid);
  EXPECT_EQ(check_envelope({"a@x.test", {"b@x.test", "c@x.test\r"}, false}).error().code(), ErrorCode::kParamInvalid);
  // The recipient limit counts unique addresses, crossed by one.
  Envelope many{"a@x.test", {}, false};
  for (std::size_t i = 0; i < limits::kMaxRecipients; ++i)
    many.recipients.push_back("r" + std::to_string(i) + "@x.test");
  many.recipients.push_back("R0@X.TEST");  // a duplicate does not count
  EXPECT_TRUE(check_envelope(many));
  many.recipients.push_back("one-more@x.test");
  EXPECT_EQ(check_envelope(many).error().code(), ErrorCode::kParamInvalid);
}

TEST(MessageSource, StringAndFileYieldTheSameBytes) {
  const std::string bytes = "Subject: s\r\n\r\n" + std::string(100'000, 'x');
  testing::TempDir dir;
  testing::write_file(dir.path() / "m.eml", bytes);
  auto file = FileMessageSource::open(dir.path() / "m.eml");
  ASSERT_TRUE(file) << file.error().to_string();
  StringMessageSource str(bytes);
  for (MessageSource* src : {static_cast<MessageSource*>(file->get()), static_cast<MessageSource*>(&str)}) {
    EXPECT_EQ(src->size(), bytes.size());
    std::string got;
    char buf[777];
    for (;;) {
      auto n = src->read(buf);
      ASSERT_TRUE(n);
      if (*n == 0) break;
      got.append(buf, *n);
    }
    EXPECT_EQ(got, bytes);
  }
  const auto missing = FileMessageSource::open(dir.path() / "nope.eml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kIoError);
  EXPECT_FALSE(FileMessageSource::open(dir.path()));  // a directory
}

}  // namespace
}  // namespace emailv2::smtp
