#include "imap/commands/select.h"

#include "core/text.h"
#include "imap/commands/list.h"
#include "imap/session.h"

namespace emailv2::imap::commands {

Result<MailboxState> select(Session& session, std::string_view folder, Access access, Deadline deadline) {
  const char* verb = access == Access::kReadOnly ? "EXAMINE" : "SELECT";
  wire::CommandBuilder b(verb, session.capabilities().has("LITERAL+"));
  b.mailbox(folder);
  auto command = b.build();
  if (!command) return fail(command.error());
  session.mailbox().reset(std::string(folder));
  auto done = session.run(*command, {}, deadline);
  if (!done) {
    session.mailbox().reset("");
    if (done.error().code() != ErrorCode::kImapNo) return fail(done.error());
    auto listed = find_folder(session, folder, deadline);
    if (!listed) return fail(listed.error());
    if (!*listed) return fail(ErrorCode::kFolderNotFound, "Folder " + text::echo_value(folder) + " not found");
    return fail(done.error());
  }
  MailboxState& state = session.mailbox();
  if (done->code && done->code->name == "READ-ONLY") state.read_only = true;
  if (done->code && done->code->name == "READ-WRITE") state.read_only = false;
  if (access == Access::kReadOnly) state.read_only = true;
  if (!state.uid_validity) {
    return fail(session.fail_session(
        Error(ErrorCode::kProtocolError, std::string("IMAP server sent no UIDVALIDITY for ") + verb)));
  }
  state.clear_events();
  return state;
}

}  // namespace emailv2::imap::commands
