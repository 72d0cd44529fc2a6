#include "app/connector_command.h"

#include <filesystem>

#include "app/action_command.h"
#include "app/config_loader.h"
#include "app/output.h"
#include "connector/cycle.h"
#include "connector/daemon.h"
#include "connector/lease_guard.h"
#include "connector/settings.h"
#include "connector/stop_signals.h"
#include "core/param_values.h"
#include "core/text.h"
#include "mail/dry_run_mail_store.h"
#include "mail/imap_mail_store.h"
#include "store/checkpoint_repository.h"

namespace emailv2::app {
namespace {

constexpr std::string_view kHelp =
    "Usage: emailv2 [global options] connector [--once | --every [DURATION]] [--dry-run] [--limit N]\n"
    "                                         [--reset-checkpoint FOLDER]\n"
    "\n"
    "Generic IMAP Email Connector: ingests new mail of the configured folders into the case store, exactly once\n"
    "(one case per message, committed with the folder checkpoint; \\Seen only after the commit).\n"
    "  --once                   one cycle (the default)\n"
    "  --every [DURATION]       a cycle every DURATION (DD:HH:MM:SS or <n>s/m/h; default: Run Every); SIGTERM\n"
    "                           finishes the open message and exits 0; SIGHUP reloads the configuration\n"
    "  --dry-run                read-only (EXAMINE): no store rows, no flags, no lease; prints the would-be alerts\n"
    "  --limit N                messages per cycle across folders (1-10000) instead of Max Emails Per Cycle\n"
    "  --reset-checkpoint F     forget folder F's checkpoint and UIDVALIDITY streak (next cycle is a first run;\n"
    "                           the ledger prevents re-alerts)\n"
    "One JSON summary line per cycle on stdout. Exit: 0 ok, 2 partial/failed, 64 usage, 75 lease held elsewhere,\n"
    "78 configuration.\n";

struct ConnectorArgs {
  bool once = false;
  bool every = false;
  std::optional<std::string> every_value;
  bool dry_run = false;
  std::optional<std::size_t> limit;
  std::optional<std::string> reset_folder;
};

Error usage(std::string detail) { return Error(ErrorCode::kParamInvalid, std::move(detail)); }

Result<std::string> value_of(const std::vector<std::string>& args, std::size_t& i, const std::string& name,
                             const std::optional<std::string>& inline_value) {
  if (inline_value) return *inline_value;
  if (i + 1 >= args.size()) return fail(usage("Option --" + name + " needs a value"));
  return args[++i];
}

Result<ConnectorArgs> parse_args(const std::vector<std::string>& args) {
  ConnectorArgs a;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token.size() <= 2 || token.compare(0, 2, "--") != 0) {
      return fail(usage("Unexpected argument \"" + text::echo_value(token) + "\" for \"connector\""));
    }
    const auto eq = token.find('=');
    const std::string name = text::normalise_name(token.substr(2, eq == std::string::npos ? eq : eq - 2));
    const std::optional<std::string> inline_value =
        eq == std::string::npos ? std::nullopt : std::optional<std::string>(token.substr(eq + 1));
    if (name == "once") {
      a.once = true;
    } else if (name == "dry-run") {
      a.dry_run = true;
    } else if (name == "every") {
      a.every = true;
      if (inline_value) a.every_value = inline_value;
      else if (i + 1 < args.size() && args[i + 1].compare(0, 2, "--") != 0) a.every_value = args[++i];
    } else if (name == "limit") {
      auto v = value_of(args, i, name, inline_value);
      if (!v) return fail(v.error());
      auto n = param_values::parse_integer("--limit", *v, 1, 10000);
      if (!n) return fail(n.error());
      a.limit = static_cast<std::size_t>(*n);
    } else if (name == "reset-checkpoint") {
      auto v = value_of(args, i, name, inline_value);
      if (!v) return fail(v.error());
      if (text::trim(*v).empty()) return fail(usage("Option --reset-checkpoint needs a folder"));
      a.reset_folder = std::string(text::trim(*v));
    } else {
      return fail(usage("Unknown option \"" + text::echo_value(token) + "\" for \"connector\""));
    }
  }
  if (a.once && a.every) return fail(usage("--once and --every cannot be combined"));
  return a;
}

int print_error_summary(const Invocation& inv, const Error& error, const std::string& instance = "default",
                        const std::string& account = "") {
  connector::CycleSummary s;
  s.instance = instance;
  s.account = account;
  s.status = connector::CycleStatus::kFailed;
  s.started_at = s.finished_at = std::chrono::system_clock::now();
  s.error = error;
  std::fputs(connector::summary_line(s, inv.globals.pretty).c_str(), inv.out);
  std::fflush(inv.out);
  if (error.code() == ErrorCode::kRegexInvalid || error.code() == ErrorCode::kConfigInvalid ||
      error.code() == ErrorCode::kConfigMissing) {
    return 78;
  }
  return error.exit_code();
}

