#pragma once
// Delete Email (CONTRACT §3.7): every folder opened read-write (SELECT) before the first change; matches by EVERY
// Message-ID of the list [fix] (Subject/Sender/Recipient and Days Back then ignored) or by the filters with the exact
// cutoff C = 00:00 of (today − Days Back) in the configured Time Zone; targets = the first match of each Message-ID
// (ID mode) or the first match overall (filter mode) — first folder in list order, then lowest UID — or every
// match with "Delete all matching emails"; each target fetched with BODY.PEEK[] for the JSON, then deleted IN THE
// FOLDER WHERE IT WAS FOUND [fix] (O deleted the same UID in Inbox) with STORE \Deleted + UID EXPUNGE of exactly
// those UIDs [fix] (no UIDPLUS: the §3.6 safety rule). n counts only deletions the server confirmed [fix].
//
// Outcomes: all deleted → completed/true `{n} email(s) were deleted successfully`, `{"emails": [...]}`; no match →
// completed/false `Failed to find emails for deletion!`, null; error or partial → failed/false
// `Error deleting emails {error}` (after the success line when some were deleted), the deleted ones.
// Input errors (exit 64): `Message IDs and Subject, Sender and Recipient filters can't be empty at the same time`;
// `"Days Back" parameter must be non negative.`

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "mail/mail_store.h"

namespace emailv2::actions {

const ActionSpec& delete_email_spec();
ActionResult run_delete_email(const ActionContext& ctx, const ParamSet& params);
// The action over any MailStore. Does not close the store.
ActionResult delete_email(mail::MailStore& store, const ActionContext& ctx, const ParamSet& params);

}  // namespace emailv2::actions
