#pragma once
// The outcome of a batch action (Move, Delete) and its envelope under the uniform outcome rule and the partial
// failure rule of CONTRACT §1.4: success → completed/true/0; any failure → failed/false with the first error's code
// (exit 2 for runtime errors), the message being the success line for what was done (when something was) + "\n" +
// the action's error template with {error} = `<k> of <n> failed; first error: <CODE>: <detail>`; json_result lists
// only what was actually done. "Nothing matched" is the action's own completed/false outcome, decided before.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "actions/action_result.h"
#include "core/deadline.h"
#include "core/error.h"

namespace emailv2::actions::mailbox {

struct BatchOutcome {
  std::size_t done = 0;
  std::size_t failed = 0;
  std::optional<Error> first_error;
  nlohmann::ordered_json emails = nlohmann::ordered_json::array();  // Mail Objects of what was done

  void record_failure(std::size_t count, const Error& error);
  std::size_t total() const { return done + failed; }
};

// {error} of a failed batch: `<CODE>: <detail>` when its only item failed, else
// `<k> of <n> failed; first error: <CODE>: <detail>`.
std::string batch_error_text(const BatchOutcome& outcome);

// The envelope (see above). `success_line` is used only when something was done.
ActionResult batch_result(const BatchOutcome& outcome, const std::string& success_line, std::string_view error_prefix);

// A run error as reported: TIMEOUT once the run's deadline (--timeout) has passed becomes DEADLINE.
Error run_error(const Error& error, Deadline deadline);

}  // namespace emailv2::actions::mailbox
