#pragma once
// Adapts an action (actions/<name>.h: an ActionSpec and a run function) to a CLI command. The runner does, in
// order: `--help`; flags and `--params-json` → ParamSet (exit 64 on error); configuration → IntegrationConfig and
// the action's needs (exit 78); the `--case-id` check (exit 64); the run, repeated while in_progress with
// --until-done; exactly one envelope on stdout. An exception from the action becomes INTERNAL (exit 70) without a
// stack trace.
//
// --until-done: between two polls the runner waits at most --poll-every seconds. An async action
// (async_action_command) may leave a PollSession in its slot (actions/poll_session.h): the runner then waits on
// it (e.g. IMAP IDLE), so a change wakes the next poll at once; when that wait fails it logs a warn and sleeps the
// rest of the interval. Without a session it sleeps. Each poll gets its own --timeout deadline; the session is
// closed after the last poll.

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "actions/poll_session.h"
#include "app/command.h"

namespace emailv2::app {

using ActionFn = actions::ActionResult (*)(const actions::ActionContext&, const actions::ParamSet&);

Command action_command(const actions::ActionSpec& spec, ActionFn run);
// An async action whose polls share a PollSession slot (see above).
Command async_action_command(const actions::ActionSpec& spec, actions::AsyncActionFn run);

// The `help <action>` text generated from the spec.
std::string action_help(const actions::ActionSpec& spec);

// Resolves the store path: --store / EMAILV2_STORE, else config Store Path, else ./emailv2.sqlite.
std::string store_path(const GlobalOptions& globals, const std::string& configured);

}  // namespace emailv2::app
