#pragma once
// The ingestion ledger (`ingested_message`, CONTRACT §5.3/§5.6): one row per message identity the connector has
// handled to an outcome. The UNIQUE identity makes re-processing after a crash a no-op (insert-or-ignore).

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::store {

struct LedgerEntry {
  MessageIdentity identity;
  std::optional<std::string> message_id;  // as found (with <>), null when the mail has none
  std::string raw_sha256;                 // hex SHA-256 of the fetched bytes (headers only when over_limit)
  std::int64_t size = 0;                  // RFC822.SIZE
  std::optional<TimePoint> internaldate;
  Outcome outcome = Outcome::kAlerted;
  std::string reason;                     // exclusion rule, duplicate-of ledger id, fetch error; "" when none
  int attempts = 1;                       // fetch attempts it took (see FetchAttemptRepository)
  SeenState seen_state = SeenState::kNotRequested;
  std::optional<CaseId> case_id;          // set with set_case() once the case exists
};

struct LedgerRow {
  LedgerId ledger_id = 0;
  LedgerEntry entry;
  TimePoint ingested_at;
};

class LedgerRepository {
 public:
  explicit LedgerRepository(Database& db) : db_(db) {}

  // INSERT ... ON CONFLICT(identity) DO NOTHING. Returns the new ledger id, or nullopt when the identity was
  // already in the ledger (the row is left unchanged).
  Result<std::optional<LedgerId>> insert(WriteTransaction& tx, const LedgerEntry& entry, TimePoint now);
  Result<std::optional<LedgerRow>> find(const MessageIdentity& identity);
  Result<std::optional<LedgerRow>> get(LedgerId id);

  // The dedup rule (§5.3 step 5): the earliest row of `instance` (any account, any folder) with this exact
  // Message-ID (compared as stored: the caller passes it as found) and raw SHA-256 whose outcome produced or
  // would have produced an alert (alerted, over_limit). A mail without Message-ID never matches.
  Result<std::optional<LedgerRow>> find_ingested_copy(std::string_view instance, std::string_view message_id,
                                                      std::string_view raw_sha256);

  Status set_case(WriteTransaction& tx, LedgerId id, CaseId case_id);
  Status set_seen_state(WriteTransaction& tx, LedgerId id, SeenState state);
  // Rows of (instance, account) whose \Seen STORE is still pending, oldest first.
  Result<std::vector<LedgerRow>> pending_seen(std::string_view instance, std::string_view account);
  Result<std::int64_t> count_pending_seen(std::string_view instance, std::string_view account);

 private:
  Database& db_;
};

}  // namespace emailv2::store
