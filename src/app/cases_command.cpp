#include "app/cases_command.h"

#include <cstdint>
#include <filesystem>

#include "actions/action_result.h"
#include "actions/case_context.h"
#include "app/action_command.h"
#include "app/config_loader.h"
#include "app/output.h"
#include "core/param_values.h"
#include "core/text.h"
#include "mail/integration_config.h"
#include "store/attachment_export.h"
#include "store/case_views.h"

namespace emailv2::app {
namespace {

constexpr std::string_view kHelp =
    "Usage: emailv2 [global options] cases list [--limit N] [--offset N]\n"
    "       emailv2 [global options] cases show CASE_ID\n"
    "       emailv2 [global options] cases attachment ATTACHMENT_ID --out FILE\n"
    "\n"
    "Reads the case store (--store FILE / EMAILV2_STORE / config \"Store Path\" / ./emailv2.sqlite).\n"
    "  list        cases newest first, with their alerts (default --limit 50, --offset 0)\n"
    "  show        one case with its alerts, events and case wall (attachment metadata)\n"
    "  attachment  writes one wall attachment's bytes to FILE, which must not exist\n";

Error usage(std::string detail) { return Error(ErrorCode::kParamInvalid, std::move(detail)); }

struct CasesArgs {
  std::string verb;
  std::string id;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
  std::string out;
};

Status take_option(const std::vector<std::string>& args, std::size_t& i, CasesArgs& a) {
  const std::string& token = args[i];
  const auto eq = token.find('=');
  const std::string name = text::normalise_name(token.substr(2, eq == std::string::npos ? std::string::npos : eq - 2));
  std::string value;
  if (eq != std::string::npos) {
    value = token.substr(eq + 1);
  } else if (i + 1 < args.size()) {
    value = args[++i];
  } else {
    return fail(usage("Option --" + name + " needs a value"));
  }
  if (name == "limit" && a.verb == "list") {
    auto v = param_values::parse_integer("--limit", value, 1, 10000);
    if (!v) return fail(v.error());
    a.limit = *v;
  } else if (name == "offset" && a.verb == "list") {
    auto v = param_values::parse_integer("--offset", value, 0, INT64_MAX);
    if (!v) return fail(v.error());
    a.offset = *v;
  } else if (name == "out" && a.verb == "attachment") {
    a.out = value;
  } else {
    return fail(usage("Unknown option \"" + text::echo_value(token) + "\" for \"cases " + a.verb + "\""));
  }
  return ok();
}

Result<CasesArgs> parse_args(const std::vector<std::string>& args) {
  CasesArgs a;
  if (args.empty()) return fail(usage("Missing sub-command: expected cases list, cases show ID or cases attachment ID"));
  a.verb = text::normalise_name(args[0]);
  if (a.verb != "list" && a.verb != "show" && a.verb != "attachment") {
    return fail(usage("Unknown sub-command \"cases " + text::echo_value(args[0]) +
                      "\": expected list, show or attachment"));
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i].size() > 2 && args[i].compare(0, 2, "--") == 0) {
      EMAILV2_TRY(take_option(args, i, a));
    } else if (a.verb != "list" && a.id.empty()) {
      a.id = args[i];
    } else {
      return fail(usage("Unexpected argument \"" + text::echo_value(args[i]) + "\" for \"cases " + a.verb + "\""));
    }
  }
  if (a.verb != "list" && a.id.empty()) return fail(usage("Missing ID for \"cases " + a.verb + "\""));
  if (a.verb == "attachment" && a.out.empty()) return fail(usage("Missing --out FILE for \"cases attachment\""));
  return a;
}

Result<std::string> resolve_store(const Invocation& inv) {
  auto loaded = load_config(inv.globals.config, inv.env);
  if (!loaded) return fail(loaded.error());
  auto config = mail::IntegrationConfig::from_section(loaded->integration);
  if (!config) return fail(config.error());
  return store_path(inv.globals, config->store_path);
}

Result<std::optional<store::Database>> open_existing(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<store::Database>();
  store::OpenOptions options;
  options.create_if_missing = false;
  auto db = store::Database::open(path, options);
  if (!db) return fail(db.error());
  return std::optional<store::Database>(std::move(*db));
}

Result<nlohmann::ordered_json> run_verb(const CasesArgs& a, const std::string& path) {
  auto db = open_existing(path);
  if (!db) return fail(db.error());
  if (a.verb == "list") {
    if (!*db) return nlohmann::ordered_json::array();
    return store::cases_list_view(**db, a.limit, a.offset);
  }
  if (a.verb == "show") {
    auto id = actions::parse_case_id(a.id);
    if (!id) return fail(id.error());
    const Error not_found(ErrorCode::kParamInvalid, "Case " + text::echo_value(a.id) + " not found in the case store");
    if (!*db) return fail(not_found);
    auto view = store::case_show_view(**db, *id);
    if (!view) return fail(view.error());
    if (!*view) return fail(not_found);
    return std::move(**view);
  }
  auto id = param_values::parse_integer("ATTACHMENT_ID", a.id, 1, INT64_MAX);
  if (!id) return fail(id.error());
  if (!*db) return fail(ErrorCode::kParamInvalid, "Attachment " + std::to_string(*id) + " not found in the case store");
  auto written = store::write_attachment_file(**db, *id, a.out);
  if (!written) return fail(written.error());
  nlohmann::ordered_json j;
  j["attachment_id"] = *id;
  j["path"] = written->path.string();
  j["size"] = written->size;
  j["sha256"] = written->sha256;
  return j;
}

int run_cases(const Invocation& inv) {
  if (inv.globals.help) {
    print_text(inv.out, kHelp);
    return 0;
  }
  auto args = parse_args(inv.args);
  if (!args) return print_envelope(inv.out, actions::ActionResult::from_error(args.error()), inv.globals.pretty);
  auto path = resolve_store(inv);
  if (!path) return print_envelope(inv.out, actions::ActionResult::from_error(path.error()), inv.globals.pretty);
  auto result = run_verb(*args, *path);
  if (!result) return print_envelope(inv.out, actions::ActionResult::from_error(result.error()), inv.globals.pretty);
  print_text(inv.out, result->dump(inv.globals.pretty ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  return 0;
}

}  // namespace

Command cases_command() {
  Command c;
  c.name = "cases";
  c.display_name = "cases";
  c.summary = "List and show cases of the case store; export a case wall attachment";
  c.help = [] { return std::string(kHelp); };
  c.run = run_cases;
  return c;
}

}  // namespace emailv2::app
