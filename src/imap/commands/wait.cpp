#include "imap/commands/wait.h"

#include <algorithm>
#include <thread>

#include "core/log.h"
#include "imap/session.h"

namespace emailv2::imap::commands {

Result<bool> poll_for_new_mail(Session& session, Deadline until, const WaitOptions& options, Deadline deadline) {
  const auto pause = options.sleep ? options.sleep : [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  const Deadline stop = until.earliest(deadline);
  for (;;) {
    // Each poll follows a pause, so the last one looks at mail that arrived during the final pause.
    EMAILV2_TRY(session.noop(deadline));
    if (session.mailbox().grew) {
      session.mailbox().clear_events();
      return true;
    }
    const auto left = stop.remaining();
    if (stop.expired() || left <= std::chrono::milliseconds(0)) return false;
    pause(std::min(options.poll_every, left));
  }
}

Result<bool> wait_for_new_mail(Session& session, Deadline until, const WaitOptions& options, Deadline deadline) {
  if (options.use_idle && session.capabilities().has("IDLE") && !session.idle_refused()) {
    auto idled = idle_until_new_mail(session, until, options.idle, deadline);
    const bool refused = !idled && session.usable() &&
                         (idled.error().code() == ErrorCode::kImapNo || idled.error().code() == ErrorCode::kImapBad);
    if (!refused) return idled;
    session.note_idle_refused();
    log::info("imap", "IDLE refused ({}); polling with NOOP on this connection from now on", idled.error().detail());
  }
  return poll_for_new_mail(session, until, options, deadline);
}

}  // namespace emailv2::imap::commands
