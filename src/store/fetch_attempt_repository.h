#pragma once
// Fetch attempt counters (CONTRACT §5.3 step 6). They live in their own table and are written in their own short
// transaction, OUTSIDE the message transaction that may roll back, so the count survives the failure it records.
// On the 3rd failure the connector commits a fetch_failed placeholder and clears the counter.

#include <optional>
#include <string>

#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::store {

struct FetchAttempt {
  int attempts = 0;
  std::string last_error;  // "<CODE>: <detail>" of the latest failure
  TimePoint last_attempt_at;
};

class FetchAttemptRepository {
 public:
  explicit FetchAttemptRepository(Database& db) : db_(db) {}

  // Increments the counter for `identity` and returns the new count (1 on the first failure).
  Result<int> record_failure(WriteTransaction& tx, const MessageIdentity& identity, std::string_view error,
                             TimePoint now);
  Result<std::optional<FetchAttempt>> get(const MessageIdentity& identity);
  // Forgets the counter (after success or after the placeholder committed).
  Status clear(WriteTransaction& tx, const MessageIdentity& identity);

 private:
  Database& db_;
};

}  // namespace emailv2::store
