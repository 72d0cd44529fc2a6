#pragma once
// Waiting for new mail in the selected folder. IDLE (RFC 2177) needs a wait that can end without closing the
// connection, and net::Transport closes itself on every timeout (its contract), so until the transport offers a
// non-destructive readiness wait this polls with NOOP: the untagged EXISTS/EXPUNGE it triggers update
// Session::mailbox(), whose `grew` flag says whether mail arrived.

#include <chrono>
#include <functional>

#include "core/deadline.h"
#include "core/result.h"

namespace emailv2::imap {

class Session;

namespace commands {

struct WaitOptions {
  std::chrono::milliseconds poll_every{15'000};
  // How to pause between polls; tests inject a fake. Called with at most poll_every.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// Returns true as soon as the selected folder has grown (EXISTS went up) — including growth seen by earlier
// commands and not yet cleared — and false when `until` passes first. Clears the event it reports. Errors: those
// of NOOP (IMAP_BYE, TIMEOUT, PROTOCOL_ERROR...).
Result<bool> wait_for_new_mail(Session& session, Deadline until, const WaitOptions& options, Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
