#pragma once
// UID EXPUNGE (RFC 4315, needs UIDPLUS: only the given UIDs) and plain EXPUNGE (every \Deleted message of the
// selected folder — callers must first prove that is only theirs, see move.h).

#include <cstdint>
#include <vector>

#include "core/deadline.h"
#include "core/result.h"
#include "imap/wire/uid_set.h"

namespace emailv2::imap {

class Session;

namespace commands {

// CAPABILITY_MISSING without UIDPLUS. Errors otherwise as Session::run.
Status uid_expunge(Session& session, const wire::UidSet& uids, Deadline deadline);
// Returns how many EXPUNGE/VANISHED responses arrived.
Result<std::uint64_t> expunge(Session& session, Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
