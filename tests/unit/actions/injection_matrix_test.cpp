// Injection (issue 8, CONTRACT §6.2): every parameter of every action whose value can reach IMAP or SMTP — subjects,
// addresses, display names, Message-IDs, folders, filters, dates — refuses each of ≥ 50 CR/LF/NUL payloads with
// PARAM_INVALID in resolve(), i.e. before any connection exists, whether the value comes as a flag or from
// --params-json. The matrix is generic over the action specs, so a parameter added later without the control
// characters rule fails here. Exempt, by design: Content (HTML body, CRLF-normalised into the body only), paths
// (local files, never on the wire), checkboxes/integers (parsed), regexes (matched locally), and Save's Attachment
// name (matched locally against parsed names).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "actions/delete_email.h"
#include "actions/download_email_attachments.h"
#include "actions/forward_email.h"
#include "actions/move_email_to_folder.h"
#include "actions/params.h"
#include "actions/ping.h"
#include "actions/save_email_attachments_to_case.h"
#include "actions/search_emails.h"
#include "actions/send_email.h"
#include "actions/send_thread_reply.h"
#include "actions/wait_for_email_from_user.h"

namespace emailv2::actions {
namespace {

std::vector<std::string> payloads(const std::string& base) {
  const std::vector<std::string> breaks = {
      "\r", "\n", "\r\n", std::string(1, '\0'), "\r\r", "\n\n", "\r\n\r\n", "\n\r", std::string("\0\r\n", 3),
      "\r\n.\r\n", "\r\nRCPT TO:<evil@example.com>", "\r\nDATA", "\nBcc: evil@example.com", "\r\nA999 LOGOUT",
      "\r\nA1 UID STORE 1:* +FLAGS (\\Deleted)", "\n* OK", "\r\nX-Injected: 1", std::string("a\0b", 3)};
  std::vector<std::string> out;
  for (const std::string& b : breaks) {
    out.push_back(b + base);  // leading
    out.push_back(base + b);  // trailing (a plain trim must not hide it)
    out.push_back(base.substr(0, base.size() / 2) + b + base.substr(base.size() / 2));  // inside
  }
  return out;
}

// A valid value for the parameter's type, so only the payload can make it fail.
std::string valid_base(const ParamSpec& p) {
  if (p.type == ParamType::kAddressList) return "alice@example.com";
  const std::string name(p.name);
  if (name.find("Date") != std::string::npos) return "2026-11-30T05:00:00Z";
  if (name.find("ID") != std::string::npos || name.find("Id") != std::string::npos) return "<abc-123@example.com>";
  return "Inbox Reports";
}

bool exempt(const ParamSpec& p) {
  const std::string name(p.name);
  return p.type == ParamType::kText || p.type == ParamType::kCheckbox || p.type == ParamType::kInteger ||
         p.type == ParamType::kRegex || name.find("Path") != std::string::npos || name == "Attachment name";
}

std::vector<RawParam> with_mandatory(const ActionSpec& spec, const ParamSpec& target, const std::string& value) {
  std::vector<RawParam> raw;
  for (const ParamSpec& p : spec.params) {
    if (&p == &target) {
      raw.push_back({std::string(p.name), value});
    } else if (p.mandatory && p.default_value.empty()) {
      std::string filler = valid_base(p);
      if (p.type == ParamType::kInteger) filler = std::to_string(std::max<std::int64_t>(p.min, 1));
      if (p.type == ParamType::kText) filler = "<p>x</p>";
      raw.push_back({std::string(p.name), filler});
    }
  }
  return raw;
}

TEST(InjectionMatrix, EveryWireReachingParameterRefusesEveryControlPayloadBeforeAnyIo) {
  const std::vector<const ActionSpec*> specs = {&ping_spec(),
                                                &send_email_spec(),
                                                &forward_email_spec(),
                                                &send_thread_reply_spec(),
                                                &search_emails_spec(),
                                                &move_email_to_folder_spec(),
                                                &delete_email_spec(),
                                                &download_email_attachments_spec(),
                                                &save_email_attachments_to_case_spec(),
                                                &wait_for_email_from_user_spec()};
  std::size_t fields = 0, rejected = 0;
  std::set<std::string> covered;
  for (const ActionSpec* spec : specs) {
    for (const ParamSpec& p : spec->params) {
      if (exempt(p)) continue;
      ++fields;
      covered.insert(std::string(spec->command) + " " + std::string(p.name));
      const std::string base = valid_base(p);
      auto control = resolve(*spec, with_mandatory(*spec, p, base), {});
      ASSERT_TRUE(control.has_value()) << spec->command << " " << p.name << ": the valid base value is refused: "
                                       << control.error().detail();
      const auto list = payloads(base);
      ASSERT_GE(list.size(), 50u);
      for (const std::string& bad : list) {
        for (const bool as_json : {false, true}) {
          const auto raw = with_mandatory(*spec, p, bad);
          auto r = as_json ? resolve(*spec, {}, raw) : resolve(*spec, raw, {});
          ASSERT_FALSE(r.has_value()) << spec->command << " " << p.name << " accepted a control payload";
          EXPECT_EQ(r.error().code(), ErrorCode::kParamInvalid) << spec->command << " " << p.name;
          ++rejected;
        }
      }
    }
  }
  // The fields the contract names (§6.2): subjects, addresses, Message-IDs, folders, filters.
  for (const char* must : {"send-email Subject", "send-email Recipients", "send-email Bcc", "forward-email Subject",
                           "search-emails Folder Name", "search-emails Subject Filter", "search-emails Sender Filter",
                           "move-email-to-folder Destination Folder Name", "delete-email Message IDs",
                           "send-thread-reply Message ID", "download-email-attachments Message ID"}) {
    EXPECT_EQ(covered.count(must), 1u) << must << " is not in the matrix";
  }
  EXPECT_GE(fields, 30u);
  std::printf("[ injection ] %zu parameters x %zu payloads x 2 sources: %zu refused before any I/O\n", fields,
              payloads("x").size(), rejected);
}

}  // namespace
}  // namespace emailv2::actions
