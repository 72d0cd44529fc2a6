#pragma once
// SELECT / EXAMINE (RFC 3501 §6.3.1-2) with the folder check of CONTRACT §3.0: a NO is confirmed with
// `LIST "" <name>`; a folder that is not listed -> FOLDER_NOT_FOUND ("Folder <name> not found").

#include <string_view>

#include "core/deadline.h"
#include "core/result.h"
#include "imap/mailbox_state.h"

namespace emailv2::imap {

class Session;

namespace commands {

enum class Access { kReadWrite, kReadOnly };  // SELECT / EXAMINE

// Selects `folder` (UTF-8; INBOX in any case). On success Session::mailbox() describes it (UIDVALIDITY, UIDNEXT,
// EXISTS, READ-ONLY...) and a copy is returned. Errors: FOLDER_NOT_FOUND, IMAP_NO (the folder exists but cannot
// be selected), IMAP_BAD, IMAP_BYE, PROTOCOL_ERROR (no UIDVALIDITY), TIMEOUT, PARAM_INVALID (CR/LF/NUL in the name).
Result<MailboxState> select(Session& session, std::string_view folder, Access access, Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