// The settings, with the integration's Store Path (the connector table has none) in settings.mail.store_path.
Result<connector::Settings> load(const Invocation& inv) {
  auto loaded = load_config(inv.globals.config, inv.env);
  if (!loaded) return fail(loaded.error());
  auto settings = connector::load_settings(loaded->connector, loaded->integration);
  if (!settings) return fail(settings.error());
  if (const ConfigValue* v = loaded->integration.find("store-path")) {
    settings->mail.store_path = std::string(text::trim(v->value));
  }
  return settings;
}

std::unique_ptr<mail::MailStore> make_mail(const connector::Settings& s, bool dry_run) {
  auto imap = mail::make_imap_mail_store(s.mail);
  if (!dry_run) return imap;
  return std::make_unique<mail::DryRunMailStore>(std::move(imap));
}

int reset_checkpoint(const Invocation& inv, store::Database& db, const connector::Settings& s,
                     const std::string& path, const std::string& folder) {
  auto lease = connector::LeaseGuard::acquire(
      db, {path, s.instance, s.account, s.script_timeout + connector::kLeaseSlack}, system_clock());
  if (!lease) return print_error_summary(inv, lease.error(), s.instance, s.account);
  nlohmann::ordered_json j;
  j["connector"] = connector::kConnectorName;
  j["instance"] = s.instance;
  j["account"] = s.account;
  j["reset_checkpoint"] = folder;
  if (!lease->taken()) {
    j["status"] = "skipped";
    print_text(inv.out, j.dump());
    return 75;
  }
  auto tx = db.begin_write();
  if (!tx) return print_error_summary(inv, tx.error(), s.instance, s.account);
  auto deleted = store::CheckpointRepository(db).reset(*tx, {s.instance, s.account, folder});
  if (!deleted) return print_error_summary(inv, deleted.error(), s.instance, s.account);
  const Status committed = tx->commit();
  if (!committed) return print_error_summary(inv, committed.error(), s.instance, s.account);
  j["deleted"] = *deleted;
  print_text(inv.out, j.dump());
  return 0;
}

int run_connector(const Invocation& inv) {
  if (inv.globals.help) {
    print_text(inv.out, kHelp);
    return 0;
  }
  auto args = parse_args(inv.args);
  if (!args) return print_error_summary(inv, args.error());
  std::optional<std::chrono::seconds> every;
  if (args->every_value) {
    auto d = connector::parse_duration("--every", *args->every_value);
    if (!d) return print_error_summary(inv, Error(ErrorCode::kParamInvalid, d.error().detail()));
    every = *d;
  }
  auto settings = load(inv);
  if (!settings) return print_error_summary(inv, settings.error());
  const std::string path = store_path(inv.globals, settings->mail.store_path);
  auto db = store::Database::open(path);
  if (!db) return print_error_summary(inv, db.error(), settings->instance, settings->account);
  connector::install_stop_signals();
  if (args->reset_folder) {
    const int rc = reset_checkpoint(inv, *db, *settings, path, *args->reset_folder);
    if (rc != 0 || (!args->once && !args->every)) return rc;
  }
  const auto cycle = [&](const connector::Settings& s) {
    auto mail = make_mail(s, args->dry_run);
    connector::CycleOptions options;
    options.dry_run = args->dry_run;
    options.limit = args->limit;
    options.store_path = path;
    options.stop_requested = [] { return connector::stop_requested(); };
    return connector::run_cycle(s, *mail, *db, system_clock(), options);
  };
  const auto print = [&](const connector::CycleSummary& summary) {
    std::fputs(connector::summary_line(summary, inv.globals.pretty).c_str(), inv.out);
    std::fflush(inv.out);
  };
  if (!args->every) {
    const auto summary = cycle(*settings);
    print(summary);
    return summary.stopped && summary.status != connector::CycleStatus::kFailed ? 0 : connector::exit_code(summary);
  }
  connector::DaemonHooks hooks;
  hooks.load_settings = [&] { return load(inv); };
  hooks.run_cycle = cycle;
  hooks.on_summary = print;
  return connector::run_daemon(std::move(*settings), every, hooks);
}

}  // namespace

Command connector_command() {
  Command c;
  c.name = "connector";
  c.display_name = "Generic IMAP Email Connector";
  c.aliases = {"generic-imap-email-connector"};
  c.summary = "Run the Generic IMAP Email Connector (one cycle, a daemon, or a dry run)";
  c.help = [] { return std::string(kHelp); };
  c.run = run_connector;
  return c;
}

}  // namespace emailv2::app
