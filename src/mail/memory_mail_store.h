#pragma once
// MemoryMailStore: the in-memory twin of ImapMailStore (LevelDB's memenv idea) for fast unit tests of the actions
// and the connector. Folders of raw messages with UIDVALIDITY, UIDNEXT, flags and INTERNALDATE; the MailStore
// contract of mail_store.h, with the same observable behaviour as ImapMailStore against Dovecot — a conformance test
// (tests/integration/mail_store_conformance_test.cpp) runs the same cases against both so the twin cannot drift.
//
// Semantics (where IMAP leaves room, the choice Dovecot makes):
//  * Folder names: exact bytes, except "INBOX" which matches in any case. INBOX always exists. A folder created with
//    create_folder() is listed with its attributes and the store's delimiter.
//  * UIDs start at 1 and grow by one per delivered, copied or moved-in message (UIDNEXT); never reused. UIDVALIDITY
//    is fixed per folder until change_uid_validity().
//  * search(): subject / from / to / header values are case-insensitive (fold_case: ASCII, Latin, Greek, Cyrillic;
//    accents kept, as Dovecot does) substrings of the header
//    value, unfolded and with RFC 2047 words decoded; header_terms and any_header look at every occurrence of the
//    field, and an empty value matches a message that has the field. since_day compares the UTC day of
//    INTERNALDATE; received_since is INTERNALDATE >= the instant; unseen = no \Seen; min_uid = UID >= min_uid.
//  * Flags: system flags (\Seen \Answered \Flagged \Deleted \Draft) are stored in that canonical case whatever the
//    caller wrote; keywords as given; a flag already set (case-insensitive) is not added twice.
//  * fetch_headers(): the header section up to and including the blank line (the whole message when none).
//  * fetch_messages(): over max_message_bytes -> header section only, over_limit = true; ascending UID; UIDs that
//    do not exist are in FetchReport::missing. Never sets \Seen.
//  * move()/delete_messages(): only UIDs that exist. With capabilities.move or .uidplus the messages go at once;
//    with neither, the §3.6 safety rule of the IMAP store applies (other \Deleted messages in the folder ->
//    CAPABILITY_MISSING; move keeps the copy, delete takes its flag back). move() reports destination UIDs and
//    UIDVALIDITY only when capabilities.uidplus (COPYUID) or .move.
//  * wait_for_new_mail(): true as soon as the folder has messages delivered after it was last opened (or after the
//    previous wait reported); otherwise blocks (really, on a condition variable) until deliver() from another
//    thread or `until`. deliver() and the inspection/injection methods are thread-safe; the MailStore calls lock the
//    same mutex, so a test thread may deliver while another waits.
//  * Visibility: a message delivered by deliver() is visible to the next call at once. (ImapMailStore's selection
//    learns of mail added by another connection only at its next sync — open_folder(), a wait, a NOOP — so callers
//    re-open the folder when they need to see new mail; the conformance test does.)
//  * Connection: "connects" lazily on the first call (connections() counts them); close() forgets the selection.
//
// Failure injection (tests of error paths):
//  * fail_call(call, nth, error): the nth call (1 = the next one) of that kind returns `error`. Connection-breaking
//    codes (IMAP_BYE, TIMEOUT, PROTOCOL_ERROR) also break the store: every later call returns the same error until
//    close(), exactly like a broken IMAP session. Call::kConnect fails the lazy connection (nothing is kept: the
//    next call connects again, like ImapMailStore's factory). Call::kClose fails LOGOUT when connected; the store
//    forgets the connection either way.
//  * fail_nth_message(nth, error): fetch_messages() fails when it reaches the nth message body counted over the
//    store's life (1 = the next), after delivering the ones before it — a connection lost mid-stream.
//  * make_unfetchable(folder, uid, error): search/metadata still list the UID, but fetching its body (or headers)
//    fails with `error`; with no error it is reported in FetchReport::missing (as if expunged meanwhile).
//  * change_uid_validity(folder, value): a new UIDVALIDITY; messages are renumbered from 1 (what a server does
//    when it rebuilds a mailbox), so checkpoints holding the old UIDVALIDITY must notice.

#include <condition_variable>
#include <map>
#include <mutex>

#include "core/clock.h"
#include "core/error.h"
#include "mail/mail_store.h"

namespace emailv2::mail {

struct MemoryMessage {
  std::uint32_t uid = 0;
  std::string raw;  // the whole message, CRLF line ends as delivered
  std::vector<std::string> flags;
  TimePoint internal_date;
};

struct MemoryCapabilities {
  bool move = true;     // MOVE: move() is atomic and reports destination UIDs
  bool uidplus = true;  // UIDPLUS: UID EXPUNGE of exactly our UIDs, COPYUID
};

class MemoryMailStore final : public MailStore {
 public:
  enum class Call {
    kConnect, kOpenFolder, kListFolders, kFindFolder, kSearch, kFindByMessageId, kFetchMetadata, kFetchHeaders,
    kFetchMessages, kAddFlags, kMove, kDeleteMessages, kWaitForNewMail, kClose,
  };

