#include "core/log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/redactor.h"
#include "core/secret.h"
#include "core/text.h"

namespace emailv2 {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::set_line_sink_for_testing([this](std::string_view line) { lines_.emplace_back(line); });
    log::configure(log::Level::kTrace, log::Format::kText);
  }
  void TearDown() override {
    log::set_line_sink_for_testing(nullptr);
    log::configure(log::Level::kInfo, log::Format::kText);
    redactor::clear_for_testing();
  }
  std::vector<std::string> lines_;
};

TEST_F(LogTest, TextLineHasTimestampLevelComponentAndFields) {
  log::write(log::Level::kWarn, "imap", "certificate not verified", {{"host", "127.0.0.1"}, {"why", "user said so"}});
  ASSERT_EQ(lines_.size(), 1u);
  const std::string& l = lines_[0];
  EXPECT_EQ(l.size() > 24 ? l[23] : ' ', 'Z') << l;
  EXPECT_NE(l.find(" WARN imap: certificate not verified host=127.0.0.1 why=\"user said so\""), std::string::npos) << l;
}

TEST_F(LogTest, LevelFilterDropsLowerLevels) {
  log::configure(log::Level::kWarn, log::Format::kText);
  log::info("x", "hidden");
  log::error("x", "shown {}", 1);
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NE(lines_[0].find("shown 1"), std::string::npos);
}

TEST_F(LogTest, JsonLineIsOneObject) {
  log::configure(log::Level::kInfo, log::Format::kJson);
  log::write(log::Level::kInfo, "store", "opened", {{"path", "/tmp/x"}});
  ASSERT_EQ(lines_.size(), 1u);
  const auto j = nlohmann::json::parse(lines_[0]);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["component"], "store");
  EXPECT_EQ(j["msg"], "opened");
  EXPECT_EQ(j["path"], "/tmp/x");
}

TEST_F(LogTest, SecretsAreRedactedInEveryForm) {
  const Secret password("s3cr3t-P@ss word");
  const std::string sasl = text::base64_encode(std::string("\0alice@lab.test\0", 16) + password.reveal());
  log::info("imap", "plain {} b64 {} sasl {} formatted {}", password.reveal(), text::base64_encode(password.reveal()),
            sasl, password);
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0].find("s3cr3t"), std::string::npos) << lines_[0];
  EXPECT_EQ(lines_[0].find(text::base64_encode(password.reveal())), std::string::npos) << lines_[0];
  EXPECT_EQ(lines_[0].find(sasl), std::string::npos) << lines_[0];
  EXPECT_NE(lines_[0].find("formatted <redacted>"), std::string::npos) << lines_[0];
}

TEST_F(LogTest, SaslPlainPayloadAtAnyAlignmentIsRedacted) {
  const Secret password("correct horse battery staple");
  for (std::string user : {"a", "ab", "abc", "alice@lab.test"}) {
    lines_.clear();
    const std::string sasl = text::base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + password.reveal());
    log::info("smtp", "AUTH PLAIN {}", sasl);
    ASSERT_EQ(lines_.size(), 1u);
    // The middle of the payload that encodes the password must be gone.
    EXPECT_EQ(lines_[0].find(sasl.substr(sasl.size() / 2, 12)), std::string::npos) << user << ": " << lines_[0];
  }
}

}  // namespace
}  // namespace emailv2
