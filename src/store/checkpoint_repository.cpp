#include "store/checkpoint_repository.h"

#include "store/statement.h"

namespace emailv2::store {
namespace {

std::optional<std::int64_t> optional_ms(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return epoch_ms(*t);
}

std::optional<TimePoint> optional_time(const std::optional<std::int64_t>& ms) {
  if (!ms) return std::nullopt;
  return from_epoch_ms(*ms);
}

void bind_key(Statement& s, const FolderKey& key) {
  s.bind_text(1, key.instance).bind_text(2, key.account).bind_text(3, key.folder);
}

}  // namespace

Result<std::optional<FolderCheckpoint>> CheckpointRepository::load(const FolderKey& key) {
  auto s = Statement::prepare(db_.handle(),
                              "SELECT uidvalidity, last_uid, backfill_cutoff, backfill_until_uid, uidvalidity_streak, "
                              "last_success_at FROM folder_checkpoint "
                              "WHERE instance = ?1 AND account = ?2 AND folder = ?3");
  if (!s) return fail(s.error());
  bind_key(*s, key);
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<FolderCheckpoint>();
  FolderCheckpoint cp;
  cp.uidvalidity = static_cast<std::uint32_t>(s->column_int(0));
  cp.last_uid = static_cast<std::uint32_t>(s->column_int(1));
  cp.backfill_cutoff = optional_time(s->column_optional_int(2));
  if (auto until = s->column_optional_int(3)) cp.backfill_until_uid = static_cast<std::uint32_t>(*until);
  cp.uidvalidity_streak = static_cast<int>(s->column_int(4));
  cp.last_success_at = optional_time(s->column_optional_int(5));
  return std::optional<FolderCheckpoint>(cp);
}

Status CheckpointRepository::save(WriteTransaction& tx, const FolderKey& key, const FolderCheckpoint& cp) {
  auto s = Statement::prepare(
      tx.handle(),
      "INSERT OR REPLACE INTO folder_checkpoint (instance, account, folder, uidvalidity, last_uid, backfill_cutoff, "
      "backfill_until_uid, uidvalidity_streak, last_success_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!s) return fail(s.error());
  bind_key(*s, key);
  s->bind_int(4, cp.uidvalidity).bind_int(5, cp.last_uid).bind_optional_int(6, optional_ms(cp.backfill_cutoff));
  std::optional<std::int64_t> until;
  if (cp.backfill_until_uid) until = *cp.backfill_until_uid;
  s->bind_optional_int(7, until).bind_int(8, cp.uidvalidity_streak);
  s->bind_optional_int(9, optional_ms(cp.last_success_at));
  return s->run();
}

Result<bool> CheckpointRepository::reset(WriteTransaction& tx, const FolderKey& key) {
  auto s = Statement::prepare(tx.handle(),
                              "DELETE FROM folder_checkpoint WHERE instance = ?1 AND account = ?2 AND folder = ?3");
  if (!s) return fail(s.error());
  bind_key(*s, key);
  EMAILV2_TRY(s->run());
  return tx.handle().changes() > 0;
}

Result<std::optional<std::string>> CheckpointRepository::next_folder(std::string_view instance,
                                                                     std::string_view account) {
  auto s = Statement::prepare(db_.handle(),
                              "SELECT next_folder FROM folder_cursor WHERE instance = ?1 AND account = ?2");
  if (!s) return fail(s.error());
  s->bind_text(1, instance).bind_text(2, account);
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(s->column_text(0));
}

Status CheckpointRepository::set_next_folder(WriteTransaction& tx, std::string_view instance,
                                             std::string_view account, const std::optional<std::string>& folder) {
  auto s = Statement::prepare(tx.handle(),
                              folder ? "INSERT OR REPLACE INTO folder_cursor (instance, account, next_folder) "
                                       "VALUES (?1, ?2, ?3)"
                                     : "DELETE FROM folder_cursor WHERE instance = ?1 AND account = ?2");
  if (!s) return fail(s.error());
  s->bind_text(1, instance).bind_text(2, account);
  if (folder) s->bind_text(3, *folder);
  return s->run();
}

}  // namespace emailv2::store
