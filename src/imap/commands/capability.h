#pragma once
// CAPABILITY (RFC 3501 §6.1.1): asks the server again and replaces Session::capabilities().

#include "core/deadline.h"
#include "core/result.h"

namespace emailv2::imap {

class Session;

namespace commands {

// Errors: IMAP_NO/IMAP_BAD, IMAP_BYE, PROTOCOL_ERROR (no CAPABILITY response), TIMEOUT.
Status refresh_capabilities(Session& session, Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
