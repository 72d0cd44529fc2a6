#include "store/wait_reply_repository.h"

#include "store/statement.h"

namespace emailv2::store {
namespace {

constexpr std::string_view kColumns =
    "sent_message_id, folder, uidvalidity, uid, recipient, accepted, attachments_added";

WaitReply read_reply(const Statement& s) {
  return WaitReply{s.column_text(0),
                   s.column_text(1),
                   static_cast<std::uint32_t>(s.column_int(2)),
                   static_cast<std::uint32_t>(s.column_int(3)),
                   s.column_text(4),
                   s.column_int(5) != 0,
                   s.column_int(6) != 0};
}

void bind_key(Statement& s, std::string_view id, std::string_view folder, std::uint32_t uidvalidity,
              std::uint32_t uid) {
  s.bind_text(1, message_id_key(id)).bind_text(2, folder).bind_int(3, uidvalidity).bind_int(4, uid);
}

constexpr std::string_view kKey = "sent_message_id = ?1 AND folder = ?2 AND uidvalidity = ?3 AND uid = ?4";

}  // namespace

Result<TimePoint> WaitReplyRepository::first_poll_at(WriteTransaction& tx, std::string_view sent_message_id,
                                                     TimePoint now) {
  auto insert = Statement::prepare(tx.handle(),
                                   "INSERT INTO wait_poll (sent_message_id, first_poll_at) VALUES (?1, ?2) "
                                   "ON CONFLICT (sent_message_id) DO NOTHING");
  if (!insert) return fail(insert.error());
  insert->bind_text(1, message_id_key(sent_message_id)).bind_int(2, epoch_ms(now));
  EMAILV2_TRY(insert->run());
  auto s = Statement::prepare(tx.handle(), "SELECT first_poll_at FROM wait_poll WHERE sent_message_id = ?1");
  if (!s) return fail(s.error());
  s->bind_text(1, message_id_key(sent_message_id));
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(ErrorCode::kInternal, "wait_poll row missing after insert");
  return from_epoch_ms(s->column_int(0));
}

Status WaitReplyRepository::record(WriteTransaction& tx, const WaitReply& r) {
  auto s = Statement::prepare(
      tx.handle(),
      "INSERT INTO wait_reply (sent_message_id, folder, uidvalidity, uid, recipient, accepted, attachments_added) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT (sent_message_id, folder, uidvalidity, uid) DO UPDATE SET recipient = excluded.recipient, "
      "accepted = excluded.accepted, attachments_added = max(attachments_added, excluded.attachments_added)");
  if (!s) return fail(s.error());
  bind_key(*s, r.sent_message_id, r.folder, r.uidvalidity, r.uid);
  s->bind_text(5, r.recipient).bind_int(6, r.accepted ? 1 : 0).bind_int(7, r.attachments_added ? 1 : 0);
  return s->run();
}

Status WaitReplyRepository::mark_attachments_added(WriteTransaction& tx, const WaitReply& key) {
  auto s = Statement::prepare(tx.handle(), "UPDATE wait_reply SET attachments_added = 1 WHERE " + std::string(kKey));
  if (!s) return fail(s.error());
  bind_key(*s, key.sent_message_id, key.folder, key.uidvalidity, key.uid);
  EMAILV2_TRY(s->run());
  if (tx.handle().changes() != 1) return fail(ErrorCode::kInternal, "mark_attachments_added: reply not recorded");
  return ok();
}

Result<std::optional<WaitReply>> WaitReplyRepository::find(std::string_view sent_message_id, std::string_view folder,
                                                           std::uint32_t uidvalidity, std::uint32_t uid) {
  auto s = Statement::prepare(db_.handle(),
                              "SELECT " + std::string(kColumns) + " FROM wait_reply WHERE " + std::string(kKey));
  if (!s) return fail(s.error());
  bind_key(*s, sent_message_id, folder, uidvalidity, uid);
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<WaitReply>();
  return std::optional<WaitReply>(read_reply(*s));
}

Result<std::vector<WaitReply>> WaitReplyRepository::list(std::string_view sent_message_id) {
  auto s = Statement::prepare(db_.handle(), "SELECT " + std::string(kColumns) +
                                                " FROM wait_reply WHERE sent_message_id = ?1 ORDER BY rowid");
  if (!s) return fail(s.error());
  s->bind_text(1, message_id_key(sent_message_id));
  std::vector<WaitReply> out;
  for (;;) {
    auto row = s->step();
    if (!row) return fail(row.error());
    if (!*row) return out;
    out.push_back(read_reply(*s));
  }
}

}  // namespace emailv2::store
