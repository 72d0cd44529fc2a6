#pragma once
// Messages we sent (Send, Forward, Thread Reply), recorded so Wait For Email From User can find the recipients and
// the start time (CONTRACT §3.0, §3.4 step 1b). Keyed by message_id_key() (trimmed, one <> stripped).

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::store {

struct SentMessage {
  std::string message_id;                // as sent, e.g. "<abc.1700000000@example.com>"
  TimePoint date;                        // the Date header we wrote
  std::vector<std::string> to, cc, bcc;  // addr-specs
  std::string subject;
  std::string action;                    // "send-email" | "forward-email" | "send-thread-reply"
  std::optional<CaseId> case_id;
};

class SentMessageRepository {
 public:
  explicit SentMessageRepository(Database& db) : db_(db) {}

  // Insert or replace (a re-sent identical Message-ID overwrites). The case, if given, must exist.
  Status record(WriteTransaction& tx, const SentMessage& message);
  // Lookup with Message-ID equality (§1.5): "<x@y>", "x@y" and " <x@y> " find the same row.
  Result<std::optional<SentMessage>> find(std::string_view message_id);

 private:
  Database& db_;
};

}  // namespace emailv2::store
