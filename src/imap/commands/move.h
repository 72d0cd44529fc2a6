#pragma once
// UID MOVE with its fallbacks inside (CONTRACT §3.6 step 3):
//  * MOVE advertised      -> UID MOVE <set> <dest>;
//  * else UIDPLUS         -> UID COPY + UID STORE +FLAGS.SILENT (\Deleted) + UID EXPUNGE <set>;
//  * else (safety rule)   -> COPY + STORE, then plain EXPUNGE only when `UID SEARCH DELETED` returns exactly our
//    UIDs. Otherwise our messages are un-flagged and CAPABILITY_MISSING is returned: "server lacks MOVE and UIDPLUS
//    and other messages are flagged \Deleted; the copy in <dest> was kept, the original was not removed".
// The source folder must be selected read-write (commands::select with Access::kReadWrite).

#include <string_view>

#include "core/deadline.h"
#include "core/result.h"
#include "imap/commands/copy.h"
#include "imap/wire/uid_set.h"

namespace emailv2::imap {

class Session;

namespace commands {

enum class MoveMethod { kMove, kCopyStoreUidExpunge, kCopyStoreExpunge };

struct MoveResult {
  MoveMethod method = MoveMethod::kMove;
  CopyResult copy;  // destination UIDs when the server sent COPYUID
};

// Errors: CAPABILITY_MISSING (the safety rule), IMAP_NO (e.g. [TRYCREATE]), IMAP_BAD, IMAP_BYE, PROTOCOL_ERROR,
// TIMEOUT, PARAM_INVALID.
Result<MoveResult> uid_move(Session& session, const wire::UidSet& uids, std::string_view destination,
                            Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
