#include "imap/commands/capability.h"

#include "imap/session.h"

namespace emailv2::imap::commands {

Status refresh_capabilities(Session& session, Deadline deadline) {
  auto command = wire::CommandBuilder("CAPABILITY").build();
  if (!command) return fail(command.error());
  bool seen = false;
  auto done = session.run(
      *command,
      [&](const wire::Response& r) {
        if (r.kind != wire::ResponseKind::kCapability) return false;
        seen = true;  // Session applies the list itself
        return true;
      },
      deadline);
  if (!done) return fail(done.error());
  if (!seen && done->code && done->code->name == "CAPABILITY") {
    session.set_capabilities(done->code->items);
    seen = true;
  }
  if (!seen) {
    return fail(session.fail_session(Error(ErrorCode::kProtocolError, "IMAP server sent no CAPABILITY response")));
  }
  return ok();
}

}  // namespace emailv2::imap::commands
