#include "store/case_repository.h"

#include <string>
#include <vector>

#include "store/ledger_repository.h"
#include "store/statement.h"

namespace emailv2::store {
namespace {

constexpr std::string_view kAlertColumns =
    "alert_id, case_id, ordinal, identifier, ticket_id, display_id, name, rule_generator, priority, device_vendor, "
    "device_product, environment, start_time, end_time, kind, source_account, source_folder, source_uidvalidity, "
    "source_uid, message_id";

constexpr std::string_view kCaseColumns = "case_id, title, environment, priority, status, created_at, ledger_id";

Result<AlertId> insert_alert(WriteTransaction& tx, CaseId case_id, LedgerId ledger_id, int ordinal,
                             const NewAlert& a) {
  auto s = Statement::prepare(
      tx.handle(),
      "INSERT INTO alert (case_id, ledger_id, ordinal, identifier, ticket_id, display_id, name, rule_generator, "
      "priority, device_vendor, device_product, environment, start_time, end_time, kind, source_account, "
      "source_folder, source_uidvalidity, source_uid, message_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)");
  if (!s) return fail(s.error());
  s->bind_int(1, case_id).bind_int(2, ledger_id).bind_int(3, ordinal).bind_text(4, a.identifier);
  s->bind_text(5, a.ticket_id).bind_text(6, a.display_id).bind_text(7, a.name).bind_text(8, a.rule_generator);
  s->bind_int(9, a.priority).bind_text(10, a.device_vendor).bind_text(11, a.device_product);
  s->bind_text(12, a.environment).bind_int(13, a.start_time).bind_int(14, a.end_time);
  s->bind_text(15, to_string(a.kind)).bind_text(16, a.source.account).bind_text(17, a.source.folder);
  s->bind_int(18, a.source.uidvalidity).bind_int(19, a.source.uid).bind_optional_text(20, a.message_id);
  EMAILV2_TRY(s->run());
  return tx.handle().last_insert_rowid();
}

Status insert_events(WriteTransaction& tx, AlertId alert_id, const std::vector<NewEvent>& events) {
  // Serialised up front (unless made ahead) and bound without a copy: declared before the statement, they outlive it.
  std::vector<std::string> made_here(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].fields_json.empty()) made_here[i] = event_fields_json(events[i].fields);
  }
  auto s = Statement::prepare(tx.handle(),
                              "INSERT INTO event (alert_id, ordinal, event_name, fields) VALUES (?1, ?2, ?3, ?4)");
  if (!s) return fail(s.error());
  for (std::size_t i = 0; i < events.size(); ++i) {
    s->reset();
    s->bind_int(1, alert_id).bind_int(2, static_cast<std::int64_t>(i) + 1).bind_text(3, events[i].event_name);
    s->bind_text_ref(4, events[i].fields_json.empty() ? made_here[i] : events[i].fields_json);
    EMAILV2_TRY(s->run());
  }
  return ok();
}

Result<CaseId> insert_case(WriteTransaction& tx, const NewCase& c, TimePoint now) {
  auto s = Statement::prepare(tx.handle(),
                              "INSERT INTO \"case\" (title, environment, priority, status, created_at, ledger_id) "
                              "VALUES (?1, ?2, ?3, 'open', ?4, ?5)");
  if (!s) return fail(s.error());
  s->bind_text(1, c.title).bind_text(2, c.environment).bind_int(3, c.priority).bind_int(4, epoch_ms(now));
  s->bind_int(5, c.ledger_id);
  EMAILV2_TRY(s->run());
  return tx.handle().last_insert_rowid();
}

AlertRecord read_alert(const Statement& s) {
  AlertRecord a;
  a.alert_id = s.column_int(0);
  a.case_id = s.column_int(1);
  a.ordinal = static_cast<int>(s.column_int(2));
  a.identifier = s.column_text(3);
  a.ticket_id = s.column_text(4);
  a.display_id = s.column_text(5);
  a.name = s.column_text(6);
  a.rule_generator = s.column_text(7);
  a.priority = static_cast<int>(s.column_int(8));
  a.device_vendor = s.column_text(9);
  a.device_product = s.column_text(10);
  a.environment = s.column_text(11);
  a.start_time = s.column_int(12);
  a.end_time = s.column_int(13);
  a.kind = parse_alert_kind(s.column_text(14)).value_or(AlertKind::kEmail);  // CHECK keeps it valid
  a.source = {s.column_text(15), s.column_text(16), static_cast<std::uint32_t>(s.column_int(17)),
              static_cast<std::uint32_t>(s.column_int(18))};
  a.message_id = s.column_optional_text(19);
  return a;
}

CaseRecord read_case(const Statement& s) {
  return CaseRecord{s.column_int(0), s.column_text(1),  s.column_text(2),
                    static_cast<int>(s.column_int(3)), s.column_text(4), from_epoch_ms(s.column_int(5)),
                    s.column_int(6)};
}

Result<std::optional<AlertRecord>> one_alert(Statement& s) {
  auto row = s.step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<AlertRecord>();
  return std::optional<AlertRecord>(read_alert(s));
}

}  // namespace

