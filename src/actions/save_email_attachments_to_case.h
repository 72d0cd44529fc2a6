#pragma once
// Save Email Attachments to Case (CONTRACT §3.8): puts the direct attachments of one mail (inline images and attached
// mail files included), optionally filtered by exact name, on the case wall of the `--case-id` case. Read-only on the
// server (EXAMINE + BODY.PEEK). A file whose (name, SHA-256) is already on the case is not added again, so re-runs
// are idempotent.
//
// Parameters: Folder Name (CSV, mandatory), Message ID (empty → the Message-ID of the --alert-id alert, else of the
// case's first alert), Attachment name (O: "Attachment To Save"; exact, case-sensitive; every same-name file).
// The mail is the first exact match (§3.0): first folder in list order, then lowest UID.
//
// Outcomes (exit code in brackets):
//  * saved  completed/true [0]: `Successfully saved the following attachments from the email {message_id}: {names}`,
//    json {"emails": [<Mail Object>]}; "saved" means on the wall after the run (already-present files count);
//  * not found / no attachments / name not matched  completed/false [1] (messages of §3.8);
//  * no --case-id → PARAM_MISSING [64]; no Message ID anywhere → `Missing mandatory parameter Message ID` [64];
//    an --alert-id that is not an alert of the case → PARAM_INVALID [64]; all before any connection;
//  * errors (IMAP, SIZE_LIMIT, store)  failed [2]:
//    `Failed to save the email attachments to the case, the error is: {error}`.
// Wall rows: description `Email attachment (<message_id>)`, added_by save-email-attachments-to-case, alert_id = the
// context alert (--alert-id, or the first alert when the Message-ID came from it), all in one transaction.

#include <optional>
#include <string>
#include <string_view>

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "mail/mail_store.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::actions {

const ActionSpec& save_email_attachments_to_case_spec();
// Opens the case store and the configured IMAP account and runs the action.
ActionResult run_save_email_attachments_to_case(const ActionContext& ctx, const ParamSet& params);
// The action over any MailStore and an open store (unit tests use mail::MemoryMailStore and a temp store).
ActionResult save_email_attachments_to_case(const ActionContext& ctx, const ParamSet& params, mail::MailStore& mail,
                                            store::Database& db);

// The mail to look for and the alert the files belong to.
struct SaveTarget {
  std::string message_id;                 // as the user gave it, or the alert's Message-ID
  std::optional<store::AlertId> alert_id;  // wall_attachment.alert_id
};

// Message ID resolution of §3.8 (store reads only). Errors: PARAM_MISSING, PARAM_INVALID (see above), STORE_*.
Result<SaveTarget> resolve_save_target(const ActionContext& ctx, const ParamSet& params, store::Database& db);

// `name` / `type` of a wall row from an original file name: type = the extension with its dot when the name has one
// (no separator in it), name = the rest. "report.pdf" → ("report", ".pdf"); ".bashrc" → (".bashrc", "").
std::pair<std::string, std::string> wall_name_and_type(std::string_view file_name);

}  // namespace emailv2::actions
