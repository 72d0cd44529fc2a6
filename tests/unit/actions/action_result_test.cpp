// The result envelope (CONTRACT §1.4): key order, states, exit codes.
#include "actions/action_result.h"

#include <gtest/gtest.h>

namespace emailv2::actions {
namespace {

TEST(Envelope, KeysInContractOrder) {
  const auto r = ActionResult::completed(true, "Mail sent successfully.");
  EXPECT_EQ(r.render(false),
            "{\"is_success\":true,\"execution_state\":\"completed\",\"output_message\":\"Mail sent successfully.\","
            "\"result_value\":true,\"json_result\":null,\"error_code\":null}");
  EXPECT_EQ(r.exit_code(), 0);
}

TEST(Envelope, ExitCodesPerOutcome) {
  EXPECT_EQ(ActionResult::completed(false, "nothing").exit_code(), 1);
  EXPECT_EQ(ActionResult::failed(Error(ErrorCode::kAuthFailed, "x"), "m").exit_code(), 2);
  EXPECT_EQ(ActionResult::from_error(Error(ErrorCode::kParamMissing, "x")).exit_code(), 64);
  EXPECT_EQ(ActionResult::from_error(Error(ErrorCode::kConfigMissing, "x")).exit_code(), 78);
  EXPECT_EQ(ActionResult::from_error(Error(ErrorCode::kInternal, "x")).exit_code(), 70);
  EXPECT_EQ(ActionResult::timed_out("t").exit_code(), 3);
  EXPECT_EQ(ActionResult::in_progress("w").exit_code(), 4);
  auto lease = ActionResult::completed(false, "skipped");
  lease.exit_override = 75;
  EXPECT_EQ(lease.exit_code(), 75);
}

TEST(Envelope, FailedCarriesErrorCode) {
  const auto r = ActionResult::failed(Error(ErrorCode::kTlsFailed, "bad cert"), "Failed! TLS_FAILED: bad cert");
  const auto j = r.to_json();
  EXPECT_EQ(j["is_success"], false);
  EXPECT_EQ(j["execution_state"], "failed");
  EXPECT_EQ(j["result_value"], false);
  EXPECT_EQ(j["error_code"], "TLS_FAILED");
}

TEST(Envelope, InProgressIsSuccessTrue) {
  const auto j = ActionResult::in_progress("waiting").to_json();
  EXPECT_EQ(j["is_success"], true);
  EXPECT_EQ(j["execution_state"], "in_progress");
  EXPECT_EQ(ActionResult::timed_out("t").to_json()["execution_state"], "timed_out");
}

TEST(Envelope, ResultValueOverrideAndPretty) {
  auto r = ActionResult::completed(true, "ok");
  r.result_value = "/tmp/a,/tmp/b";
  EXPECT_EQ(r.to_json()["result_value"], "/tmp/a,/tmp/b");
  const std::string pretty = r.render(true);
  EXPECT_NE(pretty.find("\n  \"is_success\": true"), std::string::npos);
}

TEST(Envelope, InvalidUtf8NeverThrows) {
  const auto r = ActionResult::completed(false, std::string("bad \xFF\xFE bytes"));
  EXPECT_NO_THROW((void)r.render(false));
}

}  // namespace
}  // namespace emailv2::actions