// Invalid UTF-8 in a hostile mail is replaced (U+FFFD), never thrown: no exception crosses the layer.
std::string event_fields_json(const nlohmann::ordered_json& fields) {
  return fields.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<CreatedCase> CaseRepository::create(WriteTransaction& tx, const NewCase& c, TimePoint now) {
  CreatedCase out;
  auto case_id = insert_case(tx, c, now);
  if (!case_id) return fail(case_id.error());
  out.case_id = *case_id;
  int ordinal = 0;
  for (const NewAlert& a : c.alerts) {
    auto alert_id = insert_alert(tx, out.case_id, c.ledger_id, ++ordinal, a);
    if (!alert_id) return fail(alert_id.error());
    EMAILV2_TRY(insert_events(tx, *alert_id, a.events));
    out.alert_ids.push_back(*alert_id);
  }
  WallRepository wall(db_);
  for (const NewWallFile& w : c.wall) {
    std::optional<AlertId> alert_id;
    if (w.alert_index) {
      if (*w.alert_index >= out.alert_ids.size()) {
        return fail(ErrorCode::kInternal, "wall file refers to alert index " + std::to_string(*w.alert_index));
      }
      alert_id = out.alert_ids[*w.alert_index];
    }
    auto added = wall.add(tx, out.case_id, w.file, alert_id, now);
    if (!added) return fail(added.error());
  }
  EMAILV2_TRY(LedgerRepository(db_).set_case(tx, c.ledger_id, out.case_id));
  return out;
}

Result<bool> CaseRepository::exists(CaseId id) {
  auto s = Statement::prepare(db_.handle(), "SELECT 1 FROM \"case\" WHERE case_id = ?1");
  if (!s) return fail(s.error());
  s->bind_int(1, id);
  return s->step();
}

Result<std::vector<AlertRecord>> CaseRepository::alerts_of(CaseId id) {
  auto s = Statement::prepare(db_.handle(), "SELECT " + std::string(kAlertColumns) +
                                                " FROM alert WHERE case_id = ?1 ORDER BY ordinal");
  if (!s) return fail(s.error());
  s->bind_int(1, id);
  std::vector<AlertRecord> out;
  for (;;) {
    auto alert = one_alert(*s);
    if (!alert) return fail(alert.error());
    if (!*alert) return out;
    out.push_back(std::move(**alert));
  }
}

Result<std::vector<EventRecord>> CaseRepository::events_of(AlertId id) {
  auto s = Statement::prepare(db_.handle(),
                              "SELECT ordinal, event_name, fields FROM event WHERE alert_id = ?1 ORDER BY ordinal");
  if (!s) return fail(s.error());
  s->bind_int(1, id);
  std::vector<EventRecord> out;
  for (;;) {
    auto row = s->step();
    if (!row) return fail(row.error());
    if (!*row) return out;
    auto fields = nlohmann::ordered_json::parse(s->column_text(2), nullptr, false);
    if (fields.is_discarded()) {
      return fail(ErrorCode::kStoreCorrupt, "case store " + db_.handle().path() + ": event of alert " +
                                                std::to_string(id) + " holds invalid JSON");
    }
    out.push_back(EventRecord{static_cast<int>(s->column_int(0)), s->column_text(1), std::move(fields)});
  }
}

Result<std::vector<CaseSummary>> CaseRepository::list(std::int64_t limit, std::int64_t offset) {
  auto s = Statement::prepare(db_.handle(), "SELECT " + std::string(kCaseColumns) +
                                                " FROM \"case\" ORDER BY case_id DESC LIMIT ?1 OFFSET ?2");
  if (!s) return fail(s.error());
  s->bind_int(1, limit).bind_int(2, offset);
  std::vector<CaseSummary> out;
  for (;;) {
    auto row = s->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(CaseSummary{read_case(*s), {}});
  }
  for (CaseSummary& c : out) {
    auto alerts = alerts_of(c.record.case_id);
    if (!alerts) return fail(alerts.error());
    c.alerts = std::move(*alerts);
  }
  return out;
}

Result<std::optional<CaseDetail>> CaseRepository::show(CaseId id) {
  auto s = Statement::prepare(db_.handle(), "SELECT " + std::string(kCaseColumns) + " FROM \"case\" WHERE case_id = ?1");
  if (!s) return fail(s.error());
  s->bind_int(1, id);
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<CaseDetail>();
  CaseDetail detail;
  detail.record = read_case(*s);
  auto alerts = alerts_of(id);
  if (!alerts) return fail(alerts.error());
  for (AlertRecord& a : *alerts) {
    auto events = events_of(a.alert_id);
    if (!events) return fail(events.error());
    detail.alerts.emplace_back(std::move(a), std::move(*events));
  }
  auto wall = WallRepository(db_).list(id);
  if (!wall) return fail(wall.error());
  detail.wall = std::move(*wall);
  return std::optional<CaseDetail>(std::move(detail));
}

Result<std::optional<AlertRecord>> CaseRepository::alert(AlertId id) {
  auto s = Statement::prepare(db_.handle(), "SELECT " + std::string(kAlertColumns) + " FROM alert WHERE alert_id = ?1");
  if (!s) return fail(s.error());
  s->bind_int(1, id);
  return one_alert(*s);
}

Result<std::optional<AlertRecord>> CaseRepository::first_alert(CaseId id) {
  auto s = Statement::prepare(db_.handle(), "SELECT " + std::string(kAlertColumns) +
                                                " FROM alert WHERE case_id = ?1 ORDER BY ordinal LIMIT 1");
  if (!s) return fail(s.error());
  s->bind_int(1, id);
  return one_alert(*s);
}

}  // namespace emailv2::store
