#include "app/action_command.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "actions/case_context.h"
#include "app/config_loader.h"
#include "app/output.h"
#include "core/log.h"
#include "core/param_values.h"
#include "core/text.h"

namespace emailv2::app {
namespace {

using actions::ActionResult;

constexpr std::size_t kMaxParamsJsonBytes = 16 * 1024 * 1024;

Result<std::string> read_params_json(const std::string& source) {
  std::string bytes;
  if (source == "-") {
    char chunk[4096];
    std::size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, stdin)) > 0 && bytes.size() <= kMaxParamsJsonBytes) {
      bytes.append(chunk, n);
    }
  } else {
    std::ifstream in(source, std::ios::binary);
    if (!in) {
      return fail(param_values::invalid("--params-json", "cannot read file " + text::echo_value(source)));
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    bytes = buffer.str();
  }
  if (bytes.size() > kMaxParamsJsonBytes) return fail(param_values::invalid("--params-json", "larger than 16 MiB"));
  return bytes;
}

Result<actions::ParamSet> collect_params(const actions::ActionSpec& spec, const Invocation& inv) {
  auto flags = actions::parse_flags(spec, inv.args);
  if (!flags) return fail(flags.error());
  std::vector<actions::RawParam> json;
  if (inv.globals.params_json) {
    auto document = read_params_json(*inv.globals.params_json);
    if (!document) return fail(document.error());
    auto parsed = actions::parse_params_json(*document);
    if (!parsed) return fail(parsed.error());
    json = std::move(*parsed);
  }
  return actions::resolve(spec, *flags, json);
}

Result<mail::IntegrationConfig> load_integration(const actions::ActionSpec& spec, const Invocation& inv) {
  auto loaded = load_config(inv.globals.config, inv.env);
  if (!loaded) return fail(loaded.error());
  auto config = mail::IntegrationConfig::from_section(loaded->integration);
  if (!config) return fail(config.error());
  if (spec.needs.smtp) EMAILV2_TRY(config->require_smtp());
  if (spec.needs.imap) EMAILV2_TRY(config->require_imap());
  if (spec.needs.sender_display_name) EMAILV2_TRY(config->require_sender_display_name());
  return config;
}

// One poll of any action: plain actions ignore the slot.
using PollFn = std::function<ActionResult(const actions::ActionContext&, const actions::ParamSet&,
                                          actions::PollSessionSlot&)>;

ActionResult run_guarded(const PollFn& run, const actions::ActionContext& ctx, const actions::ParamSet& params,
                         actions::PollSessionSlot& slot) {
  try {
    return run(ctx, params, slot);
  } catch (const std::exception& e) {
    log::error("app", "unexpected exception: {}", text::echo_value(e.what()));
    return ActionResult::from_error(Error(ErrorCode::kInternal, "Internal error: " + text::echo_value(e.what())));
  } catch (...) {
    log::error("app", "unexpected non-standard exception");
    return ActionResult::from_error(Error(ErrorCode::kInternal, "Internal error: unknown exception"));
  }
}

// Waits up to `poll_every` before the next poll: on the action's session when it left one, else asleep.
void wait_between_polls(actions::PollSession* session, std::chrono::seconds poll_every) {
  const Deadline until = Deadline::after(poll_every);
  if (session != nullptr) {
    Result<bool> woke = fail(ErrorCode::kInternal, "no wait");
    try {
      woke = session->wait_for_change(until);
    } catch (const std::exception& e) {
      woke = fail(ErrorCode::kInternal, "Internal error: " + text::echo_value(e.what()));
    }
    if (woke) {
      if (*woke) log::info("app", "change detected; polling now");
      return;
    }
    log::warn("app", "waiting for a change failed ({}); polling again in {} s", woke.error().to_string(),
              until.remaining().count() / 1000);
  }
  std::this_thread::sleep_for(until.remaining());
}

void close_session(actions::PollSessionSlot& slot) {
  if (!slot) return;
  try {
    slot->close();
  } catch (const std::exception& e) {
    log::warn("app", "closing the poll session: {}", text::echo_value(e.what()));
  }
  slot.reset();
}

