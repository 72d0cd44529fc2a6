#pragma once
// Wait For Email From User's memory across polls (CONTRACT §3.4): the first poll's time (start-time source d) and
// each reply seen, keyed by (sent message id, folder, uidvalidity, uid), with whether its attachments were already
// put on the case wall, so later polls never add them twice.

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::store {

struct WaitReply {
  std::string sent_message_id;  // any form; stored as message_id_key()
  std::string folder;
  std::uint32_t uidvalidity = 0;
  std::uint32_t uid = 0;
  std::string recipient;        // the recipient this reply answers
  bool accepted = false;        // passed the exclude pattern / auto-reply filter
  bool attachments_added = false;
};

class WaitReplyRepository {
 public:
  explicit WaitReplyRepository(Database& db) : db_(db) {}

  // The time of the first poll for this message: stored as `now` on the first call, returned unchanged later.
  Result<TimePoint> first_poll_at(WriteTransaction& tx, std::string_view sent_message_id, TimePoint now);
  // Insert or update one reply: recipient and accepted are overwritten; attachments_added never goes back to false.
  Status record(WriteTransaction& tx, const WaitReply& reply);
  Status mark_attachments_added(WriteTransaction& tx, const WaitReply& key);
  Result<std::optional<WaitReply>> find(std::string_view sent_message_id, std::string_view folder,
                                        std::uint32_t uidvalidity, std::uint32_t uid);
  // All replies recorded for a sent message, in the order they were first recorded.
  Result<std::vector<WaitReply>> list(std::string_view sent_message_id);

 private:
  Database& db_;
};

}  // namespace emailv2::store
