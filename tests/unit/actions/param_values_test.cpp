// CONTRACT §1.2 value rules with their exact messages (core/param_values).
#include "core/param_values.h"

#include <gtest/gtest.h>

#include <string>

namespace emailv2::param_values {
namespace {

struct CheckboxRow {
  std::string raw;
  bool ok;
  bool value;
};

TEST(Checkbox, TableOfLiterals) {
  const CheckboxRow rows[] = {
      {"maybe", false, false}, {"", false, false},     {"tru", false, false}, {"2", false, false},
      {"on", false, false},    {"true", true, true},   {"TRUE", true, true},  {" Yes ", true, true},
      {"1", true, true},       {"false", true, false}, {"No", true, false},   {"0", true, false},
  };
  for (const auto& row : rows) {
    auto r = parse_checkbox("Only Unread", row.raw);
    ASSERT_EQ(r.has_value(), row.ok) << row.raw;
    if (row.ok) {
      EXPECT_EQ(*r, row.value) << row.raw;
    } else {
      EXPECT_EQ(r.error().code(), ErrorCode::kParamInvalid);
      EXPECT_EQ(r.error().detail(),
                "Invalid value for parameter \"Only Unread\": expected true or false, got \"" + row.raw + "\"");
      EXPECT_EQ(r.error().exit_code(), 64);
    }
  }
}

TEST(Checkbox, EchoEscapesControlCharacters) {
  auto r = parse_checkbox("X", "a\r\nb");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(), "Invalid value for parameter \"X\": expected true or false, got \"a\\r\\nb\"");
}

struct IntegerRow {
  std::string raw;
  bool ok;
  std::int64_t value;
};

TEST(Integer, RangeAndSyntax) {
  const IntegerRow rows[] = {
      {"0", false, 0},      {"10001", false, 0}, {"-1", false, 0},  {"1.5", false, 0},  {"1e3", false, 0},
      {"abc", false, 0},    {"", false, 0},      {"+", false, 0},   {"--5", false, 0},  {"+-5", false, 0},
      {"0x10", false, 0},   {"5 5", false, 0},   {"99999999999999999999", false, 0},
      {"1", true, 1},       {"10000", true, 10000}, {" 42 ", true, 42}, {"+7", true, 7}, {"007", true, 7},
  };
  for (const auto& row : rows) {
    auto r = parse_integer("Max Emails To Return", row.raw, 1, 10000);
    ASSERT_EQ(r.has_value(), row.ok) << row.raw;
    if (row.ok) {
      EXPECT_EQ(*r, row.value);
    } else {
      EXPECT_EQ(r.error().detail(), "Invalid value for parameter \"Max Emails To Return\": expected an integer "
                                    "between 1 and 10000, got \"" + row.raw + "\"");
    }
  }
}

TEST(Integer, NegativeRangesWork) {
  auto r = parse_integer("Offset", "-3", -5, 5);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, -3);
}

TEST(Integer, EchoIsCutAt200Characters) {
  auto r = parse_integer("N", std::string(300, '9'), 1, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail().find("got \"" + std::string(200, '9') + "\""), std::string::npos);
  EXPECT_EQ(r.error().detail().find(std::string(201, '9')), std::string::npos);
}

struct CsvRow {
  std::string raw;
  std::vector<std::string> items;
};

TEST(Csv, SplitTrimQuotesEmpties) {
  const CsvRow rows[] = {
      {"", {}},
      {" , ,, ", {}},
      {"Inbox", {"Inbox"}},
      {" Inbox , Sent ", {"Inbox", "Sent"}},
      {"\"My Folder\",Other", {"My Folder", "Other"}},
      {"\"a,b\",c", {"a,b", "c"}},
      {"\"\"", {}},
      {"\" spaced \"", {"spaced"}},
      {"\"unterminated,x", {"\"unterminated,x"}},
      {"a\"b\"c,d", {"a\"b\"c", "d"}},
  };
  for (const auto& row : rows) EXPECT_EQ(split_csv(row.raw), row.items) << row.raw;
}

TEST(ControlCharacters, CheckedOnRawValue) {
  const std::string hostile[] = {"a\rb", "a\nb", std::string("a\0b", 3), "trailing\n", "\r\n"};
  for (const auto& v : hostile) {
    auto s = check_no_line_breaks("Subject", v);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code(), ErrorCode::kParamInvalid);
    EXPECT_EQ(s.error().detail(),
              "Invalid value for parameter \"Subject\": control characters (CR, LF, NUL) are not allowed");
  }
  EXPECT_TRUE(check_no_line_breaks("Subject", "tab\tis fine"));
}

TEST(AddressList, HostileItemsFirst) {
  const std::pair<std::string, std::string> bad[] = {
      {"not-an-address", "not-an-address"},
      {"a@b.com, @b.com", "@b.com"},
      {"a@b.com; b@", "b@"},
      {"John <john@x.com", "John <john@x.com"},
      {"<>", "<>"},
      {"a b@c.com", "a b@c.com"},
      {"a..b@c.com", "a..b@c.com"},
      {"(comment) a@b.com", "(comment) a@b.com"},
  };
  for (const auto& [raw, item] : bad) {
    auto r = parse_address_list("Recipients", raw);
    ASSERT_FALSE(r) << raw;
    EXPECT_EQ(r.error().detail(), "Invalid email address \"" + item + "\" in parameter \"Recipients\"") << raw;
    EXPECT_EQ(r.error().exit_code(), 64);
  }
}

TEST(AddressList, ControlCharactersBeforeSyntax) {
  auto r = parse_address_list("CC", "a@b.com\r\nBcc: evil@x.com");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(), "Invalid value for parameter \"CC\": control characters (CR, LF, NUL) are not allowed");
}

TEST(AddressList, SplitsOnCommaAndSemicolon) {
  auto r = parse_address_list("Recipients", "a@x.com; \"Doe, John\" <j@y.org>, B <b@z.net>;;");
  ASSERT_TRUE(r) << r.error().detail();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].addr_spec, "a@x.com");
  EXPECT_EQ((*r)[1].display_name, "Doe, John");
  EXPECT_EQ((*r)[1].addr_spec, "j@y.org");
  EXPECT_EQ((*r)[2].display_name, "B");
}

TEST(AddressList, ItemCap) {
  std::string raw;
  for (int i = 0; i < 4; ++i) raw += "u" + std::to_string(i) + "@x.com,";
  auto r = parse_address_list("Recipients", raw, 3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(), "Invalid value for parameter \"Recipients\": at most 3 items are allowed, got 4");
  EXPECT_TRUE(parse_address_list("Recipients", raw, 4));
}

TEST(Missing, ExactMessage) {
  const Error e = missing("Subject");
  EXPECT_EQ(e.code(), ErrorCode::kParamMissing);
  EXPECT_EQ(e.detail(), "Missing mandatory parameter Subject");
  EXPECT_EQ(e.exit_code(), 64);
}

TEST(ConfigTwin, KeepsTextChangesExitTo78) {
  EXPECT_EQ(as_config_error(missing("Username")).code(), ErrorCode::kConfigMissing);
  EXPECT_EQ(as_config_error(missing("Username")).exit_code(), 78);
  const Error inv = as_config_error(invalid("IMAP Port", "x"));
  EXPECT_EQ(inv.code(), ErrorCode::kConfigInvalid);
  EXPECT_EQ(inv.detail(), "Invalid value for parameter \"IMAP Port\": x");
  EXPECT_EQ(as_config_error(Error(ErrorCode::kTimeout, "t")).code(), ErrorCode::kTimeout);
}

}  // namespace
}  // namespace emailv2::param_values
