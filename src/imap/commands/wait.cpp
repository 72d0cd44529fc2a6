#include "imap/commands/wait.h"

#include <algorithm>
#include <thread>

#include "imap/session.h"

namespace emailv2::imap::commands {

Result<bool> wait_for_new_mail(Session& session, Deadline until, const WaitOptions& options, Deadline deadline) {
  const auto pause = options.sleep ? options.sleep : [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  for (;;) {
    EMAILV2_TRY(session.noop(deadline));
    if (session.mailbox().grew) {
      session.mailbox().clear_events();
      return true;
    }
    const Deadline stop = until.earliest(deadline);
    if (stop.expired()) return false;
    pause(std::min(options.poll_every, stop.remaining()));
    if (stop.expired()) {
      // One last look, so mail that arrived during the final pause is not missed.
      EMAILV2_TRY(session.noop(deadline));
      const bool grew = session.mailbox().grew;
      session.mailbox().clear_events();
      return grew;
    }
  }
}

}  // namespace emailv2::imap::commands
