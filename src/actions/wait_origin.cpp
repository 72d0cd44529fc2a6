#include "actions/wait_origin.h"

#include "actions/folder_list.h"
#include "actions/reply_matching.h"
#include "core/log.h"
#include "store/sent_message_repository.h"

namespace emailv2::actions {
namespace {

bool complete(const WaitOrigin& o) { return !o.recipients.empty() && o.start.has_value(); }

// The \Sent folders first, then the reply folders; each folder once (INBOX in any case).
Result<std::vector<std::string>> origin_folders(const WaitParams& params, mail::MailStore& mail, Deadline deadline) {
  auto listing = mail.list_folders(deadline);
  if (!listing) return fail(listing.error());
  std::vector<std::string> folders;
  auto add = [&folders](const std::string& f) {
    for (const std::string& o : folders) {
      if (mailbox::same_folder(o, f)) return;
    }
    folders.push_back(f);
  };
  for (const auto& l : *listing) {
    if (l.is_sent()) add(l.name);
  }
  for (const auto& f : params.folders) add(f);
  return folders;
}

// Source (c): the first folder holding the original; R from its To, S from its INTERNALDATE.
Status from_mailbox(const WaitParams& params, mail::MailStore& mail, Deadline deadline, WaitOrigin& o) {
  auto folders = origin_folders(params, mail, deadline);
  if (!folders) return fail(folders.error());
  for (const std::string& folder : *folders) {
    auto uids = mail.find_by_message_id(folder, params.message_id, deadline);
    if (!uids) return fail(uids.error());
    if (uids->empty()) continue;
    const std::vector<std::uint32_t> first{uids->front()};
    auto headers = mail.fetch_headers(folder, first, deadline);
    if (!headers) return fail(headers.error());
    auto metadata = mail.fetch_metadata(folder, first, deadline);
    if (!metadata) return fail(metadata.error());
    if (o.recipients.empty() && !headers->empty()) {
      o.recipients = unique_addresses(header_addresses(headers->front().header, "To"));
      if (!o.recipients.empty()) o.recipients_source = "folder " + folder;
    }
    if (!o.start && !metadata->empty() && metadata->front().internal_date) {
      o.start = metadata->front().internal_date;
      o.start_source = "folder " + folder;
    }
    return ok();
  }
  return ok();
}

}  // namespace

Result<WaitOrigin> resolve_wait_origin(const WaitParams& params, store::Database& db, mail::MailStore& mail,
                                       Deadline deadline) {
  WaitOrigin o;
  if (!params.recipients.empty()) {
    o.recipients = params.recipients;
    o.recipients_source = "parameters";
  }
  if (params.email_date) {
    o.start = params.email_date;
    o.start_source = "parameters";
  }
  if (complete(o)) return o;
  auto sent = store::SentMessageRepository(db).find(params.message_id);
  if (!sent) return fail(sent.error());
  if (*sent) {
    if (o.recipients.empty()) {
      o.recipients = unique_addresses((*sent)->to);
      if (!o.recipients.empty()) o.recipients_source = "sent_message";
    }
    if (!o.start) {
      o.start = (*sent)->date;
      o.start_source = "sent_message";
    }
  }
  if (complete(o)) return o;
  EMAILV2_TRY(from_mailbox(params, mail, deadline, o));
  return o;
}

}  // namespace emailv2::actions
