#include "actions/wait_attachments.h"

#include "core/file_names.h"
#include "core/log.h"
#include "mime/charset.h"
#include "store/wait_reply_repository.h"
#include "store/wall_repository.h"

namespace emailv2::actions {
namespace {

store::WaitReply reply_row(std::string_view sent_message_id, const ReplyDecision& d) {
  store::WaitReply row;
  row.sent_message_id = std::string(sent_message_id);
  row.folder = d.hit->folder;
  row.uidvalidity = static_cast<std::uint32_t>(d.hit->uid_validity);  // RFC 3501: a 32-bit value
  row.uid = d.hit->uid;
  row.recipient = d.recipient;
  row.accepted = d.accepted;
  return row;
}

Result<WallReport> add_to_wall(store::Database& db, store::WriteTransaction& tx, store::CaseId case_id,
                               const ReplyDecision& d, const mime::Message& msg, TimePoint now) {
  WallReport report;
  store::WallRepository wall(db);
  for (const auto& a : msg.attachments) {
    store::WallFile file;
    // Metadata only (the bytes are untouched): invalid UTF-8 becomes U+FFFD so every JSON view can print it.
    file.file_name = mime::is_valid_utf8(a.name) ? a.name : mime::sanitize_utf8(a.name);
    std::tie(file.name, file.type) = split_file_name(file.file_name);
    file.description = "Reply attachment from " + d.recipient;
    file.content = a.data;
    file.added_by = store::AddedBy::kWaitForEmailFromUser;
    auto added = wall.add(tx, case_id, file, now);
    if (!added) return fail(added.error());
    (added->added ? report.files_added : report.files_already) += 1;
  }
  return report;
}

}  // namespace

std::pair<std::string, std::string> split_file_name(std::string_view file_name) {
  return file_names::stem_and_type(file_name);
}

Result<WallReport> record_wait_replies(store::Database& db, std::string_view sent_message_id,
                                       const SelectedResponses& selected, bool fetch_attachments,
                                       std::optional<store::CaseId> case_id, TimePoint now) {
  WallReport report;
  if (selected.decisions.empty()) return report;
  store::WaitReplyRepository replies(db);
  auto tx = db.begin_write();
  if (!tx) return fail(tx.error());
  bool listed_only = false;
  for (const ReplyDecision& d : selected.decisions) {
    const store::WaitReply row = reply_row(sent_message_id, d);
    EMAILV2_TRY(replies.record(*tx, row));
    if (!d.accepted || !fetch_attachments) continue;
    const auto msg = selected.messages.find({d.hit->folder, d.hit->uid});
    if (msg == selected.messages.end() || msg->second.attachments.empty()) continue;
    if (!case_id) {
      listed_only = true;
      continue;
    }
    auto known = replies.find(row.sent_message_id, row.folder, row.uidvalidity, row.uid);
    if (!known) return fail(known.error());
    if (*known && (*known)->attachments_added) continue;
    auto added = add_to_wall(db, *tx, *case_id, d, msg->second, now);
    if (!added) return fail(added.error());
    report.files_added += added->files_added;
    report.files_already += added->files_already;
    EMAILV2_TRY(replies.mark_attachments_added(*tx, row));
  }
  EMAILV2_TRY(tx->commit());
  if (listed_only) {
    log::warn("wait", "Fetch Response Attachments without --case-id: reply attachments are listed in the JSON only");
  }
  return report;
}

}  // namespace emailv2::actions
