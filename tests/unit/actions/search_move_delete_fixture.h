#pragma once
// Shared by the unit tests of Search Emails, Move Email to Folder and Delete Email: an in-memory MailStore, a fixed
// clock, the action context and parameters resolved exactly as the CLI resolves them.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "actions/action_context.h"
#include "actions/params.h"
#include "mail/memory_mail_store.h"

namespace emailv2::actions::testing {

using namespace std::chrono_literals;
using Flags = std::vector<std::pair<std::string, std::string>>;

inline mail::TimePoint at(int y, unsigned m, unsigned d, std::chrono::seconds s = 0s) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) + s;
}

inline std::string mail(const std::string& subject, const std::string& id, const std::string& from = "bob@lab.test",
                        const std::string& to = "alice@lab.test") {
  return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + id +
         ">\r\nDate: Fri, 10 May 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
         "charset=utf-8\r\n\r\nbody of " + subject + "\r\n";
}

class MailboxActionTest : public ::testing::Test {
 protected:
  explicit MailboxActionTest(mail::MemoryCapabilities caps = {}) : store_(caps, clock_) {
    config_.sender_address = "soc@lab.test";
  }

  // Flags as `--<name> value` pairs (the name is normalised like the CLI does); resolve() errors fail the test.
  ParamSet params(const ActionSpec& spec, const Flags& flags) {
    auto r = resolve_params(spec, flags);
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : ParamSet{};
  }
  Result<ParamSet> resolve_params(const ActionSpec& spec, const Flags& flags) {
    std::vector<RawParam> raw;
    for (const auto& [k, v] : flags) raw.push_back({k, v});
    return resolve(spec, raw, {});
  }
  ActionContext context(Deadline deadline = Deadline::after(60s)) {
    return ActionContext{config_, "", std::nullopt, std::nullopt, deadline, clock_};
  }
  std::vector<std::uint32_t> uids(const std::string& folder) const {
    std::vector<std::uint32_t> out;
    for (const auto& m : store_.messages(folder)) out.push_back(m.uid);
    return out;
  }
  std::vector<std::string> subjects(const nlohmann::ordered_json& json) const {
    std::vector<std::string> out;
    for (const auto& e : json.at("emails")) out.push_back(e.at("subject").get<std::string>());
    return out;
  }

  FakeClock clock_{at(2024, 5, 10, 12h)};
  mail::IntegrationConfig config_;
  mail::MemoryMailStore store_;
};

}  // namespace emailv2::actions::testing
