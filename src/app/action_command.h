#pragma once
// Adapts an action (actions/<name>.h: an ActionSpec and a run function) to a CLI command. The runner does, in
// order: `--help`; flags and `--params-json` → ParamSet (exit 64 on error); configuration → IntegrationConfig and
// the action's needs (exit 78); the `--case-id` check (exit 64); the run, repeated every --poll-every seconds while
// in_progress with --until-done; exactly one envelope on stdout. An exception from the action becomes INTERNAL
// (exit 70) without a stack trace.

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "app/command.h"

namespace emailv2::app {

using ActionFn = actions::ActionResult (*)(const actions::ActionContext&, const actions::ParamSet&);

Command action_command(const actions::ActionSpec& spec, ActionFn run);

// The `help <action>` text generated from the spec.
std::string action_help(const actions::ActionSpec& spec);

// Resolves the store path: --store / EMAILV2_STORE, else config Store Path, else ./emailv2.sqlite.
std::string store_path(const GlobalOptions& globals, const std::string& configured);

}  // namespace emailv2::app
