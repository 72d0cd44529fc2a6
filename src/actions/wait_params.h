#pragma once
// Wait For Email From User's parameter table (CONTRACT §3.4) and its typed form. Pure: no I/O.
//
// Errors (exit 64, before anything is contacted): the §1.2 messages of params.h, plus
// `Invalid value for parameter "Email Date": expected an RFC 3339, RFC 5322 or "YYYY-MM-DD HH:MM:SS" date, got "<v>"`
// and `Invalid value for parameter "Message ID to check replies for": an empty Message-ID (<>) cannot be matched`.

#include <re2/re2.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/params.h"
#include "core/result.h"
#include "core/time_format.h"

namespace emailv2::actions {

inline constexpr std::string_view kWaitMessageIdParam = "Message ID to check replies for";
inline constexpr std::string_view kWaitForAllParam = "Wait for all recipients to reply?";
inline constexpr std::string_view kWaitTimeoutParam = "How long to wait for recipient reply (minutes)";
inline constexpr std::string_view kWaitExcludeParam = "Wait stage exclude pattern";
inline constexpr std::string_view kWaitFoldersParam = "Folder to check for reply";
inline constexpr std::string_view kWaitFetchAttachmentsParam = "Fetch Response Attachments";
inline constexpr std::string_view kWaitRecipientsParam = "Email Recipients";
inline constexpr std::string_view kWaitDateParam = "Email Date";
inline constexpr std::string_view kWaitIgnoreAutoParam = "Ignore Auto-Replies";

const ActionSpec& wait_for_email_from_user_spec();

struct WaitParams {
  std::string message_id;                // as given, trimmed (used in messages)
  bool wait_for_all = true;              // false: the first accepted reply completes the wait
  std::chrono::minutes timeout{1440};
  const re2::RE2* exclude = nullptr;     // owned by the ParamSet; nullptr = no pattern
  std::vector<std::string> folders;      // list order, duplicates dropped (INBOX in any case once)
  bool fetch_attachments = false;
  std::vector<std::string> recipients;   // Email Recipients addr-specs, case-insensitively unique; empty = look up
  std::optional<TimePoint> email_date;   // Email Date; nullopt = look up
  bool ignore_auto_replies = true;
};

// The typed parameters. `params` must outlive the result (the exclude pattern is borrowed).
Result<WaitParams> wait_params(const ParamSet& params);

// Email Date: RFC 3339 (`2024-05-01T12:34:56Z`, offsets, fractions), RFC 5322 (`Wed, 1 May 2024 12:34:56 +0000`)
// or `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC when no zone is given). nullopt when it is none of them.
std::optional<TimePoint> parse_email_date(std::string_view text);

// Case-insensitively unique addr-specs, first occurrence kept.
std::vector<std::string> unique_addresses(const std::vector<std::string>& addresses);

}  // namespace emailv2::actions
