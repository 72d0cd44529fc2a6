#pragma once
// A CLI command. Every command the binary offers is one entry in app/command_registry.cpp; actions are adapted
// by action_command() (app/action_command.h), so adding an action is one line there plus its actions/ file.

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/cli_args.h"
#include "app/environment.h"

namespace emailv2::app {

struct Invocation {
  const GlobalOptions& globals;
  const std::vector<std::string>& args;  // the command's own tokens, global options removed
  const Environment& env;
  std::FILE* out;                        // stdout: envelopes and results only
};

struct Command {
  std::string_view name;                  // canonical, already normalised ("send-email")
  std::string_view display_name;          // D name when it has one ("Send Email"), else name
  std::vector<std::string_view> aliases;  // other accepted names (normalised on lookup)
  std::string_view summary;               // one line for `emailv2 help`
  std::function<std::string()> help;      // full text for `help <command>` / `<command> --help`
  std::function<int(const Invocation&)> run;
};

}  // namespace emailv2::app
