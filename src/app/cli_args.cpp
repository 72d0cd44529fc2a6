#include "app/cli_args.h"

#include <set>

#include "core/param_values.h"
#include "core/text.h"

namespace emailv2::app {
namespace {

struct OptionInfo {
  std::string_view name;  // normalised
  bool takes_value;
};

constexpr OptionInfo kOptions[] = {
    {"config", true},       {"store", true},      {"case-id", true},    {"alert-id", true},
    {"params-json", true},  {"timeout", true},    {"until-done", false}, {"poll-every", true},
    {"log-level", true},    {"log-format", true}, {"pretty", false},     {"help", false},
};

const OptionInfo* find_option(std::string_view token) {
  if (token == "-h") return &kOptions[11];
  if (token.size() < 3 || token.substr(0, 2) != "--") return nullptr;
  std::string_view body = token.substr(2);
  body = body.substr(0, body.find('='));
  const std::string key = text::normalise_name(body);
  for (const OptionInfo& o : kOptions) {
    if (o.name == key) return &o;
  }
  return nullptr;
}

Error usage(std::string detail) { return Error(ErrorCode::kParamInvalid, std::move(detail)); }

Status apply(GlobalOptions& g, std::string_view name, const std::string& value) {
  const std::string flag = "--" + std::string(name);
  if (name == "config") g.config = value;
  if (name == "store") g.store = value;
  if (name == "case-id") g.case_id = value;
  if (name == "alert-id") g.alert_id = value;
  if (name == "params-json") g.params_json = value;
  if (name == "timeout" || name == "poll-every") {
    auto seconds = param_values::parse_integer(flag, value, 1, 7 * 24 * 3600);
    if (!seconds) return fail(seconds.error());
    (name == "timeout" ? g.timeout : g.poll_every) = std::chrono::seconds(*seconds);
  }
  if (name == "until-done" || name == "pretty" || name == "help") {
    auto on = param_values::parse_checkbox(flag, value);
    if (!on) return fail(on.error());
    (name == "until-done" ? g.until_done : name == "pretty" ? g.pretty : g.help) = *on;
  }
  if (name == "log-level" && !log::parse_level(text::to_lower_ascii(text::trim(value)), g.log_level)) {
    return fail(param_values::invalid(flag, "expected one of error, warn, info, debug, trace, got \"" +
                                                text::echo_value(value) + "\""));
  }
  if (name == "log-format" && !log::parse_format(text::to_lower_ascii(text::trim(value)), g.log_format)) {
    return fail(param_values::invalid(flag, "expected text or json, got \"" + text::echo_value(value) + "\""));
  }
  return ok();
}

Status apply_environment(GlobalOptions& g, const Environment& env) {
  const std::pair<std::string_view, std::optional<std::string>*> vars[] = {
      {"EMAILV2_CONFIG", &g.config}, {"EMAILV2_STORE", &g.store},
      {"EMAILV2_CASE_ID", &g.case_id}, {"EMAILV2_ALERT_ID", &g.alert_id}};
  for (const auto& [var, target] : vars) {
    if (auto v = env.get(var); v && !v->empty()) *target = *v;
  }
  if (auto level = env.get("EMAILV2_LOG_LEVEL"); level && !level->empty()) {
    if (!log::parse_level(text::to_lower_ascii(text::trim(*level)), g.log_level)) {
      return fail(param_values::invalid("EMAILV2_LOG_LEVEL", "expected one of error, warn, info, debug, trace, got \"" +
                                                                 text::echo_value(*level) + "\""));
    }
  }
  return ok();
}

}  // namespace

bool is_global_option(std::string_view token) { return find_option(token) != nullptr; }

Result<CommandLine> parse_command_line(const std::vector<std::string>& argv, const Environment& env) {
  CommandLine cl;
  EMAILV2_TRY(apply_environment(cl.globals, env));
  std::set<std::string_view> seen;
  bool have_command = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& token = argv[i];
    const OptionInfo* option = find_option(token);
    if (option == nullptr) {
      if (have_command) {
        cl.args.push_back(token);
        continue;
      }
      if (token.size() > 1 && token[0] == '-') return fail(usage("Unknown option \"" + text::echo_value(token) + "\""));
      cl.command = token;
      have_command = true;
      continue;
    }
    if (!seen.insert(option->name).second && option->name != "help") {
      return fail(usage("Option --" + std::string(option->name) + " was given more than once"));
    }
    const auto eq = token.find('=');
    std::string value;
    if (eq != std::string::npos) {
      value = token.substr(eq + 1);
    } else if (!option->takes_value) {
      value = "true";
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      return fail(usage("Option --" + std::string(option->name) + " needs a value"));
    }
    EMAILV2_TRY(apply(cl.globals, option->name, value));
  }
  return cl;
}

}  // namespace emailv2::app
