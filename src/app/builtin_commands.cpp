#include "app/builtin_commands.h"

#include "actions/action_result.h"
#include "app/command_registry.h"
#include "app/output.h"
#include "core/text.h"

namespace emailv2::app {
namespace {

constexpr std::string_view kGlobalOptions =
    "Global options (before or after the command):\n"
    "  --config FILE            configuration file, TOML or JSON (env EMAILV2_CONFIG; default ./emailv2.toml)\n"
    "  --store FILE             case store (env EMAILV2_STORE; default config \"Store Path\", else ./emailv2.sqlite)\n"
    "  --case-id ID             case context, must exist in the store (env EMAILV2_CASE_ID)\n"
    "  --alert-id ID            alert context (env EMAILV2_ALERT_ID)\n"
    "  --params-json FILE|-     action parameters as a JSON object keyed by display names\n"
    "  --timeout SECONDS        wall-clock limit per action run (default 600)\n"
    "  --until-done             async actions: poll until no longer in progress\n"
    "  --poll-every SECONDS     poll interval for --until-done (default 60)\n"
    "  --log-level LEVEL        error|warn|info|debug|trace (env EMAILV2_LOG_LEVEL; default info)\n"
    "  --log-format FORMAT      text|json (default text); logs go to stderr\n"
    "  --pretty                 indent the JSON printed on stdout\n"
    "  --help, -h               help for the command\n";

}  // namespace

std::string overview_help() {
  std::string out = "Usage: emailv2 [global options] <command> [--<parameter> VALUE ...] [--params-json FILE|-]\n\n";
  out += "Commands (names are matched after normalisation, so \"Ping\" works too):\n";
  for (const Command& c : commands()) {
    std::string name(c.name);
    name.resize(std::max<std::size_t>(name.size(), 24), ' ');
    out += "  " + name + " " + std::string(c.summary) + "\n";
  }
  out += "\n";
  out += kGlobalOptions;
  out += "\nRun `emailv2 help <command>` or `emailv2 <command> --help` for the command's parameters.\n";
  return out;
}

Command help_command() {
  Command c;
  c.name = "help";
  c.display_name = "help";
  c.summary = "Show this help, or the help of one command";
  c.help = [] { return std::string("Usage: emailv2 help [command]\n"); };
  c.run = [](const Invocation& inv) {
    if (inv.args.empty()) {
      print_text(inv.out, overview_help());
      return 0;
    }
    std::string typed;
    for (const auto& a : inv.args) typed += (typed.empty() ? "" : " ") + a;
    const Command* target = find_command(typed);
    if (target == nullptr) {
      const Error e(ErrorCode::kParamInvalid, "Unknown command \"" + text::echo_value(typed) + "\"");
      return print_envelope(inv.out, actions::ActionResult::from_error(e), inv.globals.pretty);
    }
    print_text(inv.out, target->help());
    return 0;
  };
  return c;
}

Command version_command() {
  Command c;
  c.name = "version";
  c.display_name = "version";
  c.summary = "Print the version";
  c.help = [] { return std::string("Usage: emailv2 version\n"); };
  c.run = [](const Invocation& inv) {
    print_text(inv.out, "emailv2 " + std::string(kVersion));
    return 0;
  };
  return c;
}

}  // namespace emailv2::app
