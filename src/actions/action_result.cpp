#include "actions/action_result.h"

namespace emailv2::actions {

std::string_view state_name(ExecutionState state) {
  switch (state) {
    case ExecutionState::kCompleted:
      return "completed";
    case ExecutionState::kInProgress:
      return "in_progress";
    case ExecutionState::kFailed:
      return "failed";
    case ExecutionState::kTimedOut:
      return "timed_out";
  }
  return "failed";
}

ActionResult ActionResult::completed(bool success, std::string message, nlohmann::ordered_json json) {
  ActionResult r;
  r.is_success = success;
  r.state = ExecutionState::kCompleted;
  r.output_message = std::move(message);
  r.result_value = success;
  r.json_result = std::move(json);
  return r;
}

ActionResult ActionResult::failed(const Error& error, std::string message, nlohmann::ordered_json json) {
  ActionResult r;
  r.is_success = false;
  r.state = ExecutionState::kFailed;
  r.output_message = std::move(message);
  r.result_value = false;
  r.json_result = std::move(json);
  r.error_code = error.code();
  return r;
}

ActionResult ActionResult::from_error(const Error& error) { return failed(error, error.detail()); }

ActionResult ActionResult::in_progress(std::string message, nlohmann::ordered_json json) {
  ActionResult r;
  r.is_success = true;
  r.state = ExecutionState::kInProgress;
  r.output_message = std::move(message);
  r.result_value = true;
  r.json_result = std::move(json);
  return r;
}

ActionResult ActionResult::timed_out(std::string message, nlohmann::ordered_json json) {
  ActionResult r;
  r.is_success = false;
  r.state = ExecutionState::kTimedOut;
  r.output_message = std::move(message);
  r.result_value = false;
  r.json_result = std::move(json);
  return r;
}

int ActionResult::exit_code() const {
  if (exit_override) return *exit_override;
  switch (state) {
    case ExecutionState::kCompleted:
      return is_success ? 0 : 1;
    case ExecutionState::kInProgress:
      return 4;
    case ExecutionState::kTimedOut:
      return 3;
    case ExecutionState::kFailed:
      return error_code ? info(*error_code).exit_code : 2;
  }
  return 70;
}

nlohmann::ordered_json ActionResult::to_json() const {
  nlohmann::ordered_json j;
  j["is_success"] = is_success;
  j["execution_state"] = std::string(state_name(state));
  j["output_message"] = output_message;
  j["result_value"] = result_value.is_null() ? nlohmann::ordered_json(is_success) : result_value;
  j["json_result"] = json_result;
  j["error_code"] = error_code ? nlohmann::ordered_json(std::string(name(*error_code))) : nlohmann::ordered_json();
  return j;
}

std::string ActionResult::render(bool pretty) const {
  // Replace invalid UTF-8 (server text) rather than throwing while serialising.
  return to_json().dump(pretty ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace emailv2::actions
