#pragma once
// Move Email to Folder (CONTRACT §3.6): the destination is checked first (LIST; never created), every source is
// opened read-write before the first change, matches are found by EVERY Message-ID of the list [fix] (exact
// match; Subject Filter and Only Unread are then ignored) or by Subject Filter (+ Only Unread), each match is
// fetched with BODY.PEEK[] for the JSON, then moved per source folder: MOVE, else UIDPLUS COPY + STORE +
// UID EXPUNGE, else the §3.6 safety rule (all inside MailStore::move).
//
// Outcomes: all moved → completed/true `{n} mails were successfully moved from {source} to {destination}`
// ({source} = the parameter, trimmed), `{"emails": [<Mail Object> + destination_folder, destination_uid]}`;
// no match → completed/false `No mails were found matching the search criteria!`, null; error or partial →
// failed/false `Error search emails: {error}` (after the success line when some were moved), the moved ones.
// Input errors (exit 64, nothing contacted): `Both Message IDs and Subject Filter can't be empty`;
// `Invalid value for parameter "Source Folder Name": the destination folder <name> cannot also be a source`.

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "mail/mail_store.h"

namespace emailv2::actions {

const ActionSpec& move_email_to_folder_spec();
ActionResult run_move_email_to_folder(const ActionContext& ctx, const ParamSet& params);
// The action over any MailStore. Does not close the store.
ActionResult move_email_to_folder(mail::MailStore& store, const ActionContext& ctx, const ParamSet& params);

}  // namespace emailv2::actions
