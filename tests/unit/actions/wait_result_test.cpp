// Wait For Email From User: the state decision (completion before timeout, all vs first) and the §3.4 envelopes.
#include <gtest/gtest.h>

#include "actions/wait_result.h"

namespace emailv2::actions {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = from_epoch_ms(1'700'000'000'000);

RecipientStatus answered(const std::string& r, const std::string& content = "Approved") {
  ReplyResponse resp;
  resp.content = content;
  resp.message_id = "<r-" + r + ">";
  resp.received = "Tue, 14 Nov 2023 22:15:00 +0000";
  resp.folder = "Inbox";
  resp.attachments = {"scan.pdf"};
  return RecipientStatus{r, resp};
}

RecipientStatus waiting(const std::string& r) { return RecipientStatus{r, std::nullopt}; }

struct StateRow {
  const char* name;
  std::vector<RecipientStatus> recipients;
  bool all;
  std::chrono::minutes elapsed;
  WaitState expected;
};

TEST(WaitDecide, Table) {
  const auto a = answered("a@lab.test");
  const auto b = answered("b@lab.test");
  const auto wa = waiting("a@lab.test");
  const auto wb = waiting("b@lab.test");
  const std::vector<StateRow> rows = {
      {"no recipients is never done", {}, true, 0min, WaitState::kWaiting},
      {"no recipients times out", {}, false, 60min, WaitState::kTimedOut},
      {"all mode, one of two", {a, wb}, true, 1min, WaitState::kWaiting},
      {"all mode, two of two", {a, b}, true, 1min, WaitState::kDone},
      {"first mode, one of two", {wa, b}, false, 1min, WaitState::kDone},
      {"first mode, none", {wa, wb}, false, 1min, WaitState::kWaiting},
      {"completion checked before timeout (all)", {a, b}, true, 600min, WaitState::kDone},
      {"completion checked before timeout (first)", {a, wb}, false, 600min, WaitState::kDone},
      {"one minute before the deadline", {a, wb}, true, 59min, WaitState::kWaiting},
      {"exactly at the deadline", {a, wb}, true, 60min, WaitState::kTimedOut},
      {"after the deadline", {wa, wb}, false, 61min, WaitState::kTimedOut},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(decide_wait_state(row.recipients, row.all, kStart + row.elapsed, kStart, 60min), row.expected)
        << row.name;
  }
}

TEST(WaitEnvelope, DoneIsCompletedTrueExit0WithResponsesInROrder) {
  const auto r = wait_envelope(WaitState::kDone, {answered("b@lab.test", "Yes"), waiting("a@lab.test")}, "<m@x>");
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.render(false),
            R"({"is_success":true,"execution_state":"completed","output_message":"Received all responses",)"
            R"("result_value":true,"json_result":{"Responses":[{"recipient":"b@lab.test","content":"Yes",)"
            R"("message_id":"<r-b@lab.test>","received":"Tue, 14 Nov 2023 22:15:00 +0000","folder":"Inbox",)"
            R"("attachments":["scan.pdf"]},{"recipient":"a@lab.test","content":null,"message_id":null,)"
            R"("received":null,"folder":null,"attachments":[]}]},"error_code":null})");
}

TEST(WaitEnvelope, WaitingIsInProgressTrueExit4) {
  const auto r = wait_envelope(WaitState::kWaiting, {waiting("a@lab.test")}, "<m@x>");
  EXPECT_EQ(r.exit_code(), 4);
  EXPECT_TRUE(r.is_success);
  EXPECT_EQ(r.output_message, "Continuing...waiting for response, searching IN-REPLY-TO <m@x>");
  EXPECT_TRUE(r.json_result["Responses"][0]["content"].is_null());
  EXPECT_FALSE(r.error_code);
}

TEST(WaitEnvelope, TransientErrorIsAppendedToTheWaitingLine) {
  const auto r = wait_envelope(WaitState::kWaiting, {waiting("a@lab.test")}, "<m@x>",
                               Error(ErrorCode::kConnectFailed, "Cannot connect to 127.0.0.1:1: refused"));
  EXPECT_EQ(r.exit_code(), 4);
  EXPECT_EQ(r.output_message,
            "Continuing...waiting for response, searching IN-REPLY-TO <m@x> (last check failed: CONNECT_FAILED: "
            "Cannot connect to 127.0.0.1:1: refused)");
}

TEST(WaitEnvelope, TimeoutMarksMissingRecipientsOnly) {
  const auto r = wait_envelope(WaitState::kTimedOut, {answered("a@lab.test"), waiting("b@lab.test")}, "<m@x>");
  EXPECT_EQ(r.exit_code(), 3);
  EXPECT_FALSE(r.is_success);
  EXPECT_EQ(r.output_message, "Timeout getting replies from users");
  EXPECT_EQ(r.json_result["Responses"][0]["content"], "Approved");
  EXPECT_EQ(r.json_result["Responses"][1]["content"], "Timeout");
  EXPECT_TRUE(r.json_result["Responses"][1]["message_id"].is_null());
}

TEST(WaitEnvelope, PermanentFailure) {
  const auto r = wait_failure(Error(ErrorCode::kAuthFailed, "IMAP server rejected LOGIN: no"), "<m@x>");
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, "Failed to check replies for the email <m@x>! The Error is AUTH_FAILED: IMAP server "
                              "rejected LOGIN: no");
  EXPECT_EQ(r.render(false).find("\"error_code\":\"AUTH_FAILED\"") != std::string::npos, true);
  EXPECT_EQ(r.json_result["Responses"], nlohmann::ordered_json::array());
  const auto unknown = wait_failure(Error(ErrorCode::kRecipientsUnknown, "provide \"Email Recipients\""), "<m@x>");
  EXPECT_EQ(unknown.output_message,
            "Failed to check replies for the email <m@x>! The Error is RECIPIENTS_UNKNOWN: provide \"Email "
            "Recipients\"");
  EXPECT_EQ(unknown.exit_code(), 2);
}

TEST(WaitEnvelope, TransientClassification) {
  for (ErrorCode c : {ErrorCode::kDnsFailed, ErrorCode::kConnectFailed, ErrorCode::kProxyFailed, ErrorCode::kTimeout,
                      ErrorCode::kDeadline, ErrorCode::kImapBye, ErrorCode::kImapNo}) {
    EXPECT_TRUE(is_transient_wait_error(Error(c, "x"))) << name(c);
  }
  for (ErrorCode c : {ErrorCode::kAuthFailed, ErrorCode::kTlsFailed, ErrorCode::kTlsRequired,
                      ErrorCode::kConfigInvalid, ErrorCode::kFolderNotFound, ErrorCode::kStoreBusy,
                      ErrorCode::kStoreError, ErrorCode::kStoreCorrupt, ErrorCode::kImapBad,
                      ErrorCode::kProtocolError, ErrorCode::kRecipientsUnknown, ErrorCode::kInternal}) {
    EXPECT_FALSE(is_transient_wait_error(Error(c, "x"))) << name(c);
  }
}

}  // namespace
}  // namespace emailv2::actions
