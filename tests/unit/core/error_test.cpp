#include "core/error.h"

#include <gtest/gtest.h>

#include <set>

#include "core/result.h"

namespace emailv2 {
namespace {

TEST(ErrorTable, EveryCodeHasAUniqueNameAndAContractExitCode) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    const auto& row = info(static_cast<ErrorCode>(i));
    EXPECT_EQ(static_cast<int>(row.code), i) << row.name;
    EXPECT_TRUE(names.insert(row.name).second) << "duplicate " << row.name;
    EXPECT_TRUE(row.exit_code == 2 || row.exit_code == 64 || row.exit_code == 70 || row.exit_code == 78) << row.name;
  }
}

TEST(ErrorTable, ExitCodesFollowContractSection61) {
  EXPECT_EQ(info(ErrorCode::kParamMissing).exit_code, 64);
  EXPECT_EQ(info(ErrorCode::kRegexInvalid).exit_code, 64);
  EXPECT_EQ(info(ErrorCode::kPathNotAllowed).exit_code, 64);
  EXPECT_EQ(info(ErrorCode::kConfigInvalid).exit_code, 78);
  EXPECT_EQ(info(ErrorCode::kTlsRequired).exit_code, 2);
  EXPECT_EQ(info(ErrorCode::kInternal).exit_code, 70);
  EXPECT_TRUE(info(ErrorCode::kTimeout).retryable);
  EXPECT_FALSE(info(ErrorCode::kAuthFailed).retryable);
}

TEST(ErrorTable, NamesRoundTrip) {
  ErrorCode code{};
  ASSERT_TRUE(parse_error_code("SMTPUTF8_UNSUPPORTED", code));
  EXPECT_EQ(code, ErrorCode::kSmtputf8Unsupported);
  EXPECT_FALSE(parse_error_code("NOPE", code));
}

TEST(Error, ToStringIsCodeColonDetail) {
  const Error e(ErrorCode::kAuthFailed, "IMAP server rejected LOGIN: [AUTHENTICATIONFAILED] Invalid credentials");
  EXPECT_EQ(e.to_string(), "AUTH_FAILED: IMAP server rejected LOGIN: [AUTHENTICATIONFAILED] Invalid credentials");
  EXPECT_EQ(e.exit_code(), 2);
}

Result<int> half(int v) {
  if (v % 2 != 0) return fail(ErrorCode::kParamInvalid, "odd");
  return v / 2;
}

Status chain(int v, int& out) {
  auto r = half(v);
  EMAILV2_TRY(r);
  out = *r;
  return ok();
}

TEST(Result, TryPropagatesTheError) {
  int out = 0;
  EXPECT_TRUE(chain(8, out).has_value());
  EXPECT_EQ(out, 4);
  const auto st = chain(3, out);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code(), ErrorCode::kParamInvalid);
}

}  // namespace
}  // namespace emailv2
