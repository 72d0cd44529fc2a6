#pragma once
// Waiting for new mail in the selected folder: IDLE (commands/idle.h) when the server advertises it, otherwise —
// or when the server refuses IDLE with NO/BAD — polling with NOOP: the untagged EXISTS/EXPUNGE it triggers update
// Session::mailbox(), whose `grew` flag says whether mail arrived.

#include <chrono>
#include <functional>

#include "core/deadline.h"
#include "core/result.h"
#include "imap/commands/idle.h"

namespace emailv2::imap {

class Session;

namespace commands {

struct WaitOptions {
  std::chrono::milliseconds poll_every{15'000};
  // How to pause between polls; tests inject a fake. Called with at most poll_every.
  std::function<void(std::chrono::milliseconds)> sleep;
  // IDLE when advertised (false: always poll).
  bool use_idle = true;
  IdleOptions idle;
};

// Returns true as soon as the selected folder has grown (EXISTS went up) — including growth seen by earlier
// commands and not yet cleared — and false when `until` passes first. Clears the event it reports. With IDLE, new
// mail wakes the wait as soon as the server pushes its EXISTS; with polling, within poll_every.
// Errors: those of IDLE / NOOP (IMAP_BYE, TIMEOUT, PROTOCOL_ERROR...); an IDLE refused with NO/BAD is not an error
// (the wait polls instead, logged at info).
Result<bool> wait_for_new_mail(Session& session, Deadline until, const WaitOptions& options, Deadline deadline);

// The polling wait alone (NOOP every poll_every).
Result<bool> poll_for_new_mail(Session& session, Deadline until, const WaitOptions& options, Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
