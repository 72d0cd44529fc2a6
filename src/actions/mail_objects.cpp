#include "actions/mail_objects.h"

#include "core/limits.h"
#include "core/time_format.h"
#include "mime/date.h"
#include "mime/parse_message.h"

namespace emailv2::actions::mailbox {

mime::MailContext mail_context(const mail::MessageMetadata& metadata, std::string_view folder,
                               std::string_view mailbox, bool over_limit) {
  mime::MailContext ctx;
  ctx.email_uid = std::to_string(metadata.uid);
  ctx.folder = std::string(folder);
  if (metadata.internal_date) {
    const std::int64_t ms = epoch_ms(*metadata.internal_date);
    ctx.internaldate_ms = ms;
    ctx.received = mime::format_rfc5322_date(ms, 0);
  }
  ctx.flags = metadata.flags;
  ctx.size = static_cast<std::size_t>(metadata.size);
  ctx.mailbox = std::string(mailbox);
  ctx.over_limit = over_limit;
  return ctx;
}

Result<MailObjects> fetch_mail_objects(mail::MailStore& store, const mail::IntegrationConfig& config,
                                       std::string_view folder, const std::vector<std::uint32_t>& uids,
                                       Deadline deadline) {
  MailObjects out;
  if (uids.empty()) return out;
  const std::uint64_t max_bytes = static_cast<std::uint64_t>(config.max_message_mib) * limits::kMiB;
  auto report = store.fetch_messages(
      folder, uids, max_bytes,
      [&](mail::StoredMessage&& m) -> Status {
        auto bytes = m.bytes.read_all();
        if (!bytes) return fail(bytes.error());
        const mime::Message parsed = mime::parse_message(*bytes);
        out[m.metadata.uid] =
            mime::mail_object(parsed, mail_context(m.metadata, folder, config.sender_address, m.over_limit));
        return ok();
      },
      deadline);
  if (!report) return fail(report.error());
  return out;
}

}  // namespace emailv2::actions::mailbox
