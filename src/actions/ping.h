#pragma once
// Ping (CONTRACT §3.1): checks the configured protocols independently. IMAP: connect, TLS, CAPABILITY,
// authenticate, NOOP, LOGOUT. SMTP: greeting, EHLO, STARTTLS (if applicable), AUTH (if enabled), NOOP, QUIT; no mail
// is sent. No parameters.

#include <optional>
#include <string>
#include <vector>

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "core/error.h"

namespace emailv2::actions {

const ActionSpec& ping_spec();
ActionResult run_ping(const ActionContext& ctx, const ParamSet& params);

// The outcome of one protocol check, for composing the result (pure, unit-tested).
struct ProbeOutcome {
  bool configured = false;
  std::optional<Error> error;         // set when the check failed
  std::vector<std::string> features;  // IMAP capabilities / SMTP EHLO extension lines
};

// The §3.1 envelope from the two outcomes. Neither configured → failed/78 with the contract message.
ActionResult ping_result(const ProbeOutcome& imap, const ProbeOutcome& smtp);

}  // namespace emailv2::actions
