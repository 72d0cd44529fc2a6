#pragma once
// Shared by the unit tests of the sending actions: a configuration, a fixed clock, parameters resolved exactly as
// the CLI resolves them (flags and --params-json), an SMTP server played by a FakeTransport (what the client wrote
// stays inspectable), an in-memory mail store, and a run helper that mimics the CLI runner: parameter errors end the
// run before the action (and so before any connection) is reached.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "actions/smtp_delivery.h"
#include "mail/memory_mail_store.h"
#include "support/fake_transport.h"
#include "support/test_env.h"
#include "unit/smtp/session_fixture.h"

namespace emailv2::actions::send_test {

using namespace std::chrono_literals;
using Flags = std::vector<std::pair<std::string, std::string>>;

// The transport seam is the SMTP session tests' BorrowedTransport (kept in step with net::Transport there).
using smtp::test::BorrowedTransport;

// The replies of a server that accepts one message for `recipients` unique addresses, then QUIT.
inline std::vector<std::string> accepting_server(std::size_t recipients) {
  std::vector<std::string> r{"220 fake.example ESMTP\r\n", "250-fake.example\r\n250 8BITMIME\r\n", "250 2.1.0 Ok\r\n"};
  for (std::size_t i = 0; i < recipients; ++i) r.push_back("250 2.1.5 Ok\r\n");
  r.push_back("354 End data with <CR><LF>.<CR><LF>\r\n");
  r.push_back("250 2.0.0 Ok: queued as ABC123\r\n");
  r.push_back("221 2.0.0 Bye\r\n");
  return r;
}

class SendActionTest : public ::testing::Test {
 protected:
  SendActionTest() : clock_(std::chrono::sys_days(std::chrono::year(2024) / 5 / 1) + 12h + 34min + 56s) {
    config_.sender_address = "soc@lab.test";
    config_.sender_display_name = "SOC Team";
    config_.username = "soc-login@lab.test";
    store_path_ = (dir_.path() / "store.sqlite").string();
    memory_ = std::make_shared<mail::MemoryMailStore>(mail::MemoryCapabilities{}, clock_);
  }

  Result<ParamSet> resolve_params(const ActionSpec& spec, const Flags& flags, const std::string& json = "") {
    std::vector<RawParam> raw;
    for (const auto& [k, v] : flags) raw.push_back({k, v});
    std::vector<RawParam> from_json;
    if (!json.empty()) {
      auto parsed = parse_params_json(json);
      if (!parsed) return fail(parsed.error());
      from_json = std::move(*parsed);
    }
    return resolve(spec, raw, from_json);
  }
  ParamSet params(const ActionSpec& spec, const Flags& flags) {
    auto r = resolve_params(spec, flags);
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : ParamSet{};
  }
  ActionContext context() {
    return ActionContext{config_, store_path_, std::nullopt, std::nullopt, Deadline::after(60s), clock_};
  }
  SendingServices services() {
    SendingServices s;
    s.connect_smtp = [this](Deadline deadline) -> Result<smtp::Session> {
      ++smtp_connections_;
      smtp::SessionOptions o;
      o.endpoint = {"fake.example", 25};
      o.tls_mode = smtp::TlsMode::kOff;
      o.use_auth = false;
      o.ehlo_domain = "lab.test";
      return smtp::Session::start(std::make_unique<BorrowedTransport>(smtp_), o, deadline);
    };
    s.open_mail_store = [this] { return std::shared_ptr<mail::MailStore>(memory_); };
    return s;
  }
  void smtp_plays(const std::vector<std::string>& replies) {
    for (const auto& r : replies) smtp_.server_sends(r);
  }

  // Resolves like the CLI, then runs the action; a parameter error is the envelope (exit 64), nothing runs.
  template <typename Fn>
  ActionResult run(const ActionSpec& spec, Fn action, const Flags& flags, const std::string& json = "") {
    auto p = resolve_params(spec, flags, json);
    if (!p) return ActionResult::from_error(p.error());
    return action(context(), *p, services());
  }

  // The DATA payload the client sent (between the 354 and the final dot), un-dot-stuffed.
  std::string sent_message() const {
    const std::string& w = smtp_.written();
    const auto start = w.find("DATA\r\n");
    const auto end = w.find("\r\n.\r\n", start);
    if (start == std::string::npos || end == std::string::npos) return {};
    std::string body = w.substr(start + 6, end + 2 - (start + 6));
    std::string out;
    std::size_t pos = 0;
    while (pos < body.size()) {
      const auto eol = body.find("\r\n", pos);
      std::string line = body.substr(pos, eol == std::string::npos ? std::string::npos : eol + 2 - pos);
      if (line.starts_with("..")) line.erase(0, 1);
      out += line;
      if (eol == std::string::npos) break;
      pos = eol + 2;
    }
    return out;
  }
  // The header section of the sent message (up to the blank line).
  std::string sent_headers() const {
    const std::string m = sent_message();
    return m.substr(0, m.find("\r\n\r\n") + 2);
  }

  FakeClock clock_;
  mail::IntegrationConfig config_;
  testing::TempDir dir_;
  std::string store_path_;
  testing::FakeTransport smtp_;
  int smtp_connections_ = 0;
  std::shared_ptr<mail::MemoryMailStore> memory_;
};

}  // namespace emailv2::actions::send_test
