#include "store/fetch_attempt_repository.h"

#include "store/statement.h"

namespace emailv2::store {
namespace {

constexpr std::string_view kKey =
    "instance = ?1 AND account = ?2 AND folder = ?3 AND uidvalidity = ?4 AND uid = ?5";

void bind_identity(Statement& s, const MessageIdentity& id) {
  s.bind_text(1, id.instance).bind_text(2, id.account).bind_text(3, id.folder).bind_int(4, id.uidvalidity);
  s.bind_int(5, id.uid);
}

}  // namespace

Result<int> FetchAttemptRepository::record_failure(WriteTransaction& tx, const MessageIdentity& identity,
                                                   std::string_view error, TimePoint now) {
  auto s = Statement::prepare(
      tx.handle(),
      "INSERT INTO fetch_attempt (instance, account, folder, uidvalidity, uid, attempts, last_error, last_attempt_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7) "
      "ON CONFLICT (instance, account, folder, uidvalidity, uid) DO UPDATE SET attempts = attempts + 1, "
      "last_error = excluded.last_error, last_attempt_at = excluded.last_attempt_at "
      "RETURNING attempts");
  if (!s) return fail(s.error());
  bind_identity(*s, identity);
  s->bind_text(6, error).bind_int(7, epoch_ms(now));
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(ErrorCode::kInternal, "fetch_attempt upsert returned no row");
  const int attempts = static_cast<int>(s->column_int(0));
  // Drain the statement so the write is complete before the caller commits.
  auto done = s->step();
  if (!done) return fail(done.error());
  return attempts;
}

Result<std::optional<FetchAttempt>> FetchAttemptRepository::get(const MessageIdentity& identity) {
  auto s = Statement::prepare(
      db_.handle(), "SELECT attempts, last_error, last_attempt_at FROM fetch_attempt WHERE " + std::string(kKey));
  if (!s) return fail(s.error());
  bind_identity(*s, identity);
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<FetchAttempt>();
  return std::optional<FetchAttempt>(
      FetchAttempt{static_cast<int>(s->column_int(0)), s->column_text(1), from_epoch_ms(s->column_int(2))});
}

Status FetchAttemptRepository::clear(WriteTransaction& tx, const MessageIdentity& identity) {
  auto s = Statement::prepare(tx.handle(), "DELETE FROM fetch_attempt WHERE " + std::string(kKey));
  if (!s) return fail(s.error());
  bind_identity(*s, identity);
  return s->run();
}

}  // namespace emailv2::store
