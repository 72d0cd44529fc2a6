#pragma once
// Wait For Email From User's per-recipient state and its envelope (CONTRACT §3.4 steps 6 and the outcome table).
// Pure: the poll (wait_for_email_from_user.cpp) fills RecipientStatus values, these functions decide and render.
//
//  | Outcome                  | state / is_success / exit | output_message                                          |
//  | all answered (≥ 1 in     | completed / true / 0      | Received all responses                                  |
//  |   first-reply mode)      |                           |                                                         |
//  | waiting                  | in_progress / true / 4    | Continuing...waiting for response, searching IN-REPLY-TO <id> |
//  | transient error          | in_progress / true / 4    | the waiting line + " (last check failed: <CODE>: <detail>)" |
//  | now ≥ start + timeout    | timed_out / false / 3     | Timeout getting replies from users                      |
//  | permanent error          | failed / false / 2        | Failed to check replies for the email <id>! The Error is <CODE>: <detail> |
// Completion is checked before the timeout: a reply found on the poll after the deadline still completes.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "actions/action_result.h"
#include "core/error.h"
#include "core/time_format.h"

namespace emailv2::actions {

// The accepted reply of one recipient.
struct ReplyResponse {
  std::string content;                    // the reply's whole `body` (quoted history included)
  std::optional<std::string> message_id;  // the reply's Message-ID as found; nullopt when it has none
  std::optional<std::string> received;    // INTERNALDATE, "Mon, 26 Aug 2019 10:20:15 +0000"
  std::string folder;                     // as the user named it
  std::vector<std::string> attachments;   // direct attachments' names (only with Fetch Response Attachments)
};

struct RecipientStatus {
  std::string recipient;                 // addr-spec, in R order
  std::optional<ReplyResponse> response;
};

enum class WaitState { kDone, kWaiting, kTimedOut };

// Step 6: done when every recipient answered (any one with wait_for_all = false); else timed out when
// now ≥ start + timeout; else waiting. No recipients is never done (R is resolved before this is asked).
WaitState decide_wait_state(const std::vector<RecipientStatus>& recipients, bool wait_for_all, TimePoint now,
                            TimePoint start, std::chrono::minutes timeout);

// {"Responses": [...]} in R order; a recipient without a response has content null, or "Timeout" when timed_out.
nlohmann::ordered_json responses_json(const std::vector<RecipientStatus>& recipients, bool timed_out);

// `Continuing...waiting for response, searching IN-REPLY-TO <message_id>`.
std::string waiting_message(std::string_view message_id);

// The envelope of a finished poll. `last_error` (a transient error) is appended to the waiting line.
ActionResult wait_envelope(WaitState state, const std::vector<RecipientStatus>& recipients,
                           std::string_view message_id, const std::optional<Error>& last_error = std::nullopt);

// failed / false / the error's exit: `Failed to check replies for the email <id>! The Error is <CODE>: <detail>`.
ActionResult wait_failure(const Error& error, std::string_view message_id,
                          const std::vector<RecipientStatus>& recipients = {});

// Transient errors keep the wait going (CONTRACT §3.4): DNS_FAILED, CONNECT_FAILED, PROXY_FAILED, TIMEOUT,
// DEADLINE, IMAP_BYE, IMAP_NO. Everything else (auth, TLS, configuration, folder, store, protocol) is permanent.
bool is_transient_wait_error(const Error& error);

}  // namespace emailv2::actions
