#include "actions/wait_params.h"

#include "actions/folder_list.h"
#include "core/limits.h"
#include "core/param_values.h"
#include "core/text.h"
#include "mail/search_criteria.h"
#include "mime/date.h"

namespace emailv2::actions {
namespace {

constexpr std::int64_t kMaxTimeoutMinutes = 525600;

}  // namespace

const ActionSpec& wait_for_email_from_user_spec() {
  static const ActionSpec spec{
      "wait-for-email-from-user",
      "Wait For Email From User",
      {"wait-for-email"},
      "Wait for the recipients of a sent email to reply (async: one poll per run, or --until-done)",
      {
          ParamSpec{kWaitMessageIdParam, {"Email Message_id"}, ParamType::kString, "", true, 0, 0, true, 0},
          ParamSpec{kWaitForAllParam, {}, ParamType::kCheckbox, "true", false, 0, 0, false, 0},
          ParamSpec{kWaitTimeoutParam, {"Wait stage timeout (minutes)"}, ParamType::kInteger, "1440", true, 1,
                    kMaxTimeoutMinutes, false, 0},
          ParamSpec{kWaitExcludeParam, {}, ParamType::kRegex, "", false, 0, 0, false, 0},
          ParamSpec{kWaitFoldersParam, {}, ParamType::kCsv, "Inbox", false, 0, 0, true, limits::kMaxFolders},
          ParamSpec{kWaitFetchAttachmentsParam, {}, ParamType::kCheckbox, "false", false, 0, 0, false, 0},
          ParamSpec{kWaitRecipientsParam, {}, ParamType::kAddressList, "", false, 0, 0, true, limits::kMaxRecipients},
          ParamSpec{kWaitDateParam, {}, ParamType::kString, "", false, 0, 0, true, 0},
          ParamSpec{kWaitIgnoreAutoParam, {}, ParamType::kCheckbox, "true", false, 0, 0, false, 0},
      },
      ActionNeeds{true, false, false}};
  return spec;
}

std::optional<TimePoint> parse_email_date(std::string_view text) {
  const std::string_view v = text::trim(text);
  if (v.empty()) return std::nullopt;
  const auto parsed = mime::parse_date(v);
  if (!parsed) return std::nullopt;
  return from_epoch_ms(mime::to_epoch_ms(*parsed));
}

std::vector<std::string> unique_addresses(const std::vector<std::string>& addresses) {
  std::vector<std::string> out;
  for (const std::string& a : addresses) {
    bool seen = false;
    for (const std::string& o : out) seen = seen || text::iequals_ascii(o, a);
    if (!seen && !a.empty()) out.push_back(a);
  }
  return out;
}

Result<WaitParams> wait_params(const ParamSet& params) {
  WaitParams p;
  p.message_id = params.string(kWaitMessageIdParam).value_or("");
  if (mail::normalise_message_id(p.message_id).empty()) {
    return fail(param_values::invalid(kWaitMessageIdParam, "an empty Message-ID (<>) cannot be matched"));
  }
  p.wait_for_all = params.checkbox(kWaitForAllParam);
  p.timeout = std::chrono::minutes(params.integer(kWaitTimeoutParam).value_or(1440));
  p.exclude = params.regex(kWaitExcludeParam);
  p.folders = mailbox::unique_folders(params.list(kWaitFoldersParam));
  if (p.folders.empty()) p.folders.push_back("Inbox");
  p.fetch_attachments = params.checkbox(kWaitFetchAttachmentsParam);
  std::vector<std::string> recipients;
  for (const auto& m : params.addresses(kWaitRecipientsParam)) recipients.push_back(m.addr_spec);
  p.recipients = unique_addresses(recipients);
  if (const auto date = params.string(kWaitDateParam)) {
    p.email_date = parse_email_date(*date);
    if (!p.email_date) {
      return fail(param_values::invalid(
          kWaitDateParam, "expected an RFC 3339, RFC 5322 or \"YYYY-MM-DD HH:MM:SS\" date, got \"" +
                              text::echo_value(*date) + "\""));
    }
  }
  p.ignore_auto_replies = params.checkbox(kWaitIgnoreAutoParam);
  return p;
}

}  // namespace emailv2::actions
