#pragma once
// Wait For Email From User (CONTRACT §3.4, async). Each call is ONE poll: resolve the recipients R and the start
// time S (wait_origin.h), find the exact replies in every reply folder (reply_scan.h), pick each recipient's
// response (wait_responses.h), record them and put attachments on the case wall once (wait_attachments.h), and
// report completed / in_progress / timed_out (wait_result.h). Read-only on the mailbox: EXAMINE + BODY.PEEK, no
// flag ever changes. `--until-done` re-runs the poll from the app's runner, waiting between polls on the
// WaitSession (wait_session.h: IMAP IDLE on the first reply folder).
//
// Parameters: wait_params.h. Outcomes, messages and exit codes: wait_result.h.

#include <cstdint>
#include <optional>
#include <string>

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "actions/poll_session.h"
#include "actions/wait_params.h"
#include "mail/mail_store.h"
#include "store/database.h"

namespace emailv2::actions {

// One poll, for the CLI without --until-done: connects, polls, logs out.
ActionResult run_wait_for_email_from_user(const ActionContext& ctx, const ParamSet& params);

// One poll of an --until-done run: the first call puts a WaitSession (with the IMAP connection) into `slot`; later
// calls reuse it. The runner waits on the slot between polls and closes it at the end.
ActionResult poll_wait_for_email_from_user(const ActionContext& ctx, const ParamSet& params, PollSessionSlot& slot);

// What one poll saw, for the session that waits between polls.
struct WaitPollReport {
  std::optional<std::string> watched_folder;  // the first reply folder, once it was opened
  mail::FolderInfo watched;                   // what EXAMINE said about it
  bool mail_failed = false;                   // the poll ended on a mailbox error (drop the connection)
};

// The poll itself over injected stores (unit tests use MemoryMailStore and a temporary case store).
ActionResult wait_poll(const ActionContext& ctx, const WaitParams& params, mail::MailStore& mail, store::Database& db,
                       WaitPollReport* report = nullptr);

}  // namespace emailv2::actions
