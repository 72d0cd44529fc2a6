#pragma once
// Forward Email (CONTRACT §3.3): find the first exact Message-ID match in the listed folders (read-only), build
// Content + the forward block + the original body (its HTML, else its text escaped with <br>), carry every direct
// attachment of the original (same-name files included; inline parts keep their Content-ID so cid: links work),
// then the local files, send it with the Subject verbatim, and record `sent_message`.
//
// Outcomes (output_message / json_result / exit):
//  * forwarded:              "Email was forwarded successfully."                              / null / 0
//  * forwarded, return-id:   "Mail was forwarded successfully. Mail message ID is: <id>"      / {message_id, date,
//                                                                                               recipients} / 0
//  * not found:              "Failed to find email to forward!"                               / null / 1
//  * any error (incl. SIZE_LIMIT for an over-limit original, FOLDER_NOT_FOUND):
//                            "Failed to forward the email! The Error is <CODE>: <detail>"     / null / code's exit
// Local attachment files are checked before any connection (IMAP or SMTP).

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "actions/smtp_delivery.h"
#include "mime/build_message.h"
#include "mime/message.h"

namespace emailv2::actions {

const ActionSpec& forward_email_spec();
ActionResult run_forward_email(const ActionContext& ctx, const ParamSet& params);
ActionResult forward_email(const ActionContext& ctx, const ParamSet& params, const SendingServices& services);

// The forward of `original` (pure): recipients de-duplicated per list, Subject verbatim (no "Fwd:"),
// html = forward_html(Content, original), attachments = the original's, then `local_files`.
mime::OutgoingMail forward_mail(const mail::IntegrationConfig& config, const ParamSet& params,
                                const mime::Message& original, std::vector<mime::OutgoingAttachment> local_files);

}  // namespace emailv2::actions
