#include "store/ledger_repository.h"

#include "store/statement.h"

namespace emailv2::store {
namespace {

constexpr std::string_view kColumns =
    "ledger_id, instance, account, folder, uidvalidity, uid, message_id, raw_sha256, size, internaldate, outcome, "
    "reason, attempts, seen_state, case_id, ingested_at";

std::string select_where(std::string_view where) {
  return "SELECT " + std::string(kColumns) + " FROM ingested_message WHERE " + std::string(where);
}

Result<LedgerRow> read_row(const Statement& s, const std::string& path) {
  LedgerRow row;
  row.ledger_id = s.column_int(0);
  LedgerEntry& e = row.entry;
  e.identity = {s.column_text(1), s.column_text(2), s.column_text(3), static_cast<std::uint32_t>(s.column_int(4)),
                static_cast<std::uint32_t>(s.column_int(5))};
  e.message_id = s.column_optional_text(6);
  e.raw_sha256 = s.column_text(7);
  e.size = s.column_int(8);
  if (auto ms = s.column_optional_int(9)) e.internaldate = from_epoch_ms(*ms);
  const auto outcome = parse_outcome(s.column_text(10));
  const auto seen = parse_seen_state(s.column_text(13));
  if (!outcome || !seen) {
    return fail(ErrorCode::kStoreCorrupt, "case store " + path + ": ledger row " + std::to_string(row.ledger_id) +
                                              " has an unknown outcome or seen_state");
  }
  e.outcome = *outcome;
  e.reason = s.column_text(11);
  e.attempts = static_cast<int>(s.column_int(12));
  e.seen_state = *seen;
  e.case_id = s.column_optional_int(14);
  row.ingested_at = from_epoch_ms(s.column_int(15));
  return row;
}

Result<std::optional<LedgerRow>> one_row(Statement& s, const std::string& path) {
  auto has = s.step();
  if (!has) return fail(has.error());
  if (!*has) return std::optional<LedgerRow>();
  auto row = read_row(s, path);
  if (!row) return fail(row.error());
  return std::optional<LedgerRow>(std::move(*row));
}

void bind_identity(Statement& s, const MessageIdentity& id) {
  s.bind_text(1, id.instance).bind_text(2, id.account).bind_text(3, id.folder).bind_int(4, id.uidvalidity);
  s.bind_int(5, id.uid);
}

}  // namespace

Result<std::optional<LedgerId>> LedgerRepository::insert(WriteTransaction& tx, const LedgerEntry& e, TimePoint now) {
  auto s = Statement::prepare(
      tx.handle(),
      "INSERT INTO ingested_message (instance, account, folder, uidvalidity, uid, message_id, raw_sha256, size, "
      "internaldate, outcome, reason, attempts, seen_state, case_id, ingested_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
      "ON CONFLICT (instance, account, folder, uidvalidity, uid) DO NOTHING");
  if (!s) return fail(s.error());
  bind_identity(*s, e.identity);
  s->bind_optional_text(6, e.message_id).bind_text(7, e.raw_sha256).bind_int(8, e.size);
  s->bind_optional_int(9, e.internaldate ? std::optional<std::int64_t>(epoch_ms(*e.internaldate)) : std::nullopt);
  s->bind_text(10, to_string(e.outcome)).bind_text(11, e.reason).bind_int(12, e.attempts);
  s->bind_text(13, to_string(e.seen_state)).bind_optional_int(14, e.case_id).bind_int(15, epoch_ms(now));
  EMAILV2_TRY(s->run());
  if (tx.handle().changes() == 0) return std::optional<LedgerId>();
  return std::optional<LedgerId>(tx.handle().last_insert_rowid());
}

Result<std::optional<LedgerRow>> LedgerRepository::find(const MessageIdentity& identity) {
  auto s = Statement::prepare(db_.handle(), select_where("instance = ?1 AND account = ?2 AND folder = ?3 AND "
                                                         "uidvalidity = ?4 AND uid = ?5"));
  if (!s) return fail(s.error());
  bind_identity(*s, identity);
  return one_row(*s, db_.handle().path());
}

Result<std::optional<LedgerRow>> LedgerRepository::get(LedgerId id) {
  auto s = Statement::prepare(db_.handle(), select_where("ledger_id = ?1"));
  if (!s) return fail(s.error());
  s->bind_int(1, id);
  return one_row(*s, db_.handle().path());
}

Result<std::optional<LedgerRow>> LedgerRepository::find_ingested_copy(std::string_view instance,
                                                                      std::string_view message_id,
                                                                      std::string_view raw_sha256) {
  auto s = Statement::prepare(db_.handle(),
                              select_where("instance = ?1 AND message_id = ?2 AND raw_sha256 = ?3 AND outcome IN "
                                           "('alerted', 'over_limit') ORDER BY ledger_id LIMIT 1"));
  if (!s) return fail(s.error());
  s->bind_text(1, instance).bind_text(2, message_id).bind_text(3, raw_sha256);
  return one_row(*s, db_.handle().path());
}

Status LedgerRepository::set_case(WriteTransaction& tx, LedgerId id, CaseId case_id) {
  auto s = Statement::prepare(tx.handle(), "UPDATE ingested_message SET case_id = ?2 WHERE ledger_id = ?1");
  if (!s) return fail(s.error());
  s->bind_int(1, id).bind_int(2, case_id);
  EMAILV2_TRY(s->run());
  if (tx.handle().changes() != 1) return fail(ErrorCode::kInternal, "no ledger row " + std::to_string(id));
  return ok();
}

Status LedgerRepository::set_seen_state(WriteTransaction& tx, LedgerId id, SeenState state) {
  auto s = Statement::prepare(tx.handle(), "UPDATE ingested_message SET seen_state = ?2 WHERE ledger_id = ?1");
  if (!s) return fail(s.error());
  s->bind_int(1, id).bind_text(2, to_string(state));
  EMAILV2_TRY(s->run());
  if (tx.handle().changes() != 1) return fail(ErrorCode::kInternal, "no ledger row " + std::to_string(id));
  return ok();
}

Result<std::vector<LedgerRow>> LedgerRepository::pending_seen(std::string_view instance, std::string_view account) {
  auto s = Statement::prepare(db_.handle(), select_where("instance = ?1 AND account = ?2 AND seen_state = 'pending' "
                                                         "ORDER BY ledger_id"));
  if (!s) return fail(s.error());
  s->bind_text(1, instance).bind_text(2, account);
  std::vector<LedgerRow> rows;
  for (;;) {
    auto row = one_row(*s, db_.handle().path());
    if (!row) return fail(row.error());
    if (!*row) return rows;
    rows.push_back(std::move(**row));
  }
}

Result<std::int64_t> LedgerRepository::count_pending_seen(std::string_view instance, std::string_view account) {
  auto s = Statement::prepare(db_.handle(),
                              "SELECT count(*) FROM ingested_message WHERE instance = ?1 AND account = ?2 AND "
                              "seen_state = 'pending'");
  if (!s) return fail(s.error());
  s->bind_text(1, instance).bind_text(2, account);
  auto row = s->step();
  if (!row) return fail(row.error());
  return s->column_int(0);
}

}  // namespace emailv2::store
