#pragma once
// Send Email (CONTRACT §3.2): validate → read attachment files → build (§3.0 Outgoing MIME) → one SMTP transaction
// → record `sent_message` for Wait.
//
// Outcomes (output_message / json_result / exit):
//  * sent:                 "Mail sent successfully."                                   / null                / 0
//  * sent, return-id on:   "Mail sent successfully. Mail message ID is: <id>"          / {message_id, date,
//                                                                                         recipients}       / 0
//  * any error:            "Failed to send email! The Error is <CODE>: <detail>"       / null / the code's exit
//    (PATH_NOT_ALLOWED and PARAM_INVALID 64; IO_ERROR, SIZE_LIMIT, TLS_*, AUTH_FAILED, SMTP_REJECTED ... 2).
// Parameter errors (CR/LF/NUL in Recipients, CC, Bcc or Subject, invalid addresses, missing mandatory values) are
// reported by the runner from the spec before anything runs (exit 64); attachment errors before any connection.

#include <vector>

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "actions/smtp_delivery.h"
#include "mime/build_message.h"

namespace emailv2::actions {

const ActionSpec& send_email_spec();
ActionResult run_send_email(const ActionContext& ctx, const ParamSet& params);

// The action with its outside world injected (unit tests pass a scripted SMTP session).
ActionResult send_email(const ActionContext& ctx, const ParamSet& params, const SendingServices& services);

// The message without files: From from the configuration, To/Cc/Bcc each de-duplicated case-insensitively (first
// spelling kept), Subject and Content as given.
mime::OutgoingMail send_email_mail(const mail::IntegrationConfig& config, const ParamSet& params);

}  // namespace emailv2::actions
