#pragma once
// What an async action (CONTRACT §1.1 `--until-done`) keeps between its polls: the app's runner owns one slot per
// run, hands it to every poll, waits on it between polls and closes it at the end. An action that leaves the slot
// empty is simply re-run every --poll-every seconds.
//
// Contract:
//  * The action creates the session on its first poll (it knows what to watch, e.g. a folder) and may reuse what
//    it holds (a MailStore connection) on later polls.
//  * wait_for_change(until) blocks until something the action waits for may have changed (true: poll now) or
//    `until` passes (false). It never throws; on an error the runner logs a warn and sleeps until `until`.
//  * close() releases everything (LOGOUT); it is called exactly once, after the last poll.
//  * Used by one thread at a time.

#include <memory>

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "core/deadline.h"
#include "core/result.h"

namespace emailv2::actions {

class PollSession {
 public:
  virtual ~PollSession() = default;
  virtual Result<bool> wait_for_change(Deadline until) = 0;
  virtual void close() = 0;
};

using PollSessionSlot = std::unique_ptr<PollSession>;

// One poll of an async action; `slot` persists across the polls of one run.
using AsyncActionFn = ActionResult (*)(const ActionContext& ctx, const ParamSet& params, PollSessionSlot& slot);

}  // namespace emailv2::actions
