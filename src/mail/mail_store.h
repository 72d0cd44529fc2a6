#pragma once
// MailStore: the mailbox as the actions and the connector see it (issue 3 "mail/MailStore"; CONTRACT §3.0, §3.6,
// §3.7, §5.3). Values only: folders by UTF-8 name, messages by UID, no IMAP syntax above this line.
//
// Contract (every implementation: ImapMailStore, DryRunMailStore, MemoryMailStore):
//  * One connection per run (§2.1): implementations connect lazily on the first call and keep the connection until
//    close(). A MailStore is used by one thread at a time. Nothing is retried inside.
//  * Folder names are UTF-8; "INBOX" matches in any case. Callers drop duplicate folders (§3.0) before calling.
//  * Every call that names a folder opens it first if needed: read calls reuse the current selection of that folder
//    whatever its access, otherwise open it read-only (EXAMINE); mutating calls (add_flags, move, delete_messages)
//    need read-write and re-open with SELECT when the folder is open read-only. Read calls never change flags.
//  * UIDs are only meaningful with the folder's uid_validity (FolderInfo); callers that keep UIDs across runs
//    (the connector's checkpoint) compare it.
//  * Errors (the codes a caller must expect from any call): FOLDER_NOT_FOUND ("Folder <name> not found"),
//    PARAM_INVALID (CR/LF/NUL in a folder, flag or search value — nothing is sent), IMAP_NO / IMAP_BAD (the
//    server refused; the connection stays usable), IMAP_BYE / TIMEOUT / PROTOCOL_ERROR (the connection is broken:
//    every later call fails with the same error), the connection errors on the first call (DNS_FAILED,
//    CONNECT_FAILED, PROXY_FAILED, TLS_FAILED, TLS_REQUIRED, AUTH_FAILED, CONFIG_INVALID), IO_ERROR (spooling a
//    large body), CAPABILITY_MISSING (move/delete safety rule, §3.6), and whatever a fetch callback returns.
//  * Views: a StoredMessage handed to a fetch callback is owned by the callee only for the call; its Body may be a
//    spool file deleted when the StoredMessage dies — move it out to keep it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/deadline.h"
#include "core/result.h"
#include "imap/body.h"
#include "mail/search_criteria.h"

namespace emailv2::mail {

enum class Access { kReadOnly, kReadWrite };

struct FolderInfo {
  std::string name;  // as the caller asked for it
  std::uint64_t uid_validity = 0;
  std::uint32_t uid_next = 0;  // 0 when the server did not say
  std::uint32_t exists = 0;
  bool read_only = true;
};

struct FolderListing {
  std::string name;                     // UTF-8
  std::vector<std::string> attributes;  // e.g. "\\Sent", "\\Trash", "\\HasNoChildren"
  std::optional<char> delimiter;
  bool has_attribute(std::string_view attribute) const;  // case-insensitive
  bool is_sent() const { return has_attribute("\\Sent"); }
};

struct MessageMetadata {
  std::uint32_t uid = 0;
  std::vector<std::string> flags;  // "\\Seen", "\\Flagged", keywords
  std::optional<TimePoint> internal_date;
  std::uint64_t size = 0;          // RFC822.SIZE
  bool has_flag(std::string_view flag) const;  // case-insensitive
};

struct MessageHeaders {
  std::uint32_t uid = 0;
  std::string header;  // the raw header section, CRLF line ends, ending with the blank line
};

// Message bytes: in memory or in a spool file (see imap/body.h); read_all() gives them either way.
using MessageBytes = imap::Body;

struct StoredMessage {
  MessageMetadata metadata;
  bool over_limit = false;  // larger than Max Message Size: `bytes` holds the header section only
  MessageBytes bytes;
};

using MessageCallback = std::function<Status(StoredMessage&& message)>;

struct FetchReport {
  std::size_t delivered = 0;
  std::vector<std::uint32_t> missing;  // asked for but gone (expunged meanwhile): the caller logs a warn
};

struct MovedMessage {
  std::uint32_t uid = 0;                         // in the source folder
  std::optional<std::uint32_t> destination_uid;  // from COPYUID when the server gives it
};

struct MoveReport {
  std::string destination;
  std::optional<std::uint64_t> destination_uid_validity;
  std::vector<MovedMessage> moved;  // ascending source UID; only UIDs that existed
};

struct WaitOptions {
  std::chrono::milliseconds poll_every{15'000};
};

class MailStore {
 public:
  virtual ~MailStore() = default;

