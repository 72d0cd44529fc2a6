#pragma once
// The command line of CONTRACT §1.1: `emailv2 [global options] <command> [args...]`. Global options may appear
// before or after the command; their names are reserved and matched after normalisation (`--Log-Level` works).
// Everything else after the command is left, in order, for the command (action flags, `cases show ID`, ...).
//
// A hand parser rather than CLI11: action flags are declared per action at run time, matched by normalised name
// and a bare checkbox flag may or may not take a value — rules CLI11 would fight at every step.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/environment.h"
#include "core/log.h"
#include "core/result.h"

namespace emailv2::app {

struct GlobalOptions {
  std::optional<std::string> config;       // --config / EMAILV2_CONFIG (resolved later by choose_config_path)
  std::optional<std::string> store;        // --store / EMAILV2_STORE
  std::optional<std::string> case_id;      // --case-id / EMAILV2_CASE_ID
  std::optional<std::string> alert_id;     // --alert-id / EMAILV2_ALERT_ID
  std::optional<std::string> params_json;  // --params-json FILE|-
  std::chrono::seconds timeout{600};
  bool until_done = false;
  std::chrono::seconds poll_every{60};
  log::Level log_level = log::Level::kInfo;  // --log-level / EMAILV2_LOG_LEVEL
  log::Format log_format = log::Format::kText;
  bool pretty = false;
  bool help = false;  // --help / -h anywhere
};

struct CommandLine {
  GlobalOptions globals;
  std::string command;             // as typed; empty when none was given
  std::vector<std::string> args;   // the command's own tokens
};

// Errors are PARAM_INVALID (exit 64): `Unknown option "<x>"`, `Option --<name> needs a value`,
// `Option --<name> was given more than once`, and the §1.2 value messages for --timeout, --poll-every,
// --log-level and --log-format.
Result<CommandLine> parse_command_line(const std::vector<std::string>& argv, const Environment& env);

// True when the token names a global option (`--pretty`, `--log-level=debug`, ...).
bool is_global_option(std::string_view token);

}  // namespace emailv2::app
