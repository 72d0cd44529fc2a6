// The parameter framework (CONTRACT §1.2): flags, --params-json, precedence, unknown/duplicate keys, types.
#include "actions/params.h"

#include <gtest/gtest.h>

namespace emailv2::actions {
namespace {

const ActionSpec& sample_spec() {
  static const ActionSpec spec{
      "search-emails",
      "Search Emails",
      {"search-email"},
      "test",
      {
          ParamSpec{"Folder Name", {}, ParamType::kCsv, "Inbox", true, 0, 0, true, 100},
          ParamSpec{"Subject Filter", {}, ParamType::kString, "", false, 0, 0, true, 0},
          ParamSpec{"Only Unread", {}, ParamType::kCheckbox, "false", false, 0, 0, false, 0},
          ParamSpec{"Max Emails To Return", {}, ParamType::kInteger, "100", true, 1, 10000, false, 0},
          ParamSpec{"Recipients", {}, ParamType::kAddressList, "", false, 0, 0, true, 1000},
          ParamSpec{"Content", {}, ParamType::kText, "", false, 0, 0, false, 0},
          ParamSpec{"Message ID of the email to forward", {"Message ID of email to forward"}, ParamType::kString, "",
                    false, 0, 0, true, 0},
          ParamSpec{"Wait stage exclude pattern", {}, ParamType::kRegex, "", false, 0, 0, false, 0},
          ParamSpec{"Subject", {}, ParamType::kString, "", true, 0, 0, true, 0},
      },
      {}};
  return spec;
}

Result<ParamSet> from_flags(std::vector<std::string> tokens, std::string json = "") {
  auto flags = parse_flags(sample_spec(), tokens);
  if (!flags) return fail(flags.error());
  std::vector<RawParam> j;
  if (!json.empty()) {
    auto parsed = parse_params_json(json);
    if (!parsed) return fail(parsed.error());
    j = *parsed;
  }
  return resolve(sample_spec(), *flags, j);
}

TEST(Flags, UnknownParameterIsUsageError) {
  auto r = from_flags({"--subject", "x", "--nope", "1"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(), "Unknown parameter \"nope\" for action \"Search Emails\"");
  EXPECT_EQ(r.error().exit_code(), 64);
}

TEST(Flags, SameFlagTwice) {
  auto r = from_flags({"--subject", "x", "--Subject=y"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(), "Parameter \"Subject\" was given more than once");
}

TEST(Flags, AliasAndNameTogetherAreDuplicates) {
  auto r = from_flags({"--subject", "s", "--message-id-of-email-to-forward", "a", "--message-id-of-the-email-to-forward",
                       "b"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(), "Parameter \"Message ID of the email to forward\" was given more than once");
}

TEST(Flags, PositionalArgumentRejected) {
  auto r = from_flags({"stray"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(), "Unexpected argument \"stray\" for action \"Search Emails\"");
}

TEST(Flags, ValueRequired) {
  auto r = from_flags({"--subject"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(), "Invalid value for parameter \"Subject\": a value is required");
  auto r2 = from_flags({"--subject", "--only-unread"});
  ASSERT_FALSE(r2);
}

TEST(Flags, MissingMandatoryWithoutDefault) {
  auto r = from_flags({});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kParamMissing);
  EXPECT_EQ(r.error().detail(), "Missing mandatory parameter Subject");
  auto blank = from_flags({"--subject", "   "});
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().detail(), "Missing mandatory parameter Subject");
}

TEST(Flags, DefaultsApplyAndTypesParse) {
  auto r = from_flags({"--subject", "  hello  "});
  ASSERT_TRUE(r) << r.error().detail();
  EXPECT_EQ(r->string("Subject"), "hello");
  EXPECT_EQ(r->list("Folder Name"), std::vector<std::string>{"Inbox"});
  EXPECT_FALSE(r->provided("Folder Name"));
  EXPECT_TRUE(r->present("Folder Name"));
  EXPECT_EQ(r->integer("Max Emails To Return"), 100);
  EXPECT_FALSE(r->checkbox("Only Unread"));
  EXPECT_FALSE(r->string("Subject Filter").has_value());
  EXPECT_EQ(r->regex("Wait stage exclude pattern"), nullptr);
  EXPECT_THROW((void)r->string("Undeclared"), std::logic_error);
}

TEST(Flags, BareCheckboxIsTrueAndTakesOnlyLiterals) {
  auto bare = from_flags({"--only-unread", "--subject", "s"});
  ASSERT_TRUE(bare) << bare.error().detail();
  EXPECT_TRUE(bare->checkbox("Only Unread"));
  auto explicit_false = from_flags({"--only-unread", "false", "--subject", "s"});
  ASSERT_TRUE(explicit_false);
  EXPECT_FALSE(explicit_false->checkbox("Only Unread"));
  auto eq = from_flags({"--only-unread=no", "--subject=s"});
  ASSERT_TRUE(eq);
  EXPECT_FALSE(eq->checkbox("Only Unread"));
  auto bad = from_flags({"--only-unread=maybe", "--subject=s"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail(), "Invalid value for parameter \"Only Unread\": expected true or false, got \"maybe\"");
}

TEST(Flags, ControlCharactersCheckedBeforeTrimming) {
  auto r = from_flags({"--subject", "hello\r\n"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(),
            "Invalid value for parameter \"Subject\": control characters (CR, LF, NUL) are not allowed");
  // Content is not subject to the rule and not trimmed.
  auto content = from_flags({"--subject", "s", "--content", " <p>a</p>\r\n"});
  ASSERT_TRUE(content);
  EXPECT_EQ(content->string("Content"), " <p>a</p>\r\n");
}

TEST(Flags, IntegerRangeMessage) {
  auto r = from_flags({"--subject", "s", "--max-emails-to-return", "0"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(),
            "Invalid value for parameter \"Max Emails To Return\": expected an integer between 1 and 10000, got \"0\"");
}

TEST(Flags, ListCapAndRegex) {
  std::string folders;
  for (int i = 0; i < 101; ++i) folders += "f" + std::to_string(i) + ",";
  auto r = from_flags({"--subject", "s", "--folder-name", folders});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(), "Invalid value for parameter \"Folder Name\": at most 100 items are allowed, got 101");
  auto re = from_flags({"--subject", "s", "--wait-stage-exclude-pattern", "(?<=x)y"});
  ASSERT_FALSE(re);
  EXPECT_EQ(re.error().code(), ErrorCode::kRegexInvalid);
  EXPECT_EQ(re.error().detail().rfind("Invalid regular expression in parameter \"Wait stage exclude pattern\": ", 0), 0u);
  EXPECT_NE(re.error().detail().find(". Note: RE2 syntax is used (no look-around, no back-references)."),
            std::string::npos);
  auto ok_re = from_flags({"--subject", "s", "--wait-stage-exclude-pattern", "([N|n]ewsletter)|([O|o]ut of office)"});
  ASSERT_TRUE(ok_re);
  ASSERT_NE(ok_re->regex("Wait stage exclude pattern"), nullptr);
}

TEST(Json, KeysAreDisplayNamesMatchedByNormalising) {
  auto r = from_flags({}, R"({"Subject": "from json", "Only Unread": true, "Max Emails To Return": 5,
                              "Folder Name": ["Inbox", "My, Folder"], "Subject Filter": null})");
  ASSERT_TRUE(r) << r.error().detail();
  EXPECT_EQ(r->string("Subject"), "from json");
  EXPECT_TRUE(r->checkbox("Only Unread"));
  EXPECT_EQ(r->integer("Max Emails To Return"), 5);
  EXPECT_EQ(r->list("Folder Name"), (std::vector<std::string>{"Inbox", "My, Folder"}));
  EXPECT_FALSE(r->provided("Subject Filter"));
}

TEST(Json, FlagsOverrideJson) {
  auto r = from_flags({"--subject", "flag"}, R"({"Subject": "json"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->string("Subject"), "flag");
}

TEST(Json, LegacyNameAccepted) {
  auto r = from_flags({"--subject", "s"}, R"({"Message ID of email to forward": "<a@b>"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->string("Message ID of the email to forward"), "<a@b>");
}

TEST(Json, HostileDocuments) {
  struct Row {
    std::string doc;
    std::string detail;
  };
  const Row rows[] = {
      {R"({"Subject": "a", "subject": "b"})", "Parameter \"Subject\" was given more than once"},
      {R"({"Subject": "a", "Subject": "b"})", "Parameter \"Subject\" was given more than once"},
      {R"({"Bogus Key": 1})", "Unknown parameter \"Bogus Key\" for action \"Search Emails\""},
      {R"([1, 2])", "Invalid value for parameter \"--params-json\": expected a JSON object"},
      {R"({"Subject": {"x": 1}})",
       "Invalid value for parameter \"Subject\": expected a string, boolean, number or array of strings"},
      {R"({"Folder Name": [1]})",
       "Invalid value for parameter \"Folder Name\": expected a string, boolean, number or array of strings"},
  };
  for (const auto& row : rows) {
    auto parsed = parse_params_json(row.doc);
    Result<ParamSet> r = parsed ? resolve(sample_spec(), {}, *parsed) : Result<ParamSet>(fail(parsed.error()));
    ASSERT_FALSE(r) << row.doc;
    EXPECT_EQ(r.error().detail(), row.detail) << row.doc;
    EXPECT_EQ(r.error().exit_code(), 64);
  }
}

TEST(Json, SyntaxErrorNamesOffset) {
  auto r = parse_params_json("{\"Subject\": tru}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kParamInvalid);
  EXPECT_EQ(r.error().detail().rfind("Invalid value for parameter \"--params-json\": invalid JSON at offset ", 0), 0u)
      << r.error().detail();
  EXPECT_EQ(r.error().detail().find("last read"), std::string::npos);
  auto empty = parse_params_json("");
  ASSERT_FALSE(empty);
  // Regression (fuzz): a number too large for a double made nlohmann throw out_of_range, which escaped.
  auto huge = parse_params_json("{\"Max\": 1e999999}");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().detail(), "Invalid value for parameter \"--params-json\": invalid JSON: a number is out of range");
}

TEST(Json, NumbersAndBooleansBecomeText) {
  auto r = parse_params_json(R"({"a": 12, "b": false, "c": 1.5, "d": ["x", "y;z"]})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].value, "12");
  EXPECT_EQ((*r)[1].value, "false");
  EXPECT_EQ((*r)[2].value, "1.5");
  EXPECT_EQ((*r)[3].value, "x,\"y;z\"");
}

TEST(Spec, FindNormalisesNamesAndAliases) {
  const ActionSpec& s = sample_spec();
  ASSERT_NE(s.find("max-emails-to-return"), nullptr);
  ASSERT_NE(s.find("MAX EMAILS TO RETURN"), nullptr);
  ASSERT_NE(s.find("Message ID of email to forward"), nullptr);
  EXPECT_EQ(s.find("--"), nullptr);
  EXPECT_EQ(s.find(""), nullptr);
}

}  // namespace
}  // namespace emailv2::actions
