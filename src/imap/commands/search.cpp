#include "imap/commands/search.h"

#include <algorithm>

#include "imap/session.h"

namespace emailv2::imap::commands {

Result<std::vector<std::uint32_t>> uid_search(Session& session, const wire::SearchCriteria& criteria,
                                              Deadline deadline) {
  const bool esearch = session.capabilities().has("ESEARCH");
  wire::CommandBuilder b("UID SEARCH", session.capabilities().has("LITERAL+"));
  if (esearch) b.raw("RETURN").raw("(ALL)");
  wire::append_search_keys(b, criteria);
  auto command = b.build();
  if (!command) return fail(command.error());
  std::vector<std::uint32_t> uids;
  auto pending = session.send(
      *command,
      [&](const wire::Response& r) {
        if (r.kind == wire::ResponseKind::kSearch) {
          uids.insert(uids.end(), r.search.begin(), r.search.end());
          return true;
        }
        if (r.kind == wire::ResponseKind::kESearch) {
          const auto all = r.esearch.all.expand(limits::kImapResponsesPerCommand);
          uids.insert(uids.end(), all.begin(), all.end());
          return true;
        }
        return false;
      },
      deadline);
  if (!pending) return fail(pending.error());
  auto done = session.complete_any(*pending, deadline);
  if (!done) return fail(done.error());
  if (done->condition != wire::Condition::kOk) {
    if (done->code && done->code->name == "BADCHARSET") {
      return fail(ErrorCode::kImapNo, "server does not support UTF-8 search");
    }
    return fail(command_error(command->name, *done));
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

}  // namespace emailv2::imap::commands
