#include "actions/send_email.h"

#include "actions/outgoing_attachments.h"
#include "core/limits.h"
#include "smtp/envelope.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kRecipients = "Recipients";
constexpr std::string_view kCc = "CC";
constexpr std::string_view kBcc = "Bcc";
constexpr std::string_view kSubject = "Subject";
constexpr std::string_view kContent = "Content";
constexpr std::string_view kAttachments = "Attachments Paths";
constexpr std::string_view kReturnId = "Return message id for the sent email";

ActionResult send_failed(const Error& cause, Deadline run_deadline) {
  const Error error = sending_error(cause, run_deadline);
  return ActionResult::failed(error, "Failed to send email! The Error is " + error.to_string());
}

}  // namespace

const ActionSpec& send_email_spec() {
  static const ActionSpec spec{
      "send-email",
      "Send Email",
      {},
      "Send an HTML email with optional attachments",
      {
          {kRecipients, {}, ParamType::kAddressList, "", true, 0, 0, true, limits::kMaxRecipients},
          {kCc, {}, ParamType::kAddressList, "", false, 0, 0, true, limits::kMaxRecipients},
          {kBcc, {"BCC"}, ParamType::kAddressList, "", false, 0, 0, true, limits::kMaxRecipients},
          {kSubject, {}, ParamType::kString, "", true, 0, 0, true, 0},
          {kContent, {}, ParamType::kText, "", true, 0, 0, false, 0},
          {kAttachments, {"Attachment Paths"}, ParamType::kCsv, "", false, 0, 0, false, 0},
          {kReturnId, {}, ParamType::kCheckbox, "false", false, 0, 0, false, 0},
      },
      ActionNeeds{false, true, true},
  };
  return spec;
}

mime::OutgoingMail send_email_mail(const mail::IntegrationConfig& config, const ParamSet& params) {
  mime::OutgoingMail mail;
  mail.from_name = config.sender_display_name;
  mail.from_address = config.sender_address;
  mail.to = smtp::unique_recipients(params.list(kRecipients));
  mail.cc = smtp::unique_recipients(params.list(kCc));
  mail.bcc = smtp::unique_recipients(params.list(kBcc));
  mail.subject = params.string(kSubject).value_or("");
  mail.html = params.string(kContent).value_or("");
  return mail;
}

ActionResult send_email(const ActionContext& ctx, const ParamSet& params, const SendingServices& services) {
  mime::OutgoingMail mail = send_email_mail(ctx.config, params);
  auto files = load_attachments(params.list(kAttachments), AttachmentPolicy::from(ctx.config));
  if (!files) return send_failed(files.error(), ctx.deadline);
  mail.attachments = std::move(*files);
  auto sent = send_and_record(ctx, mail, send_email_spec().command, services.connect_smtp);
  if (!sent) return send_failed(sent.error(), ctx.deadline);
  if (!params.checkbox(kReturnId)) return ActionResult::completed(true, "Mail sent successfully.");
  return ActionResult::completed(true, "Mail sent successfully. Mail message ID is: " + sent->message_id,
                                 sent_json(*sent, mail.to));
}

ActionResult run_send_email(const ActionContext& ctx, const ParamSet& params) {
  return send_email(ctx, params, SendingServices::real(ctx.config));
}

}  // namespace emailv2::actions
