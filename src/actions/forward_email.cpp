#include "actions/forward_email.h"

#include "actions/original_message.h"
#include "actions/outgoing_attachments.h"
#include "core/limits.h"
#include "mime/compose.h"
#include "smtp/envelope.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kMessageId = "Message ID of the email to forward";
constexpr std::string_view kFolder = "Folder Name";
constexpr std::string_view kRecipients = "Recipients";
constexpr std::string_view kCc = "CC";
constexpr std::string_view kBcc = "BCC";
constexpr std::string_view kSubject = "Subject";
constexpr std::string_view kContent = "Content";
constexpr std::string_view kAttachments = "Attachment Paths";
constexpr std::string_view kReturnId = "Return message id for the forwarded email";

ActionResult forward_failed(const Error& cause, Deadline run_deadline) {
  const Error error = sending_error(cause, run_deadline);
  return ActionResult::failed(error, "Failed to forward the email! The Error is " + error.to_string());
}

}  // namespace

const ActionSpec& forward_email_spec() {
  static const ActionSpec spec{
      "forward-email",
      "Forward Email",
      {},
      "Forward an email found by its Message-ID, with its attachments and inline images",
      {
          {kMessageId, {"Message ID of email to forward"}, ParamType::kString, "", true, 0, 0, true, 0},
          {kFolder, {}, ParamType::kCsv, "Inbox", false, 0, 0, true, limits::kMaxFolders},
          {kRecipients, {}, ParamType::kAddressList, "", true, 0, 0, true, limits::kMaxRecipients},
          {kCc, {}, ParamType::kAddressList, "", false, 0, 0, true, limits::kMaxRecipients},
          {kBcc, {}, ParamType::kAddressList, "", false, 0, 0, true, limits::kMaxRecipients},
          {kSubject, {}, ParamType::kString, "", true, 0, 0, true, 0},
          {kContent, {}, ParamType::kText, "", false, 0, 0, false, 0},
          {kAttachments, {"Attachments Paths"}, ParamType::kCsv, "", false, 0, 0, false, 0},
          {kReturnId, {}, ParamType::kCheckbox, "false", false, 0, 0, false, 0},
      },
      ActionNeeds{true, true, true},
  };
  return spec;
}

mime::OutgoingMail forward_mail(const mail::IntegrationConfig& config, const ParamSet& params,
                                const mime::Message& original, std::vector<mime::OutgoingAttachment> local_files) {
  mime::OutgoingMail mail;
  mail.from_name = config.sender_display_name;
  mail.from_address = config.sender_address;
  mail.to = smtp::unique_recipients(params.list(kRecipients));
  mail.cc = smtp::unique_recipients(params.list(kCc));
  mail.bcc = smtp::unique_recipients(params.list(kBcc));
  mail.subject = params.string(kSubject).value_or("");
  mail.html = mime::forward_html(params.string(kContent).value_or(""), original);
  mail.attachments = mime::forward_attachments(original);
  for (auto& f : local_files) mail.attachments.push_back(std::move(f));
  return mail;
}

ActionResult forward_email(const ActionContext& ctx, const ParamSet& params, const SendingServices& services) {
  auto files = load_attachments(params.list(kAttachments), AttachmentPolicy::from(ctx.config));
  if (!files) return forward_failed(files.error(), ctx.deadline);
  const std::string message_id = params.string(kMessageId).value_or("");
  const auto max_bytes = static_cast<std::uint64_t>(ctx.config.max_message_mib) * limits::kMiB;
  std::shared_ptr<mail::MailStore> store = services.open_mail_store();
  auto original = find_original_and_close(*store, params.list(kFolder), message_id, max_bytes, ctx.deadline);
  if (!original) return forward_failed(original.error(), ctx.deadline);
  if (!*original) return ActionResult::completed(false, "Failed to find email to forward!");
  const mime::OutgoingMail mail = forward_mail(ctx.config, params, (*original)->message, std::move(*files));
  auto sent = send_and_record(ctx, mail, forward_email_spec().command, services.connect_smtp);
  if (!sent) return forward_failed(sent.error(), ctx.deadline);
  if (!params.checkbox(kReturnId)) return ActionResult::completed(true, "Email was forwarded successfully.");
  return ActionResult::completed(true, "Mail was forwarded successfully. Mail message ID is: " + sent->message_id,
                                 sent_json(*sent, mail.to));
}

ActionResult run_forward_email(const ActionContext& ctx, const ParamSet& params) {
  return forward_email(ctx, params, SendingServices::real(ctx.config));
}

}  // namespace emailv2::actions
