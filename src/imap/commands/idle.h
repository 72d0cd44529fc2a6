#pragma once
// IDLE (RFC 2177): wait for the server to push changes to the selected mailbox instead of polling.
//
// One round: `IDLE`, wait for the `+` continuation, then read the untagged responses the server pushes (EXISTS,
// RECENT, EXPUNGE, FETCH; all applied to Session::mailbox() by the session's dispatch) until the mailbox grew or
// the round ends, then `DONE` and the tagged OK. A round lasts at most `restart_after` (servers drop an IDLE after
// 30 minutes, RFC 2177 asks clients to re-issue it before 29), after which a new round starts.

#include <chrono>

#include "core/deadline.h"
#include "core/limits.h"
#include "core/result.h"

namespace emailv2::imap {

class Session;

namespace commands {

struct IdleOptions {
  std::chrono::milliseconds restart_after = limits::kImapIdleRestart;
};

// Time kept back from the caller's `deadline` to send DONE and read the tagged OK.
inline constexpr std::chrono::milliseconds kIdleDoneReserve{2'000};

// Returns true as soon as the selected folder has grown (EXISTS went up) — including growth seen by earlier
// commands and not yet cleared — and false when `until` (or `deadline` less kIdleDoneReserve) passes first; at
// least one round is made, so mail that arrived before the call is seen even when `until` has passed. Clears the
// event it reports. The session must have no command in flight (INTERNAL otherwise).
// Errors:
//  * IMAP_NO / IMAP_BAD: the server refused IDLE (or completed it without a `+`); the session stays usable, so the
//    caller may poll instead (commands/wait.h does).
//  * IMAP_BYE (a BYE or EOF while idling), TIMEOUT (no `+`, or no tagged OK after DONE, within the operation
//    timeout), PROTOCOL_ERROR: the session is broken and never reused.
Result<bool> idle_until_new_mail(Session& session, Deadline until, const IdleOptions& options, Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
