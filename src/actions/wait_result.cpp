#include "actions/wait_result.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kDone = "Received all responses";
constexpr std::string_view kTimedOut = "Timeout getting replies from users";

nlohmann::ordered_json optional_text(const std::optional<std::string>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
}

nlohmann::ordered_json recipient_json(const RecipientStatus& r, bool timed_out) {
  nlohmann::ordered_json j;
  j["recipient"] = r.recipient;
  if (r.response) {
    j["content"] = r.response->content;
    j["message_id"] = optional_text(r.response->message_id);
    j["received"] = optional_text(r.response->received);
    j["folder"] = r.response->folder;
    j["attachments"] = r.response->attachments;
    return j;
  }
  j["content"] = timed_out ? nlohmann::ordered_json("Timeout") : nlohmann::ordered_json();
  j["message_id"] = nullptr;
  j["received"] = nullptr;
  j["folder"] = nullptr;
  j["attachments"] = nlohmann::ordered_json::array();
  return j;
}

}  // namespace

WaitState decide_wait_state(const std::vector<RecipientStatus>& recipients, bool wait_for_all, TimePoint now,
                            TimePoint start, std::chrono::minutes timeout) {
  std::size_t answered = 0;
  for (const auto& r : recipients) answered += r.response ? 1 : 0;
  const bool done = !recipients.empty() && (wait_for_all ? answered == recipients.size() : answered > 0);
  if (done) return WaitState::kDone;
  if (now >= start + timeout) return WaitState::kTimedOut;
  return WaitState::kWaiting;
}

nlohmann::ordered_json responses_json(const std::vector<RecipientStatus>& recipients, bool timed_out) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : recipients) list.push_back(recipient_json(r, timed_out));
  nlohmann::ordered_json j;
  j["Responses"] = std::move(list);
  return j;
}

std::string waiting_message(std::string_view message_id) {
  return "Continuing...waiting for response, searching IN-REPLY-TO " + std::string(message_id);
}

ActionResult wait_envelope(WaitState state, const std::vector<RecipientStatus>& recipients,
                           std::string_view message_id, const std::optional<Error>& last_error) {
  switch (state) {
    case WaitState::kDone:
      return ActionResult::completed(true, std::string(kDone), responses_json(recipients, false));
    case WaitState::kTimedOut:
      return ActionResult::timed_out(std::string(kTimedOut), responses_json(recipients, true));
    case WaitState::kWaiting:
      break;
  }
  std::string message = waiting_message(message_id);
  if (last_error) message += " (last check failed: " + last_error->to_string() + ")";
  return ActionResult::in_progress(std::move(message), responses_json(recipients, false));
}

ActionResult wait_failure(const Error& error, std::string_view message_id,
                          const std::vector<RecipientStatus>& recipients) {
  return ActionResult::failed(
      error, "Failed to check replies for the email " + std::string(message_id) + "! The Error is " + error.to_string(),
      responses_json(recipients, false));
}

bool is_transient_wait_error(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kDnsFailed:
    case ErrorCode::kConnectFailed:
    case ErrorCode::kProxyFailed:
    case ErrorCode::kTimeout:
    case ErrorCode::kDeadline:
    case ErrorCode::kImapBye:
    case ErrorCode::kImapNo:
      return true;
    default:
      return false;
  }
}

}  // namespace emailv2::actions
