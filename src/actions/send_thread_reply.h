#pragma once
// Send Thread Reply (CONTRACT §3.10): find the first exact Message-ID match (read-only), reply to it in its thread:
// `In-Reply-To: <orig id>`, `References` = the original's References + `<orig id>`, Subject `Re: ` + the original's
// subject unless it already starts with `Re:` (any case), Content as the HTML body, local files attached.
//
// Addressees (reply_addressees):
//  * Reply All (default true, wins over Reply To): From + To + Cc of the original, de-duplicated case-insensitively
//    in that order, minus the Sender's Address and the Username (case-insensitive) [fix];
//  * else the Reply To list; else the original's first From. The original's Reply-To header is ignored.
//
// Outcomes (output_message / json_result / exit):
//  * sent:          "Successfully sent reply to the message with ID <id as given>."  / {message_id, recipients} / 0
//  * not found:     "Message with ID <id as given> was not found"                    / null                      / 1
//  * nobody left:   "Error executing action \"Send Thread Reply\". Reason: if you want to send a reply only to your
//                   own email address, you need to work with \"Reply To\" parameter."  / null / 64 (PARAM_INVALID)
//  * other errors:  "Error executing action \"Send Thread Reply\". Reason: <CODE>: <detail>" / null / code's exit

#include <string>
#include <vector>

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "actions/smtp_delivery.h"
#include "mime/build_message.h"
#include "mime/message.h"

namespace emailv2::actions {

const ActionSpec& send_thread_reply_spec();
ActionResult run_send_thread_reply(const ActionContext& ctx, const ParamSet& params);
ActionResult send_thread_reply(const ActionContext& ctx, const ParamSet& params, const SendingServices& services);

// The addressees by the rules above. `own` = {Sender's Address, Username}; empty entries are ignored.
std::vector<std::string> reply_addressees(const mime::Message& original, bool reply_all,
                                          const std::vector<std::string>& reply_to,
                                          const std::vector<std::string>& own);

// The reply (pure): To = addressees, Subject per reply_subject, thread headers, Content, local files.
mime::OutgoingMail reply_mail(const mail::IntegrationConfig& config, const mime::Message& original,
                              std::vector<std::string> addressees, std::string content,
                              std::vector<mime::OutgoingAttachment> local_files);

}  // namespace emailv2::actions
