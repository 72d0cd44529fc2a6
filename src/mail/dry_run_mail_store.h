#pragma once
// DryRunMailStore: a MailStore decorator for dry runs. Reads are forwarded; open_folder(kReadWrite) is forwarded as
// kReadOnly (EXAMINE), so the server never sees a SELECT. Every mutating call (add_flags, move, delete_messages) is
// logged at info ("dry run: would ...") and skipped, after the same checks the real call makes (folder exists,
// destination exists, values valid), and returns what would have happened: move -> the UIDs that exist, with no
// destination UIDs; delete_messages -> the UIDs that exist. Errors are the inner store's.

#include <memory>

#include "mail/mail_store.h"

namespace emailv2::mail {

class DryRunMailStore final : public MailStore {
 public:
  explicit DryRunMailStore(std::unique_ptr<MailStore> inner);

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

  MailStore& inner() { return *inner_; }

 private:
  Result<std::vector<std::uint32_t>> existing(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                              Deadline deadline);
  std::unique_ptr<MailStore> inner_;
};

}  // namespace emailv2::mail