  // Opens `folder` (EXAMINE for kReadOnly, SELECT for kReadWrite). FOLDER_NOT_FOUND when it does not exist.
  virtual Result<FolderInfo> open_folder(std::string_view folder, Access access, Deadline deadline) = 0;
  // Every folder the user can see, with special-use attributes when the server has them.
  virtual Result<std::vector<FolderListing>> list_folders(Deadline deadline) = 0;
  // The folder when it exists under exactly that name (INBOX in any case); nullopt otherwise. Opens nothing.
  virtual Result<std::optional<FolderListing>> find_folder(std::string_view folder, Deadline deadline) = 0;

  // UIDs (ascending) matching every filter of `criteria` (see search_criteria.h, incl. the exact time filter).
  virtual Result<std::vector<std::uint32_t>> search(std::string_view folder, const SearchCriteria& criteria,
                                                    Deadline deadline) = 0;
  // §3.0 Message-ID lookup: UIDs (ascending) whose Message-ID equals `message_id` exactly (trimmed, one <> pair
  // stripped, case-sensitive). A message whose ID merely contains it is NOT returned.
  virtual Result<std::vector<std::uint32_t>> find_by_message_id(std::string_view folder, std::string_view message_id,
                                                                Deadline deadline) = 0;

  // Metadata of the given UIDs that still exist, ascending UID.
  virtual Result<std::vector<MessageMetadata>> fetch_metadata(std::string_view folder,
                                                              const std::vector<std::uint32_t>& uids,
                                                              Deadline deadline) = 0;
  // Header sections of the given UIDs that still exist, ascending UID.
  virtual Result<std::vector<MessageHeaders>> fetch_headers(std::string_view folder,
                                                            const std::vector<std::uint32_t>& uids,
                                                            Deadline deadline) = 0;
  // Streams each message to `on_message`, never holding more than the batches in flight. Order: ascending UID within
  // one FETCH batch, but pipelined batches may interleave (Dovecot answers them concurrently), so a caller that needs
  // strict UID order must reorder (the connector's FetchPipeline does, bounded by the batches in flight). A message
  // above `max_message_bytes` comes with its header section only and over_limit = true. A callback error stops the
  // stream and is returned. Never sets \Seen.
  virtual Result<FetchReport> fetch_messages(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                             std::uint64_t max_message_bytes, const MessageCallback& on_message,
                                             Deadline deadline) = 0;

  // Adds flags (e.g. {"\\Seen"}) to the UIDs. Opens the folder read-write.
  virtual Status add_flags(std::string_view folder, const std::vector<std::uint32_t>& uids,
                           const std::vector<std::string>& flags, Deadline deadline) = 0;
  // Moves the UIDs to `destination` (which must exist; it is never created): MOVE, else COPY + delete under the §3.6
  // safety rule. Errors: FOLDER_NOT_FOUND (destination), CAPABILITY_MISSING (safety rule: the copy was kept).
  virtual Result<MoveReport> move(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                  std::string_view destination, Deadline deadline) = 0;
  // Deletes exactly these UIDs (STORE \Deleted + UID EXPUNGE; §3.6 safety rule without UIDPLUS). Returns the UIDs
  // whose removal the server confirmed (those that existed), ascending.
  virtual Result<std::vector<std::uint32_t>> delete_messages(std::string_view folder,
                                                             const std::vector<std::uint32_t>& uids,
                                                             Deadline deadline) = 0;

  // Opens `folder` and waits until new mail arrives (true) or `until` passes (false).
  virtual Result<bool> wait_for_new_mail(std::string_view folder, Deadline until, const WaitOptions& options,
                                         Deadline deadline) = 0;

  // Logs out and closes the connection (no-op when never connected). Later calls reconnect.
  virtual Status close(Deadline deadline) = 0;
};

}  // namespace emailv2::mail
