#pragma once
// Step 1 of Wait For Email From User (CONTRACT §3.4): the recipients R and the start time S of the sent message,
// each from the first source that has it:
//   (a) the Email Recipients / Email Date parameters;
//   (b) the case store's sent_message row (R = its To, S = its Date), written by Send, Forward and Thread Reply;
//   (c) the original itself, found by exact Message-ID in the \Sent special-use folders (RFC 6154) and then the
//       reply folders (R = its To, S = its INTERNALDATE);
//   (d) S only: the first poll's time (wait_poll), applied by the caller.
// Read-only on the mailbox (EXAMINE, BODY.PEEK). Errors: the store's (STORE_*), the MailStore's (connection,
// FOLDER_NOT_FOUND for a reply folder that does not exist, IMAP_NO...). An unresolved R is not an error here: the
// caller reports RECIPIENTS_UNKNOWN.

#include <optional>
#include <string>
#include <vector>

#include "actions/wait_params.h"
#include "core/deadline.h"
#include "core/result.h"
#include "mail/mail_store.h"
#include "store/database.h"

namespace emailv2::actions {

struct WaitOrigin {
  std::vector<std::string> recipients;  // R, case-insensitively unique, in source order; empty = unresolved
  std::optional<TimePoint> start;       // S; nullopt = use the first poll's time
  std::string recipients_source;        // for the log: "parameters", "sent_message", "folder <name>", ""
  std::string start_source;
};

Result<WaitOrigin> resolve_wait_origin(const WaitParams& params, store::Database& db, mail::MailStore& mail,
                                       Deadline deadline);

}  // namespace emailv2::actions
