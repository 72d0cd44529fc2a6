#include "imap/commands/idle.h"

#include "core/log.h"
#include "imap/session.h"

namespace emailv2::imap::commands {
namespace {

constexpr std::string_view kWaitingFor = "IDLE update";

// The end of the waiting: `until`, or earlier when the caller's deadline leaves no room for DONE after it.
Deadline stop_waiting(Deadline until, Deadline deadline) {
  if (deadline.is_never()) return until;
  return until.earliest(Deadline::at(deadline.time_point() - kIdleDoneReserve));
}

// Reads pushed responses until the mailbox grew, the server ended the command by itself, or `round_end` passes.
Status listen(Session& session, const PendingCommand& idle, Deadline round_end, Deadline deadline) {
  while (!session.mailbox().grew && !session.completed(idle)) {
    auto ready = session.wait_readable(round_end);
    if (!ready) return fail(ready.error());
    if (!*ready) return ok();
    EMAILV2_TRY(session.read_next(deadline, kWaitingFor));
  }
  return ok();
}

Status idle_round(Session& session, Deadline round_end, Deadline deadline) {
  auto command = wire::CommandBuilder("IDLE").build();
  if (!command) return fail(command.error());
  // Every untagged response is consumed here; the session has already applied it to mailbox().
  auto idle = session.send(*command, [](const wire::Response&) { return true; }, deadline);
  if (!idle) return fail(idle.error());
  auto continuation = session.wait_continuation(*idle, deadline);
  if (!continuation) return fail(continuation.error());
  if (!*continuation) {
    auto refused = session.complete(*idle, deadline);
    if (!refused) return fail(refused.error());
    return fail(ErrorCode::kImapNo, "IMAP server completed IDLE without accepting it");
  }
  EMAILV2_TRY(listen(session, *idle, round_end, deadline));
  if (!session.completed(*idle)) EMAILV2_TRY(session.write_raw("DONE\r\n", "DONE", deadline));
  auto done = session.complete(*idle, deadline);
  if (!done) return fail(done.error());
  return ok();
}

}  // namespace

Result<bool> idle_until_new_mail(Session& session, Deadline until, const IdleOptions& options, Deadline deadline) {
  if (session.in_flight() != 0) return fail(ErrorCode::kInternal, "IDLE started with commands in flight");
  const Deadline stop = stop_waiting(until, deadline);
  const auto restart_after = std::max(options.restart_after, std::chrono::milliseconds(1));
  for (;;) {
    if (session.mailbox().grew) break;
    EMAILV2_TRY(idle_round(session, stop.earliest(Deadline::after(restart_after)), deadline));
    if (session.mailbox().grew) break;
    if (stop.expired()) return false;
    log::debug("imap", "restarting IDLE after {} ms", restart_after.count());
  }
  session.mailbox().clear_events();
  return true;
}

}  // namespace emailv2::imap::commands
