#include "imap/commands/copy.h"

#include "imap/session.h"

namespace emailv2::imap::commands {

void read_copyuid(const wire::StatusResponse& status, CopyResult& result) {
  if (!status.code || status.code->name != "COPYUID") return;
  const auto source = status.code->source_uids.expand();
  const auto dest = status.code->uids.expand();
  if (source.size() != dest.size()) return;  // malformed mapping: ignore rather than guess
  result.destination_uid_validity = status.code->number;
  for (std::size_t i = 0; i < source.size(); ++i) result.destination_uids[source[i]] = dest[i];
}

Result<CopyResult> uid_copy(Session& session, const wire::UidSet& uids, std::string_view destination,
                            Deadline deadline) {
  wire::CommandBuilder b("UID COPY", session.capabilities().has("LITERAL+"));
  b.uid_set(uids).mailbox(destination);
  auto command = b.build();
  if (!command) return fail(command.error());
  auto done = session.run(*command, {}, deadline);
  if (!done) return fail(done.error());
  CopyResult result;
  read_copyuid(*done, result);
  return result;
}

}  // namespace emailv2::imap::commands
