#include "actions/fetched_mail.h"

#include "actions/mail_objects.h"
#include "core/limits.h"
#include "mime/parse_message.h"

namespace emailv2::actions {

Result<FetchedMail> read_fetched_mail(std::string_view folder, mail::StoredMessage&& stored) {
  auto bytes = stored.bytes.read_all();
  if (!bytes) return fail(bytes.error());
  FetchedMail mail;
  mail.folder = std::string(folder);
  mail.metadata = std::move(stored.metadata);
  mail.over_limit = stored.over_limit;
  mail.raw = std::move(*bytes);
  mail.message = mime::parse_message(mail.raw);
  return mail;
}

nlohmann::ordered_json mail_object(const FetchedMail& mail, const mail::IntegrationConfig& config) {
  mime::MailContext ctx = mailbox::mail_context(mail.metadata, mail.folder, config.sender_address, mail.over_limit);
  ctx.raw = mail.raw;
  return mime::mail_object(mail.message, ctx);
}

std::uint64_t max_message_bytes(const mail::IntegrationConfig& config) {
  return static_cast<std::uint64_t>(config.max_message_mib) * limits::kMiB;
}

}  // namespace emailv2::actions
