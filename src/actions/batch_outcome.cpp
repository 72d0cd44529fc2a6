#include "actions/batch_outcome.h"

namespace emailv2::actions::mailbox {

void BatchOutcome::record_failure(std::size_t count, const Error& error) {
  if (count == 0) return;
  failed += count;
  if (!first_error) first_error = error;
}

std::string batch_error_text(const BatchOutcome& outcome) {
  const std::string first = outcome.first_error ? outcome.first_error->to_string() : std::string("INTERNAL: unknown");
  if (outcome.done == 0 && outcome.failed == 1) return first;
  return std::to_string(outcome.failed) + " of " + std::to_string(outcome.total()) + " failed; first error: " + first;
}

ActionResult batch_result(const BatchOutcome& outcome, const std::string& success_line, std::string_view error_prefix) {
  nlohmann::ordered_json json = nullptr;
  if (outcome.done > 0) json = nlohmann::ordered_json{{"emails", outcome.emails}};
  if (outcome.failed == 0) return ActionResult::completed(true, success_line, std::move(json));
  std::string message = outcome.done > 0 ? success_line + "\n" : std::string();
  message += std::string(error_prefix) + batch_error_text(outcome);
  const Error error = outcome.first_error.value_or(Error(ErrorCode::kInternal, "unknown"));
  ActionResult r = ActionResult::failed(error, std::move(message), std::move(json));
  // A partial failure is a runtime outcome (exit 2) whatever code the first failing item had.
  if (outcome.done > 0 && r.exit_code() != 2 && error.code() != ErrorCode::kInternal) r.exit_override = 2;
  return r;
}

Error run_error(const Error& error, Deadline deadline) {
  if (error.code() == ErrorCode::kTimeout && deadline.expired()) {
    return Error(ErrorCode::kDeadline, "the run's --timeout was reached: " + error.detail());
  }
  return error;
}

}  // namespace emailv2::actions::mailbox