  explicit MemoryMailStore(MemoryCapabilities capabilities = {}, const Clock& clock = system_clock());
  ~MemoryMailStore() override;

  // --- setting up and inspecting (tests) ---
  // Creates a folder (no-op when it exists). Attributes as LIST shows them, e.g. {"\\Sent"}.
  void create_folder(std::string_view folder, std::vector<std::string> attributes = {});
  // Appends a message; returns its UID. The folder is created when missing. internal_date defaults to clock.now().
  std::uint32_t deliver(std::string_view folder, std::string raw, std::optional<TimePoint> internal_date = {},
                        std::vector<std::string> flags = {});
  // The messages of a folder, ascending UID (a copy); empty when the folder does not exist.
  std::vector<MemoryMessage> messages(std::string_view folder) const;
  std::optional<MemoryMessage> message(std::string_view folder, std::uint32_t uid) const;
  std::uint64_t uid_validity(std::string_view folder) const;  // 0 when the folder does not exist
  std::size_t connections() const;                            // how many times the store "connected"
  std::size_t calls(Call call) const;                         // how many calls of that kind were made
  void set_delimiter(char delimiter);                         // default '/'

  // --- failure injection ---
  void fail_call(Call call, std::size_t nth, Error error);
  void fail_nth_message(std::size_t nth, Error error);
  void make_unfetchable(std::string_view folder, std::uint32_t uid, std::optional<Error> error = {});
  void change_uid_validity(std::string_view folder, std::uint64_t uid_validity);

  // --- MailStore ---
  Result<FolderInfo> open_folder(std::string_view folder, Access access, Deadline deadline) override;
  Result<std::vector<FolderListing>> list_folders(Deadline deadline) override;
  Result<std::optional<FolderListing>> find_folder(std::string_view folder, Deadline deadline) override;
  Result<std::vector<std::uint32_t>> search(std::string_view folder, const SearchCriteria& criteria,
                                            Deadline deadline) override;
  Result<std::vector<std::uint32_t>> find_by_message_id(std::string_view folder, std::string_view message_id,
                                                        Deadline deadline) override;
  Result<std::vector<MessageMetadata>> fetch_metadata(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                                      Deadline deadline) override;
  Result<std::vector<MessageHeaders>> fetch_headers(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                                    Deadline deadline) override;
  Result<FetchReport> fetch_messages(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                     std::uint64_t max_message_bytes, const MessageCallback& on_message,
                                     Deadline deadline) override;
  Status add_flags(std::string_view folder, const std::vector<std::uint32_t>& uids,
                   const std::vector<std::string>& flags, Deadline deadline) override;
  Result<MoveReport> move(std::string_view folder, const std::vector<std::uint32_t>& uids,
                          std::string_view destination, Deadline deadline) override;
  Result<std::vector<std::uint32_t>> delete_messages(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                                     Deadline deadline) override;
  Result<bool> wait_for_new_mail(std::string_view folder, Deadline until, const WaitOptions& options,
                                 Deadline deadline) override;
  Status close(Deadline deadline) override;

  struct Folder {
    std::string name;
    std::vector<std::string> attributes;
    std::uint64_t uid_validity = 0;
    std::uint32_t uid_next = 1;
    std::map<std::uint32_t, MemoryMessage> messages;
    std::map<std::uint32_t, std::optional<Error>> unfetchable;
  };

 private:
  struct Injected {
    std::size_t nth = 0;  // counted in calls of that kind from the moment of injection
    Error error;
  };

  Status begin(Call call, std::string_view folder = {});
  Folder* find(std::string_view folder);
  const Folder* find(std::string_view folder) const;
  Result<Folder*> open(std::string_view folder, Access access);
  Folder& create(std::string_view folder);
  std::uint32_t append(Folder& folder, MemoryMessage message);
  std::vector<std::uint32_t> existing(const Folder& folder, const std::vector<std::uint32_t>& uids) const;
  Status safety_rule(Folder& folder, const std::vector<std::uint32_t>& uids);
  Result<FetchReport> stream(std::unique_lock<std::mutex>& lock, const Folder& folder,
                             const std::vector<std::uint32_t>& uids, std::uint64_t max_message_bytes,
                             const MessageCallback& on_message);

  MemoryCapabilities capabilities_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable delivered_;
  std::map<std::string, Folder, std::less<>> folders_;  // key: name, INBOX upper-cased
  char delimiter_ = '/';
  std::uint64_t next_uid_validity_;
  bool connected_ = false;
  std::optional<Error> broken_;
  std::size_t connections_ = 0;
  std::map<Call, std::size_t> calls_;
  std::map<Call, std::vector<Injected>> injected_;
  std::size_t messages_streamed_ = 0;
  std::map<std::size_t, Error> message_failures_;  // absolute message count -> error
  std::optional<std::string> selected_;            // folder key
  bool selected_read_only_ = true;
  std::uint32_t watched_uid_next_ = 0;             // UIDNEXT when the selection was made / last wait reported
};

}  // namespace emailv2::mail
