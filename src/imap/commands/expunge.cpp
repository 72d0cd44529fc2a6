#include "imap/commands/expunge.h"

#include "imap/session.h"

namespace emailv2::imap::commands {

Status uid_expunge(Session& session, const wire::UidSet& uids, Deadline deadline) {
  if (!session.capabilities().has("UIDPLUS")) {
    return fail(ErrorCode::kCapabilityMissing, "IMAP server lacks UIDPLUS: UID EXPUNGE is not available");
  }
  auto command = wire::CommandBuilder("UID EXPUNGE").uid_set(uids).build();
  if (!command) return fail(command.error());
  auto done = session.run(*command, {}, deadline);
  if (!done) return fail(done.error());
  return ok();
}

Result<std::uint64_t> expunge(Session& session, Deadline deadline) {
  auto command = wire::CommandBuilder("EXPUNGE").build();
  const std::uint64_t before = session.mailbox().expunged;
  auto done = session.run(*command, {}, deadline);
  if (!done) return fail(done.error());
  return session.mailbox().expunged - before;
}

}  // namespace emailv2::imap::commands
