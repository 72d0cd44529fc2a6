#include "actions/send_thread_reply.h"

#include "actions/original_message.h"
#include "actions/outgoing_attachments.h"
#include "core/limits.h"
#include "core/text.h"
#include "mime/compose.h"
#include "smtp/envelope.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kMessageId = "Message ID";
constexpr std::string_view kFolder = "Folder Name";
constexpr std::string_view kContent = "Content";
constexpr std::string_view kAttachments = "Attachment Paths";
constexpr std::string_view kReplyAll = "Reply All";
constexpr std::string_view kReplyTo = "Reply To";

constexpr std::string_view kOnlyOwnAddress =
    "if you want to send a reply only to your own email address, you need to work with \"Reply To\" parameter.";

std::string reason_prefix() {
  return "Error executing action \"Send Thread Reply\". Reason: ";
}

ActionResult reply_failed(const Error& cause, Deadline run_deadline) {
  const Error error = sending_error(cause, run_deadline);
  return ActionResult::failed(error, reason_prefix() + error.to_string());
}

bool is_own(const std::string& address, const std::vector<std::string>& own) {
  for (const std::string& o : own) {
    if (!o.empty() && text::iequals_ascii(address, o)) return true;
  }
  return false;
}

}  // namespace

const ActionSpec& send_thread_reply_spec() {
  static const ActionSpec spec{
      "send-thread-reply",
      "Send Thread Reply",
      {},
      "Reply in the thread of an email found by its Message-ID",
      {
          {kMessageId, {}, ParamType::kString, "", true, 0, 0, true, 0},
          {kFolder, {}, ParamType::kCsv, "Inbox", true, 0, 0, true, limits::kMaxFolders},
          {kContent, {}, ParamType::kText, "", true, 0, 0, false, 0},
          {kAttachments, {}, ParamType::kCsv, "", false, 0, 0, false, 0},
          {kReplyAll, {}, ParamType::kCheckbox, "true", false, 0, 0, false, 0},
          {kReplyTo, {}, ParamType::kAddressList, "", false, 0, 0, true, limits::kMaxRecipients},
      },
      ActionNeeds{true, true, true},
  };
  return spec;
}

std::vector<std::string> reply_addressees(const mime::Message& original, bool reply_all,
                                          const std::vector<std::string>& reply_to,
                                          const std::vector<std::string>& own) {
  if (reply_all) {
    std::vector<std::string> all;
    for (const auto* list : {&original.from, &original.to, &original.cc}) {
      for (const mime::Address& a : *list) {
        if (!is_own(a.address, own)) all.push_back(a.address);
      }
    }
    return smtp::unique_recipients(all);
  }
  if (!reply_to.empty()) return smtp::unique_recipients(reply_to);
  if (!original.from.empty()) return {original.from.front().address};
  return {};
}

mime::OutgoingMail reply_mail(const mail::IntegrationConfig& config, const mime::Message& original,
                              std::vector<std::string> addressees, std::string content,
                              std::vector<mime::OutgoingAttachment> local_files) {
  mime::OutgoingMail mail;
  mail.from_name = config.sender_display_name;
  mail.from_address = config.sender_address;
  mail.to = std::move(addressees);
  mail.subject = mime::reply_subject(original.raw_subject);
  mail.html = std::move(content);
  mail.attachments = std::move(local_files);
  const mime::ThreadHeaders thread = mime::thread_headers(original);
  if (!thread.in_reply_to.empty()) mail.in_reply_to = thread.in_reply_to;
  if (!thread.references.empty()) mail.references = thread.references;
  return mail;
}

ActionResult send_thread_reply(const ActionContext& ctx, const ParamSet& params, const SendingServices& services) {
  auto files = load_attachments(params.list(kAttachments), AttachmentPolicy::from(ctx.config));
  if (!files) return reply_failed(files.error(), ctx.deadline);
  const std::string message_id = params.string(kMessageId).value_or("");
  const auto max_bytes = static_cast<std::uint64_t>(ctx.config.max_message_mib) * limits::kMiB;
  std::shared_ptr<mail::MailStore> store = services.open_mail_store();
  auto original = find_original_and_close(*store, params.list(kFolder), message_id, max_bytes, ctx.deadline);
  if (!original) return reply_failed(original.error(), ctx.deadline);
  if (!*original)
    return ActionResult::completed(false, "Message with ID " + text::echo_value(message_id) + " was not found");
  const mime::Message& msg = (*original)->message;
  std::vector<std::string> to = reply_addressees(msg, params.checkbox(kReplyAll), params.list(kReplyTo),
                                                 {ctx.config.sender_address, ctx.config.username});
  if (to.empty()) {
    return ActionResult::failed(Error(ErrorCode::kParamInvalid, std::string(kOnlyOwnAddress)),
                                reason_prefix() + std::string(kOnlyOwnAddress));
  }
  const mime::OutgoingMail mail =
      reply_mail(ctx.config, msg, std::move(to), params.string(kContent).value_or(""), std::move(*files));
  auto sent = send_and_record(ctx, mail, send_thread_reply_spec().command, services.connect_smtp);
  if (!sent) return reply_failed(sent.error(), ctx.deadline);
  nlohmann::ordered_json json;
  json["message_id"] = sent->message_id;
  json["recipients"] = join_addresses(mail.to);
  return ActionResult::completed(
      true, "Successfully sent reply to the message with ID " + text::echo_value(message_id) + ".", std::move(json));
}

ActionResult run_send_thread_reply(const ActionContext& ctx, const ParamSet& params) {
  return send_thread_reply(ctx, params, SendingServices::real(ctx.config));
}

}  // namespace emailv2::actions
