// Wait For Email From User's parameters (CONTRACT §3.4 table, §1.2 rules): defaults, legacy names, Email Date forms,
// folder de-duplication, errors before any I/O.
#include <gtest/gtest.h>

#include "actions/wait_params.h"

namespace emailv2::actions {
namespace {

Result<WaitParams> from(std::vector<std::string> tokens, const std::string& json = "") {
  static std::vector<ParamSet> keep;  // WaitParams borrows the regex from the ParamSet
  auto flags = parse_flags(wait_for_email_from_user_spec(), tokens);
  if (!flags) return fail(flags.error());
  std::vector<RawParam> j;
  if (!json.empty()) {
    auto parsed = parse_params_json(json);
    if (!parsed) return fail(parsed.error());
    j = *parsed;
  }
  auto set = resolve(wait_for_email_from_user_spec(), *flags, j);
  if (!set) return fail(set.error());
  keep.push_back(std::move(*set));
  return wait_params(keep.back());
}

TEST(WaitParams, Defaults) {
  auto p = from({"--message-id-to-check-replies-for", " <m@lab.test> "});
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->message_id, "<m@lab.test>");
  EXPECT_TRUE(p->wait_for_all);
  EXPECT_EQ(p->timeout, std::chrono::minutes(1440));
  EXPECT_EQ(p->exclude, nullptr);
  EXPECT_EQ(p->folders, std::vector<std::string>{"Inbox"});
  EXPECT_FALSE(p->fetch_attachments);
  EXPECT_TRUE(p->recipients.empty());
  EXPECT_FALSE(p->email_date);
  EXPECT_TRUE(p->ignore_auto_replies);
}

TEST(WaitParams, LegacyNamesAndSoarJson) {
  auto p = from({}, R"json({"Email Message_id": "<m@lab.test>", "Wait stage timeout (minutes)": "5",
                        "Wait for all recipients to reply?": false, "Email Recipients": "a@lab.test; B@lab.test,a@LAB.test",
                        "Email Date": "2024-05-01 12:34:56.123456", "Folder to check for reply": "\"Inbox\", INBOX, Replies, Replies",
                        "Wait stage exclude pattern": "(?i)out of office", "Ignore Auto-Replies": "no",
                        "Fetch Response Attachments": "true"})json");
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_FALSE(p->wait_for_all);
  EXPECT_EQ(p->timeout, std::chrono::minutes(5));
  EXPECT_EQ(p->recipients, (std::vector<std::string>{"a@lab.test", "B@lab.test"}));
  ASSERT_TRUE(p->email_date);
  EXPECT_EQ(rfc3339_utc(*p->email_date), "2024-05-01T12:34:56Z");
  EXPECT_EQ(p->folders, (std::vector<std::string>{"Inbox", "Replies"}));
  ASSERT_NE(p->exclude, nullptr);
  EXPECT_TRUE(RE2::PartialMatch("Re: OUT OF OFFICE until Monday", *p->exclude));
  EXPECT_FALSE(p->ignore_auto_replies);
  EXPECT_TRUE(p->fetch_attachments);
}

TEST(WaitParams, Errors) {
  struct Row {
    std::vector<std::string> tokens;
    ErrorCode code;
    std::string message;
  };
  const std::vector<Row> rows = {
      {{}, ErrorCode::kParamMissing, "Missing mandatory parameter Message ID to check replies for"},
      {{"--message-id-to-check-replies-for", "<>"}, ErrorCode::kParamInvalid,
       "Invalid value for parameter \"Message ID to check replies for\": an empty Message-ID (<>) cannot be matched"},
      {{"--message-id-to-check-replies-for", "<a@x>\r\nA1 DELETE INBOX"}, ErrorCode::kParamInvalid,
       "Invalid value for parameter \"Message ID to check replies for\": control characters (CR, LF, NUL) are not "
       "allowed"},
      {{"--message-id-to-check-replies-for", "<a@x>", "--how-long-to-wait-for-recipient-reply-minutes", "0"},
       ErrorCode::kParamInvalid,
       "Invalid value for parameter \"How long to wait for recipient reply (minutes)\": expected an integer between "
       "1 and 525600, got \"0\""},
      {{"--message-id-to-check-replies-for", "<a@x>", "--wait-stage-exclude-pattern", "(?<=x)y"},
       ErrorCode::kRegexInvalid, ""},
      {{"--message-id-to-check-replies-for", "<a@x>", "--email-recipients", "not an address"},
       ErrorCode::kParamInvalid, "Invalid email address \"not an address\" in parameter \"Email Recipients\""},
      {{"--message-id-to-check-replies-for", "<a@x>", "--email-date", "yesterday"}, ErrorCode::kParamInvalid,
       "Invalid value for parameter \"Email Date\": expected an RFC 3339, RFC 5322 or \"YYYY-MM-DD HH:MM:SS\" date, "
       "got \"yesterday\""},
      {{"--message-id-to-check-replies-for", "<a@x>", "--folder-to-check-for-reply", "In\rbox"},
       ErrorCode::kParamInvalid,
       "Invalid value for parameter \"Folder to check for reply\": control characters (CR, LF, NUL) are not allowed"},
  };
  for (const auto& row : rows) {
    auto p = from(row.tokens);
    ASSERT_FALSE(p) << row.message;
    EXPECT_EQ(p.error().code(), row.code) << p.error().to_string();
    if (!row.message.empty()) {
      EXPECT_EQ(p.error().detail(), row.message);
    }
  }
}

TEST(WaitParams, EmailDateForms) {
  struct Row {
    const char* text;
    const char* expected;  // RFC 3339 UTC, or "" for invalid
  };
  const std::vector<Row> rows = {
      {"", ""},
      {"not a date", ""},
      {"2024-13-01 00:00:00", ""},
      {"2024-02-30T00:00:00Z", ""},
      {"2024-05-01T12:34:56Z", "2024-05-01T12:34:56Z"},
      {"2024-05-01T14:34:56+02:00", "2024-05-01T12:34:56Z"},
      {"2024-05-01T12:34:56.999Z", "2024-05-01T12:34:56Z"},
      {"2024-05-01 12:34:56", "2024-05-01T12:34:56Z"},
      {"2024-05-01 12:34:56.123456", "2024-05-01T12:34:56Z"},
      {"Wed, 1 May 2024 12:34:56 +0000", "2024-05-01T12:34:56Z"},
      {"Wed, 01 May 2024 05:34:56 -0700", "2024-05-01T12:34:56Z"},
  };
  for (const auto& row : rows) {
    const auto t = parse_email_date(row.text);
    if (*row.expected == '\0') {
      EXPECT_FALSE(t) << row.text;
    } else {
      ASSERT_TRUE(t) << row.text;
      EXPECT_EQ(rfc3339_utc(*t), row.expected) << row.text;
    }
  }
}

TEST(WaitParams, SpecNamesAndAliases) {
  const auto& spec = wait_for_email_from_user_spec();
  EXPECT_EQ(spec.command, "wait-for-email-from-user");
  EXPECT_EQ(spec.name, "Wait For Email From User");
  ASSERT_EQ(spec.aliases.size(), 1U);
  EXPECT_EQ(spec.aliases[0], "wait-for-email");
  EXPECT_TRUE(spec.needs.imap);
  EXPECT_FALSE(spec.needs.smtp);
  EXPECT_NE(spec.find("Email Message_id"), nullptr);
  EXPECT_NE(spec.find("wait-stage-timeout-minutes"), nullptr);
}

}  // namespace
}  // namespace emailv2::actions
