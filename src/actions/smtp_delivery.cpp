#include "actions/smtp_delivery.h"

#include "core/limits.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time_format.h"
#include "mail/imap_mail_store.h"
#include "store/database.h"
#include "store/sent_message_repository.h"

namespace emailv2::actions {

SmtpConnector smtp_connector(const mail::IntegrationConfig& config) {
  return [&config](Deadline deadline) -> Result<smtp::Session> {
    auto options = config.smtp_session_options();
    if (!options) return fail(options.error());
    return smtp::Session::connect(*options, deadline);
  };
}

SendingServices SendingServices::real(const mail::IntegrationConfig& config) {
  SendingServices s;
  s.connect_smtp = smtp_connector(config);
  s.open_mail_store = [&config] { return std::shared_ptr<mail::MailStore>(mail::make_imap_mail_store(config)); };
  return s;
}

Result<mime::BuiltMessage> build_outgoing(const mime::OutgoingMail& mail, const Clock& clock, std::uint64_t max_bytes) {
  mime::BuildOptions options;
  options.now_ms = epoch_ms(clock.now());
  auto built = mime::build_message(mail, options);
  if (!built) return built;
  if (built->bytes.size() > max_bytes) {
    return fail(ErrorCode::kSizeLimit, "outgoing message is " + std::to_string(built->bytes.size()) +
                                           " bytes, larger than Max Message Size (" +
                                           std::to_string(max_bytes / limits::kMiB) + " MiB)");
  }
  return built;
}

Result<smtp::SendReceipt> deliver(const mime::BuiltMessage& message, const std::string& sender,
                                  const SmtpConnector& connect, Deadline deadline) {
  smtp::Envelope envelope;
  envelope.sender = sender;
  envelope.recipients = message.envelope_recipients;
  envelope.headers_need_smtputf8 = message.needs_smtputf8;
  // Checked before connecting too, so a bad address never costs a connection (the session checks again).
  EMAILV2_TRY(smtp::check_envelope(envelope));
  auto session = connect(deadline);
  if (!session) return fail(session.error());
  auto receipt = session->send(envelope, message.bytes, deadline);
  session->quit(deadline);
  if (!receipt) return fail(receipt.error());
  log::info("send", "message {} accepted for {} recipient(s): {}", message.message_id, receipt->recipients,
            text::server_text(receipt->final_reply.text()));
  return receipt;
}

void record_sent_message(const std::string& store_path, const mime::OutgoingMail& mail,
                         const mime::BuiltMessage& message, std::string_view action,
                         std::optional<std::int64_t> case_id) {
  store::SentMessage row;
  row.message_id = message.message_id;
  row.date = from_epoch_ms(message.date_ms);
  row.to = mail.to;
  row.cc = mail.cc;
  row.bcc = mail.bcc;
  row.subject = mail.subject;
  row.action = std::string(action);
  row.case_id = case_id;
  auto status = [&]() -> Status {
    auto db = store::Database::open(store_path);
    if (!db) return fail(db.error());
    auto tx = db->begin_write();
    if (!tx) return fail(tx.error());
    EMAILV2_TRY(store::SentMessageRepository(*db).record(*tx, row));
    return tx->commit();
  }();
  if (!status) {
    log::warn("send", "the message {} was sent but could not be recorded for Wait: {}", message.message_id,
              status.error().to_string());
  }
}

Result<mime::BuiltMessage> send_and_record(const ActionContext& ctx, const mime::OutgoingMail& mail,
                                           std::string_view action, const SmtpConnector& connect) {
  const auto max_bytes = static_cast<std::uint64_t>(ctx.config.max_message_mib) * limits::kMiB;
  auto built = build_outgoing(mail, ctx.clock, max_bytes);
  if (!built) return built;
  auto receipt = deliver(*built, mail.from_address, connect, ctx.deadline);
  if (!receipt) return fail(receipt.error());
  record_sent_message(ctx.store_path, mail, *built, action, ctx.case_id);
  return built;
}

Error sending_error(const Error& error, Deadline run_deadline) {
  if (error.code() == ErrorCode::kTimeout && run_deadline.expired()) {
    return Error(ErrorCode::kDeadline, "the run's --timeout was reached: " + error.detail());
  }
  return error;
}

std::string join_addresses(const std::vector<std::string>& addresses) {
  std::string out;
  for (const std::string& a : addresses) {
    if (!out.empty()) out += ',';
    out += a;
  }
  return out;
}

nlohmann::ordered_json sent_json(const mime::BuiltMessage& message, const std::vector<std::string>& to) {
  nlohmann::ordered_json j;
  j["message_id"] = message.message_id;
  j["date"] = rfc3339_utc(from_epoch_ms(message.date_ms));
  j["recipients"] = join_addresses(to);
  return j;
}

}  // namespace emailv2::actions
