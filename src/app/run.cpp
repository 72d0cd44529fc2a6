#include "app/run.h"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "actions/action_result.h"
#include "app/builtin_commands.h"
#include "app/cli_args.h"
#include "app/command_registry.h"
#include "app/environment.h"
#include "app/output.h"
#include "core/log.h"
#include "core/text.h"

namespace emailv2::app {
namespace {

int usage_error(const Error& error, bool pretty) {
  std::fprintf(stderr, "emailv2: %s\nRun `emailv2 help` for the commands and options.\n", error.detail().c_str());
  return print_envelope(stdout, actions::ActionResult::from_error(error), pretty);
}

int dispatch(const std::vector<std::string>& argv, const Environment& env) {
  auto cl = parse_command_line(argv, env);
  if (!cl) return usage_error(cl.error(), false);
  log::configure(cl->globals.log_level, cl->globals.log_format);
  if (cl->command.empty()) {
    if (cl->globals.help) {
      print_text(stdout, overview_help());
      return 0;
    }
    return usage_error(Error(ErrorCode::kParamInvalid, "Missing command"), cl->globals.pretty);
  }
  const Command* command = find_command(cl->command);
  if (command == nullptr) {
    return usage_error(Error(ErrorCode::kParamInvalid, "Unknown command \"" + text::echo_value(cl->command) + "\""),
                       cl->globals.pretty);
  }
  const Invocation inv{cl->globals, cl->args, env, stdout};
  return command->run(inv);
}

int internal_error(std::string_view what) {
  const Error e(ErrorCode::kInternal, "Internal error: " + text::echo_value(what));
  return print_envelope(stdout, actions::ActionResult::from_error(e), false);
}

}  // namespace

int run(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    const ProcessEnvironment env;
    return dispatch(args, env);
  } catch (const std::exception& e) {
    return internal_error(e.what());
  } catch (...) {
    return internal_error("unknown exception");
  }
}

}  // namespace emailv2::app
