#include "app/parse_command.h"

#include "actions/action_result.h"
#include "actions/attachment_files.h"
#include "app/mail_file_reader.h"
#include "app/output.h"
#include "core/limits.h"
#include "core/safe_file_writer.h"
#include "core/text.h"
#include "mime/mail_object.h"
#include "mime/parse_message.h"

namespace emailv2::app {
namespace {

constexpr std::string_view kHelp =
    "Usage: emailv2 [global options] parse FILE [--attachments-out DIR]\n"
    "\n"
    "Parses a local .eml or Outlook .msg file offline (no network, no store) and prints its Mail Object\n"
    "as json_result. The format is detected from the content (OLE2 signature), not the extension.\n"
    "  --attachments-out DIR  also write every attachment into DIR (created 0750 if missing) under a safe\n"
    "                         name (CONTRACT 6.4); the files are listed in json_result.written_files\n"
    "A file over the Max Message Size (50 MiB) is not loaded: only its header section is parsed and the\n"
    "Mail Object says over_limit: true (CONTRACT 6.3).\n";

Error usage(std::string detail) { return Error(ErrorCode::kParamInvalid, std::move(detail)); }

struct ParseArgs {
  std::string file;
  std::string out_dir;
};

Result<ParseArgs> parse_args(const std::vector<std::string>& args) {
  ParseArgs a;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token.size() > 2 && token.compare(0, 2, "--") == 0) {
      const auto eq = token.find('=');
      const std::string name = text::normalise_name(token.substr(2, eq == std::string::npos ? eq : eq - 2));
      if (name != text::normalise_name("attachments-out")) {
        return fail(usage("Unknown option \"" + text::echo_value(token) + "\" for \"parse\""));
      }
      if (eq != std::string::npos) {
        a.out_dir = token.substr(eq + 1);
      } else if (i + 1 < args.size()) {
        a.out_dir = args[++i];
      } else {
        return fail(usage("Option --attachments-out needs a value"));
      }
      if (a.out_dir.empty()) return fail(usage("Option --attachments-out needs a directory"));
    } else if (a.file.empty()) {
      a.file = token;
    } else {
      return fail(usage("Unexpected argument \"" + text::echo_value(token) + "\" for \"parse\""));
    }
  }
  if (a.file.empty()) return fail(usage("Missing FILE for \"parse\""));
  return a;
}

// Writes every direct attachment; stops at the first error, leaving `written` with what is complete.
Status write_attachments(const mime::Message& msg, const std::string& dir_path, nlohmann::ordered_json& written) {
  auto dir = SafeDirectory::open(dir_path, true, 0750);
  if (!dir) return fail(dir.error());
  for (const mime::Attachment& att : msg.attachments) {
    auto w = actions::write_attachment(*dir, att);
    if (!w) return fail(w.error());
    nlohmann::ordered_json j;
    j["name"] = att.name;
    j["path"] = w->path.string();
    j["size"] = att.data.size();
    j["sha256"] = att.sha256;
    j["reused"] = w->reused;
    written.push_back(std::move(j));
  }
  return ok();
}

actions::ActionResult run_parse_args(const ParseArgs& a) {
  auto file = read_mail_file(a.file, limits::kDefaultMaxMessageMiB * limits::kMiB);
  if (!file) return actions::ActionResult::from_error(file.error());
  const mime::Message msg = file->over_limit ? mime::parse_message(file->bytes) : mime::parse_mail_file(file->bytes);
  mime::MailContext ctx;
  ctx.raw = file->bytes;
  ctx.size = file->file_size;
  ctx.over_limit = file->over_limit;
  nlohmann::ordered_json object = mime::mail_object(msg, ctx);
  std::string message = "Parsed " + a.file + ": " + std::to_string(msg.attachments.size()) + " attachments";
  if (a.out_dir.empty()) return actions::ActionResult::completed(true, message, std::move(object));
  nlohmann::ordered_json written = nlohmann::ordered_json::array();
  const Status status = write_attachments(msg, a.out_dir, written);
  const std::size_t count = written.size();
  object["written_files"] = std::move(written);
  if (!status) {
    return actions::ActionResult::failed(status.error(), "Failed to write the attachments of " + a.file + ": " +
                                                             status.error().to_string(), std::move(object));
  }
  message += ", " + std::to_string(count) + " written to " + a.out_dir;
  return actions::ActionResult::completed(true, message, std::move(object));
}

int run_parse(const Invocation& inv) {
  if (inv.globals.help) {
    print_text(inv.out, kHelp);
    return 0;
  }
  auto args = parse_args(inv.args);
  if (!args) return print_envelope(inv.out, actions::ActionResult::from_error(args.error()), inv.globals.pretty);
  return print_envelope(inv.out, run_parse_args(*args), inv.globals.pretty);
}

}  // namespace

Command parse_command() {
  Command c;
  c.name = "parse";
  c.display_name = "parse";
  c.summary = "Parse a local .eml or .msg file offline and print its Mail Object";
  c.help = [] { return std::string(kHelp); };
  c.run = run_parse;
  return c;
}

}  // namespace emailv2::app