ActionResult run_action(const actions::ActionSpec& spec, const PollFn& run, const Invocation& inv) {
  auto params = collect_params(spec, inv);
  if (!params) return ActionResult::from_error(params.error());
  auto config = load_integration(spec, inv);
  if (!config) return ActionResult::from_error(config.error());
  const std::string store = store_path(inv.globals, config->store_path);
  std::optional<std::int64_t> case_id;
  if (inv.globals.case_id) {
    auto id = actions::require_case(store, *inv.globals.case_id);
    if (!id) return ActionResult::from_error(id.error());
    case_id = *id;
  }
  actions::PollSessionSlot session;
  for (;;) {
    const actions::ActionContext ctx{*config, store, case_id, inv.globals.alert_id,
                                     Deadline::after(inv.globals.timeout), system_clock()};
    ActionResult result = run_guarded(run, ctx, *params, session);
    if (!inv.globals.until_done || result.state != actions::ExecutionState::kInProgress) {
      close_session(session);
      return result;
    }
    log::info("app", "{}: {}; polling again within {} s", spec.name, result.output_message,
              inv.globals.poll_every.count());
    wait_between_polls(session.get(), inv.globals.poll_every);
  }
}

Command make_command(const actions::ActionSpec& spec, PollFn run) {
  Command c;
  c.name = spec.command;
  c.display_name = spec.name;
  c.aliases = spec.aliases;
  c.summary = spec.summary;
  c.help = [&spec] { return action_help(spec); };
  c.run = [&spec, run = std::move(run)](const Invocation& inv) {
    if (inv.globals.help) {
      print_text(inv.out, action_help(spec));
      return 0;
    }
    return print_envelope(inv.out, run_action(spec, run, inv), inv.globals.pretty);
  };
  return c;
}

std::string_view type_name(const actions::ParamSpec& p) {
  switch (p.type) {
    case actions::ParamType::kString:
      return "string";
    case actions::ParamType::kText:
      return "text (not trimmed)";
    case actions::ParamType::kCheckbox:
      return "checkbox";
    case actions::ParamType::kInteger:
      return "integer";
    case actions::ParamType::kCsv:
      return "comma-separated list";
    case actions::ParamType::kAddressList:
      return "address list (, or ;)";
    case actions::ParamType::kRegex:
      return "RE2 regular expression";
  }
  return "string";
}

}  // namespace

std::string store_path(const GlobalOptions& globals, const std::string& configured) {
  if (globals.store && !globals.store->empty()) return *globals.store;
  if (!configured.empty()) return configured;
  return "./emailv2.sqlite";
}

std::string action_help(const actions::ActionSpec& spec) {
  std::string out = "Usage: emailv2 [global options] " + std::string(spec.command);
  out += spec.params.empty() ? "" : " [--<parameter> VALUE ...] [--params-json FILE|-]";
  out += "\n\n" + std::string(spec.name) + ": " + std::string(spec.summary) + "\n";
  if (spec.params.empty()) return out + "\nThis action takes no parameters.\n";
  out += "\nParameters (flag = normalised display name; --params-json keys = display names):\n";
  for (const auto& p : spec.params) {
    out += "  --" + text::normalise_name(p.name) + "  \"" + std::string(p.name) + "\", " + std::string(type_name(p));
    if (p.type == actions::ParamType::kInteger) out += " " + std::to_string(p.min) + ".." + std::to_string(p.max);
    if (p.mandatory) out += ", mandatory";
    if (!p.default_value.empty()) out += ", default \"" + std::string(p.default_value) + "\"";
    for (std::string_view alias : p.aliases) out += ", also \"" + std::string(alias) + "\"";
    out += "\n";
  }
  return out;
}

Command action_command(const actions::ActionSpec& spec, ActionFn run) {
  return make_command(spec, [run](const actions::ActionContext& ctx, const actions::ParamSet& params,
                                  actions::PollSessionSlot&) { return run(ctx, params); });
}

Command async_action_command(const actions::ActionSpec& spec, actions::AsyncActionFn run) {
  return make_command(spec, run);
}

}  // namespace emailv2::app
