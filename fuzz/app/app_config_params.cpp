// Fuzzes the configuration and parameter front door: the first input byte picks the path (TOML file, JSON file,
// --params-json document, command line), the rest is the document. Nothing may crash or throw, errors must carry
// the usage/config exit codes, and every echoed message must be free of CR/LF/NUL.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "actions/params.h"
#include "app/cli_args.h"
#include "app/config_file.h"
#include "app/config_loader.h"
#include "core/param_values.h"
#include "core/text.h"
#include "mail/integration_config.h"

namespace {

using namespace emailv2;

const actions::ActionSpec& spec() {
  static const actions::ActionSpec s{
      "fuzz",
      "Fuzz",
      {},
      "fuzz",
      {
          actions::ParamSpec{"Folder Name", {}, actions::ParamType::kCsv, "Inbox", true, 0, 0, true, 100},
          actions::ParamSpec{"Subject", {"Subject Filter"}, actions::ParamType::kString, "", false, 0, 0, true, 0},
          actions::ParamSpec{"Only Unread", {}, actions::ParamType::kCheckbox, "false", false, 0, 0, false, 0},
          actions::ParamSpec{"Max", {}, actions::ParamType::kInteger, "5", false, 1, 10000, false, 0},
          actions::ParamSpec{"Recipients", {}, actions::ParamType::kAddressList, "", false, 0, 0, true, 1000},
          actions::ParamSpec{"Pattern", {}, actions::ParamType::kRegex, "", false, 0, 0, false, 0},
          actions::ParamSpec{"Content", {}, actions::ParamType::kText, "", false, 0, 0, false, 0},
      },
      {}};
  return s;
}

void check_error(const Error& e, bool config) {
  const int exit = e.exit_code();
  if (config ? exit != 78 : exit != 64) std::abort();
  if (text::has_line_breaks_or_nul(e.detail())) std::abort();
}

void fuzz_config(std::string_view path, std::string_view doc) {
  auto file = app::parse_config_text(path, doc);
  if (!file) return check_error(file.error(), true);
  file->is_private = doc.size() % 2 == 0;
  auto loaded = app::merge_config(*file, app::MapEnvironment());
  if (!loaded) return check_error(loaded.error(), true);
  auto typed = mail::IntegrationConfig::from_section(loaded->integration);
  if (!typed) return check_error(typed.error(), true);
  (void)typed->require_imap();
  (void)typed->require_smtp();
}

void fuzz_params(std::string_view doc) {
  auto raw = actions::parse_params_json(doc);
  if (!raw) return check_error(raw.error(), false);
  auto set = actions::resolve(spec(), {}, *raw);
  if (!set) return check_error(set.error(), false);
  for (const auto& item : set->list("Folder Name")) {
    if (item.empty()) std::abort();
  }
}

void fuzz_command_line(std::string_view doc) {
  std::vector<std::string> argv;
  std::string current;
  for (char c : doc) {
    if (c == ' ') {
      argv.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  argv.push_back(current);
  auto cl = app::parse_command_line(argv, app::MapEnvironment());
  if (!cl) return check_error(cl.error(), false);
  auto flags = actions::parse_flags(spec(), cl->args);
  if (!flags) return check_error(flags.error(), false);
  auto set = actions::resolve(spec(), *flags, {});
  if (!set) check_error(set.error(), false);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view doc(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      fuzz_config("fuzz.toml", doc);
      break;
    case 1:
      fuzz_config("fuzz.json", doc);
      break;
    case 2:
      fuzz_params(doc);
      break;
    default:
      fuzz_command_line(doc);
      break;
  }
  return 0;
}
