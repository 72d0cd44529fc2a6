#pragma once
// Cases, their alerts and events (CONTRACT §5.4/§5.6). The connector creates one case per ingested message, with all
// its alerts, events and wall files, atomically inside its message transaction. Actions only read cases.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"
#include "store/wall_repository.h"

namespace emailv2::store {

struct AlertSource {
  std::string account;
  std::string folder;
  std::uint32_t uidvalidity = 0;
  std::uint32_t uid = 0;
};

struct NewEvent {
  std::string event_name;        // the event's [Event Field Name] value
  nlohmann::ordered_json fields;  // a JSON object (the flattened, prefixed Mail Object); key order is kept
  // event_fields_json(fields), when made ahead (the connector does it on its preparing workers, off the store
  // thread, with connector::event_json: the same bytes, faster, and then frees `fields`); empty: made at insert.
  std::string fields_json = {};
};

// The stored text of an event's fields: compact JSON, key order kept, invalid UTF-8 replaced (U+FFFD), never thrown.
std::string event_fields_json(const nlohmann::ordered_json& fields);

// The §5.4 alert fields.
struct NewAlert {
  std::string identifier;        // == ticket_id
  std::string ticket_id;
  std::string display_id;
  std::string name;
  std::string rule_generator;
  int priority = 40;
  std::string device_vendor = "Mail";
  std::string device_product = "Mail";
  std::string environment;
  std::int64_t start_time = 0;   // epoch ms, from the Mail Object
  std::int64_t end_time = 0;
  AlertKind kind = AlertKind::kEmail;
  AlertSource source;
  std::optional<std::string> message_id;  // the mail's own Message-ID (null when identifier is a fallback)
  std::vector<NewEvent> events;
};

struct NewWallFile {
  std::optional<std::size_t> alert_index;  // index into NewCase::alerts, or none (case-level file)
  WallFile file;                           // file.alert_id is ignored; it is resolved from alert_index
};

struct NewCase {
  LedgerId ledger_id = 0;       // the ingested message that created the case
  std::string title;            // raw_subject or "(no subject)"
  std::string environment;      // from the first alert
  int priority = 40;            // from the first alert
  std::vector<NewAlert> alerts; // ordinal = index + 1
  std::vector<NewWallFile> wall;
};

struct CreatedCase {
  CaseId case_id = 0;
  std::vector<AlertId> alert_ids;  // parallel to NewCase::alerts
};

struct AlertRecord {
  AlertId alert_id = 0;
  CaseId case_id = 0;
  int ordinal = 0;
  std::string identifier, ticket_id, display_id, name, rule_generator;
  int priority = 0;
  std::string device_vendor, device_product, environment;
  std::int64_t start_time = 0, end_time = 0;
  AlertKind kind = AlertKind::kEmail;
  AlertSource source;
  std::optional<std::string> message_id;
};

struct EventRecord {
  int ordinal = 0;
  std::string event_name;
  nlohmann::ordered_json fields;
};

struct CaseRecord {
  CaseId case_id = 0;
  std::string title, environment;
  int priority = 0;
  std::string status;  // "open"
  TimePoint created_at;
  LedgerId ledger_id = 0;
};

struct CaseSummary {  // `cases list`
  CaseRecord record;
  std::vector<AlertRecord> alerts;  // by ordinal
};

struct CaseDetail {  // `cases show`
  CaseRecord record;
  std::vector<std::pair<AlertRecord, std::vector<EventRecord>>> alerts;
  std::vector<WallAttachmentInfo> wall;
};

class CaseRepository {
 public:
  explicit CaseRepository(Database& db) : db_(db) {}

  // Inserts the case, its alerts (ordinal 1..n), their events, and its wall files, and links the ledger row to the
  // case, all inside `tx` (the caller's message transaction; nothing is visible until it commits). Wall files that
  // repeat (same sha256 + file_name) are stored once. STORE_ERROR on a constraint violation (e.g. a second case for
  // the same ledger row, an event whose fields are not a JSON object).
  Result<CreatedCase> create(WriteTransaction& tx, const NewCase& c, TimePoint now);

  Result<bool> exists(CaseId id);
  // Newest first (case_id descending), with limit/offset for paging.
  Result<std::vector<CaseSummary>> list(std::int64_t limit, std::int64_t offset);
  Result<std::optional<CaseDetail>> show(CaseId id);
  Result<std::optional<AlertRecord>> alert(AlertId id);
  // The case's first alert (ordinal 1), for Save's default Message-ID.
  Result<std::optional<AlertRecord>> first_alert(CaseId id);

 private:
  Result<std::vector<AlertRecord>> alerts_of(CaseId id);
  Result<std::vector<EventRecord>> events_of(AlertId id);

  Database& db_;
};

}  // namespace emailv2::store
