#pragma once
// Plain value types shared by the repositories. No SQL here. Instants are TimePoint in memory and INTEGER epoch
// milliseconds (UTC) in the file (CONTRACT §1.5); the JSON views render them as RFC 3339.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time_format.h"

namespace emailv2::store {

using CaseId = std::int64_t;
using AlertId = std::int64_t;
using LedgerId = std::int64_t;
using AttachmentId = std::int64_t;

// Message identity (CONTRACT §5.3): (Instance Name, account, folder, UIDVALIDITY, UID);
// account = "<Username>@<host>:<port>".
struct MessageIdentity {
  std::string instance;
  std::string account;
  std::string folder;
  std::uint32_t uidvalidity = 0;
  std::uint32_t uid = 0;
  bool operator==(const MessageIdentity&) const = default;
};

// The ledger outcome of one ingested message (§5.6).
enum class Outcome { kAlerted, kExcluded, kDuplicate, kOverLimit, kFetchFailed };
// Whether \Seen was requested for a ledger row and whether the STORE succeeded.
enum class SeenState { kNotRequested, kPending, kDone };
// The kind of an alert (§5.4).
enum class AlertKind { kEmail, kOverLimit, kFetchFailed, kAttachedMail };
// Who put a file on a case wall.
enum class AddedBy { kConnector, kSaveEmailAttachmentsToCase, kWaitForEmailFromUser };

std::string_view to_string(Outcome v);        // "alerted", "excluded", "duplicate", "over_limit", "fetch_failed"
std::string_view to_string(SeenState v);      // "not_requested", "pending", "done"
std::string_view to_string(AlertKind v);      // "email", "over_limit", "fetch_failed", "attached_mail"
std::string_view to_string(AddedBy v);        // "connector", "save-email-attachments-to-case", "wait-for-email-from-user"
// Parsers return nullopt for an unknown text (a store written by a newer version or hand-edited).
std::optional<Outcome> parse_outcome(std::string_view text);
std::optional<SeenState> parse_seen_state(std::string_view text);
std::optional<AlertKind> parse_alert_kind(std::string_view text);
std::optional<AddedBy> parse_added_by(std::string_view text);

// Message-ID equality (§1.5): trim, strip one surrounding <...>. Keys of sent_message and wait_reply use this form.
std::string message_id_key(std::string_view message_id);

}  // namespace emailv2::store
