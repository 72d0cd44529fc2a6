// Ping's outcome table (CONTRACT §3.1), without the network.
#include <gtest/gtest.h>

#include "actions/ping.h"

namespace emailv2::actions {
namespace {

ProbeOutcome ok_probe(std::vector<std::string> features) {
  ProbeOutcome p;
  p.configured = true;
  p.features = std::move(features);
  return p;
}

ProbeOutcome failed_probe(ErrorCode code, std::string detail) {
  ProbeOutcome p;
  p.configured = true;
  p.error = Error(code, std::move(detail));
  return p;
}

TEST(Ping, NeitherConfiguredIs78) {
  const auto r = ping_result({}, {});
  EXPECT_EQ(r.exit_code(), 78);
  EXPECT_EQ(r.output_message,
            "Neither IMAP nor SMTP is configured. Please configure at least one of them in the integration "
            "configuration.");
  EXPECT_EQ(r.to_json()["error_code"], "CONFIG_MISSING");
}

TEST(Ping, BothPass) {
  const auto r = ping_result(ok_probe({"IMAP4rev1", "MOVE"}), ok_probe({"PIPELINING", "SIZE 10240000"}));
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.output_message, "Successfully connected to the email server with the provided connection parameters!");
  const auto j = r.to_json()["json_result"];
  EXPECT_EQ(j["imap"]["configured"], true);
  EXPECT_EQ(j["imap"]["success"], true);
  EXPECT_TRUE(j["imap"]["error"].is_null());
  EXPECT_EQ(j["imap"]["capabilities"][1], "MOVE");
  EXPECT_EQ(j["smtp"]["extensions"][1], "SIZE 10240000");
  EXPECT_EQ(j.dump().find("\"imap\""), 1u);
}

TEST(Ping, OneConfiguredAddsSkipLine) {
  const auto r = ping_result(ok_probe({"IMAP4rev1"}), {});
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.output_message,
            "Successfully connected to the email server with the provided connection parameters!\n"
            "SMTP is not configured, the SMTP connectivity check was skipped.");
  const auto j = r.to_json()["json_result"];
  EXPECT_EQ(j["smtp"]["configured"], false);
  EXPECT_TRUE(j["smtp"]["success"].is_null());
  EXPECT_TRUE(j["smtp"]["extensions"].empty());
  const auto only_smtp = ping_result({}, ok_probe({}));
  EXPECT_EQ(only_smtp.output_message,
            "Successfully connected to the email server with the provided connection parameters!\n"
            "IMAP is not configured, the IMAP connectivity check was skipped.");
}

TEST(Ping, FailureLinesInOrder) {
  const auto r = ping_result(failed_probe(ErrorCode::kAuthFailed, "IMAP server rejected LOGIN: [AUTHENTICATIONFAILED] x"),
                             ok_probe({}));
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "Failed to connect to the IMAP server! Error is AUTH_FAILED: IMAP server rejected LOGIN: "
            "[AUTHENTICATIONFAILED] x\nSuccessfully connected to the SMTP server.");
  EXPECT_EQ(r.to_json()["error_code"], "AUTH_FAILED");
  EXPECT_EQ(r.to_json()["json_result"]["imap"]["success"], false);
  EXPECT_EQ(r.to_json()["json_result"]["imap"]["error"],
            "AUTH_FAILED: IMAP server rejected LOGIN: [AUTHENTICATIONFAILED] x");
}

TEST(Ping, SmtpFailureWithImapSkipped) {
  const auto r = ping_result({}, failed_probe(ErrorCode::kTlsFailed, "certificate verification failed for h: x"));
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "IMAP is not configured, the IMAP connectivity check was skipped.\n"
            "Failed to connect to the SMTP server! Error is TLS_FAILED: certificate verification failed for h: x");
}

TEST(Ping, ConfigErrorDuringCheckStillExit2) {
  const auto r = ping_result(failed_probe(ErrorCode::kConfigInvalid, "Cannot read secret file"), {});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.to_json()["error_code"], "CONFIG_INVALID");
}

TEST(Ping, SpecHasNoParameters) {
  EXPECT_EQ(ping_spec().command, "ping");
  EXPECT_EQ(ping_spec().name, "Ping");
  EXPECT_TRUE(ping_spec().params.empty());
}

}  // namespace
}  // namespace emailv2::actions
