#pragma once
// MailStore over one IMAP session (imap/session.h, imap/commands/*). See mail_store.h for the contract.
//
// Specifics:
//  * The session is opened lazily by the SessionFactory on the first call that needs the server, and reused until
//    close(). Once broken (IMAP_BYE, TIMEOUT, PROTOCOL_ERROR...) every later call returns that error: a broken
//    connection is never reused (§6.2); close() forgets it so a later call connects again.
//  * search() with received_since sends SINCE <UTC day before> and then filters on INTERNALDATE (§3.0).
//  * find_by_message_id() runs `UID SEARCH HEADER Message-ID <id>` and confirms each hit with
//    BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)].
//  * fetch_messages() asks RFC822.SIZE first, then BODY.PEEK[] (or BODY.PEEK[HEADER] above the limit) in the imap
//    layer's batches; bodies above the memory limit are spooled (spool_dir).
//  * wait_for_new_mail() waits with IDLE when the server advertises it (a push wakes it at once), else — or when
//    the server refuses IDLE — polls with NOOP every options.poll_every (imap/commands/wait.h).

#include <filesystem>
#include <functional>
#include <memory>

#include "imap/session.h"
#include "mail/integration_config.h"
#include "mail/mail_store.h"

namespace emailv2::mail {

using SessionFactory = std::function<Result<std::unique_ptr<imap::Session>>(Deadline deadline)>;

class ImapMailStore final : public MailStore {
 public:
  explicit ImapMailStore(SessionFactory factory, std::filesystem::path spool_dir = {});
  ~ImapMailStore() override;

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

  // The session (connecting if needed), for callers that need the raw layer (tests, Ping).
  Result<imap::Session*> session(Deadline deadline);

 private:
  Result<imap::Session*> ensure_open(std::string_view folder, Access access, Deadline deadline);
  Result<std::vector<std::uint32_t>> existing(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                              Deadline deadline);
  Status delete_existing(imap::Session& session, const std::vector<std::uint32_t>& uids, Deadline deadline);

  SessionFactory factory_;
  std::filesystem::path spool_dir_;
  std::unique_ptr<imap::Session> session_;
  std::optional<FolderInfo> selected_;
};

// A factory that connects with config.imap_session_options() (the credential re-read at each connection).
SessionFactory session_factory(const IntegrationConfig& config);
// An ImapMailStore for the configured account (nothing is contacted until the first call).
std::unique_ptr<MailStore> make_imap_mail_store(const IntegrationConfig& config);

}  // namespace emailv2::mail
