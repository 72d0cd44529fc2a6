#include "imap/commands/store.h"

#include <algorithm>

#include "imap/session.h"

namespace emailv2::imap::commands {
namespace {

bool is_flag(const std::string& flag) {
  const std::size_t start = !flag.empty() && flag[0] == '\\' ? 1 : 0;
  if (flag.size() <= start) return false;
  return std::all_of(flag.begin() + static_cast<std::ptrdiff_t>(start), flag.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' &&
           c != '\\' && c != ']';
  });
}

}  // namespace

Status uid_store(Session& session, const wire::UidSet& uids, FlagChange change, const std::vector<std::string>& flags,
                 Deadline deadline) {
  std::string list = "(";
  for (const std::string& flag : flags) {
    if (!is_flag(flag)) return fail(ErrorCode::kParamInvalid, "invalid IMAP flag");
    if (list.size() > 1) list += ' ';
    list += flag;
  }
  list += ')';
  const char* verb = change == FlagChange::kAdd ? "+FLAGS.SILENT" : change == FlagChange::kRemove ? "-FLAGS.SILENT"
                                                                                                   : "FLAGS.SILENT";
  auto command = wire::CommandBuilder("UID STORE").uid_set(uids).raw(verb).raw(list).build();
  if (!command) return fail(command.error());
  auto done = session.run(*command, {}, deadline);
  if (!done) return fail(done.error());
  return ok();
}

}  // namespace emailv2::imap::commands
