#include "imap/commands/list.h"

#include "core/text.h"
#include "imap/session.h"

namespace emailv2::imap::commands {
namespace {

Result<std::vector<wire::MailboxListing>> run_list(Session& session, wire::CommandBuilder& builder,
                                                   Deadline deadline) {
  auto command = builder.build();
  if (!command) return fail(command.error());
  std::vector<wire::MailboxListing> out;
  auto done = session.run(
      *command,
      [&](const wire::Response& r) {
        if (r.kind != wire::ResponseKind::kList) return false;
        out.push_back(r.listing);
        return true;
      },
      deadline);
  if (!done) return fail(done.error());
  return out;
}

}  // namespace

bool same_folder(std::string_view listed, std::string_view wanted) {
  if (text::iequals_ascii(wanted, "INBOX")) return text::iequals_ascii(listed, "INBOX");
  return listed == wanted;
}

Result<std::vector<wire::MailboxListing>> list_folders(Session& session, Deadline deadline) {
  wire::CommandBuilder b("LIST", session.capabilities().has("LITERAL+"));
  b.string("").string("*");
  if (session.capabilities().has("SPECIAL-USE")) b.raw("RETURN").raw("(SPECIAL-USE)");
  return run_list(session, b, deadline);
}

Result<std::optional<wire::MailboxListing>> find_folder(Session& session, std::string_view name, Deadline deadline) {
  wire::CommandBuilder b("LIST", session.capabilities().has("LITERAL+"));
  b.string("").mailbox(name);
  auto listed = run_list(session, b, deadline);
  if (!listed) return fail(listed.error());
  for (wire::MailboxListing& l : *listed) {
    if (same_folder(l.name, name)) return std::optional<wire::MailboxListing>(std::move(l));
  }
  return std::optional<wire::MailboxListing>();
}

}  // namespace emailv2::imap::commands
