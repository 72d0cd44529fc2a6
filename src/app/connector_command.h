#pragma once
// `emailv2 connector [--once | --every [DURATION]] [--dry-run] [--limit N] [--reset-checkpoint FOLDER]`
// (alias `generic-imap-email-connector`; CONTRACT §5.5). Loads and validates the [connector] configuration before
// any I/O (exit 78 with a summary line carrying the error), opens the case store, and runs:
//   --once (default)      one cycle: one JSON summary line, exit 0 ok / 2 partial or failed / 75 skipped;
//   --every [DURATION]    the daemon (connector/daemon.h), one summary line per cycle, exit 0 on SIGTERM/SIGINT;
//   --dry-run             EXAMINE, no rows, no flags, no lease; the would-be alerts in the summary's `alerts`;
//   --limit N             the budget of this run (1–10000) instead of Max Emails Per Cycle;
//   --reset-checkpoint F  under the lease: deletes F's checkpoint and UIDVALIDITY streak, prints
//                         {"connector", "instance", "account", "reset_checkpoint": F, "deleted": bool}; with --once or
//                         --every a cycle follows.
// Usage errors: a summary line with status "failed" and "error": "PARAM_INVALID: …", exit 64.

#include "app/command.h"

namespace emailv2::app {

Command connector_command();

}  // namespace emailv2::app
