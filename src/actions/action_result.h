#pragma once
// The result envelope of CONTRACT §1.4: every action run prints exactly one of these on stdout, even on input or
// configuration errors. Keys always come in the order is_success, execution_state, output_message, result_value,
// json_result, error_code. The exit code follows from the state and the error (§1.4):
//   completed+success 0 · completed+not success 1 · failed: the error code's exit (2, 64, 70, 78) · timed_out 3 ·
//   in_progress 4 · an explicit override (75: connector lease held elsewhere).

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "core/error.h"

namespace emailv2::actions {

enum class ExecutionState { kCompleted, kInProgress, kFailed, kTimedOut };

std::string_view state_name(ExecutionState state);

struct ActionResult {
  bool is_success = false;
  ExecutionState state = ExecutionState::kFailed;
  std::string output_message;
  nlohmann::ordered_json result_value;          // normally == is_success (see completed()/failed())
  nlohmann::ordered_json json_result;            // null when the action has none
  std::optional<ErrorCode> error_code;   // set on error outcomes
  std::optional<int> exit_override;      // only for codes the table cannot express (75)

  // completed/true/0 (or completed/false/1 with success=false).
  static ActionResult completed(bool success, std::string message, nlohmann::ordered_json json = nullptr);
  // failed/false with the error's code; `message` is the action's template already expanded with {error}.
  static ActionResult failed(const Error& error, std::string message, nlohmann::ordered_json json = nullptr);
  // failed/false where the message is the error text itself (input/configuration errors before the action ran).
  static ActionResult from_error(const Error& error);
  static ActionResult in_progress(std::string message, nlohmann::ordered_json json = nullptr);
  static ActionResult timed_out(std::string message, nlohmann::ordered_json json = nullptr);

  int exit_code() const;
  nlohmann::ordered_json to_json() const;
  // One line, or indented with `pretty`; never ends with a newline.
  std::string render(bool pretty) const;
};

}  // namespace emailv2::actions
