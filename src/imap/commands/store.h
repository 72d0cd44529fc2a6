#pragma once
// UID STORE (RFC 3501 §6.4.6), always .SILENT: flags are changed without the server echoing FETCH responses.

#include <string>
#include <vector>

#include "core/deadline.h"
#include "core/result.h"
#include "imap/wire/uid_set.h"

namespace emailv2::imap {

class Session;

namespace commands {

enum class FlagChange { kAdd, kRemove, kReplace };  // +FLAGS / -FLAGS / FLAGS

// flags: system flags ("\\Seen", "\\Deleted") or keywords ("$Forwarded"); each must be an atom (PARAM_INVALID
// otherwise). Errors: IMAP_NO/IMAP_BAD, IMAP_BYE, PROTOCOL_ERROR, TIMEOUT.
Status uid_store(Session& session, const wire::UidSet& uids, FlagChange change, const std::vector<std::string>& flags,
                 Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
