#include "imap/commands/move.h"

#include "core/log.h"
#include "core/text.h"
#include "imap/commands/expunge.h"
#include "imap/commands/search.h"
#include "imap/commands/store.h"
#include "imap/session.h"

namespace emailv2::imap::commands {
namespace {

const std::vector<std::string> kDeleted = {"\\Deleted"};

Result<MoveResult> move_native(Session& session, const wire::UidSet& uids, std::string_view destination,
                               Deadline deadline) {
  wire::CommandBuilder b("UID MOVE", session.capabilities().has("LITERAL+"));
  b.uid_set(uids).mailbox(destination);
  auto command = b.build();
  if (!command) return fail(command.error());
  MoveResult result;
  // RFC 6851: COPYUID comes in an untagged OK before the EXPUNGEs (or in the tagged OK).
  auto done = session.run(
      *command,
      [&](const wire::Response& r) {
        if (r.kind == wire::ResponseKind::kStatus) read_copyuid(r.status, result.copy);
        return false;
      },
      deadline);
  if (!done) return fail(done.error());
  read_copyuid(*done, result.copy);
  return result;
}

Result<MoveResult> move_with_uidplus(Session& session, const wire::UidSet& uids, std::string_view destination,
                                     Deadline deadline) {
  MoveResult result;
  result.method = MoveMethod::kCopyStoreUidExpunge;
  auto copied = uid_copy(session, uids, destination, deadline);
  if (!copied) return fail(copied.error());
  result.copy = std::move(*copied);
  EMAILV2_TRY(uid_store(session, uids, FlagChange::kAdd, kDeleted, deadline));
  EMAILV2_TRY(uid_expunge(session, uids, deadline));
  return result;
}

Result<MoveResult> move_with_safety_rule(Session& session, const wire::UidSet& uids, std::string_view destination,
                                         Deadline deadline) {
  MoveResult result;
  result.method = MoveMethod::kCopyStoreExpunge;
  auto copied = uid_copy(session, uids, destination, deadline);
  if (!copied) return fail(copied.error());
  result.copy = std::move(*copied);
  EMAILV2_TRY(uid_store(session, uids, FlagChange::kAdd, kDeleted, deadline));
  wire::SearchCriteria deleted;
  deleted.deleted = true;
  auto flagged = uid_search(session, deleted, deadline);
  if (!flagged) return fail(flagged.error());
  if (wire::UidSet::from(*flagged) == uids) {
    auto expunged = expunge(session, deadline);
    if (!expunged) return fail(expunged.error());
    return result;
  }
  // Someone else's \Deleted messages would go too: undo our flag and keep the original.
  if (auto undo = uid_store(session, uids, FlagChange::kRemove, kDeleted, deadline); !undo) {
    log::warn("imap", "could not remove \\Deleted again after a refused move: {}", undo.error().to_string());
  }
  return fail(ErrorCode::kCapabilityMissing,
              "server lacks MOVE and UIDPLUS and other messages are flagged \\Deleted; the copy in " +
                  text::echo_value(destination) + " was kept, the original was not removed");
}

}  // namespace

Result<MoveResult> uid_move(Session& session, const wire::UidSet& uids, std::string_view destination,
                            Deadline deadline) {
  if (uids.empty()) return fail(ErrorCode::kParamInvalid, "no UIDs to move");
  if (session.capabilities().has("MOVE")) return move_native(session, uids, destination, deadline);
  if (session.capabilities().has("UIDPLUS")) return move_with_uidplus(session, uids, destination, deadline);
  return move_with_safety_rule(session, uids, destination, deadline);
}

}  // namespace emailv2::imap::commands
