#include "imap/commands/wait.h"

#include <algorithm>
#include <thread>

#include "imap/session.h"

namespace emailv2::imap::commands {

Result<bool> wait_for_new_mail(Session& session, Deadline until, const WaitOptions& options, Deadline deadline) {
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

}  // namespace emailv2::imap::commands
