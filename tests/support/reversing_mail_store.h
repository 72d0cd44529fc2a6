#pragma once
// A MailStore that answers every fetch_messages() in reverse UID order — the extreme of a server that runs pipelined
// UID FETCH batches concurrently and interleaves them (Dovecot does) — over a MemoryMailStore it wraps.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mail/memory_mail_store.h"

namespace emailv2::testing {

class ReversingMailStore final : public mail::MailStore {
 public:
  explicit ReversingMailStore(mail::MemoryMailStore& inner) : inner_(inner) {}
  Result<mail::FolderInfo> open_folder(std::string_view f, mail::Access a, Deadline d) override {
    return inner_.open_folder(f, a, d);
  }
  Result<std::vector<mail::FolderListing>> list_folders(Deadline d) override { return inner_.list_folders(d); }
  Result<std::optional<mail::FolderListing>> find_folder(std::string_view f, Deadline d) override {
    return inner_.find_folder(f, d);
  }
  Result<std::vector<std::uint32_t>> search(std::string_view f, const mail::SearchCriteria& c, Deadline d) override {
    return inner_.search(f, c, d);
  }
  Result<std::vector<std::uint32_t>> find_by_message_id(std::string_view f, std::string_view id, Deadline d) override {
    return inner_.find_by_message_id(f, id, d);
  }
  Result<std::vector<mail::MessageMetadata>> fetch_metadata(std::string_view f, const std::vector<std::uint32_t>& u,
                                                            Deadline d) override {
    return inner_.fetch_metadata(f, u, d);
  }
  Result<std::vector<mail::MessageHeaders>> fetch_headers(std::string_view f, const std::vector<std::uint32_t>& u,
                                                          Deadline d) override {
    return inner_.fetch_headers(f, u, d);
  }
  Result<mail::FetchReport> fetch_messages(std::string_view f, const std::vector<std::uint32_t>& u, std::uint64_t max,
                                           const mail::MessageCallback& cb, Deadline d) override {
    std::vector<mail::StoredMessage> all;
    auto report = inner_.fetch_messages(
        f, u, max, [&](mail::StoredMessage&& m) { all.push_back(std::move(m)); return ok(); }, d);
    if (!report) return report;
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      EMAILV2_TRY(cb(std::move(*it)));
      if (it + 1 == all.rend()) delivered_all = true;
    }
    return report;
  }
  Status add_flags(std::string_view f, const std::vector<std::uint32_t>& u, const std::vector<std::string>& fl,
                   Deadline d) override {
    return inner_.add_flags(f, u, fl, d);
  }
  Result<mail::MoveReport> move(std::string_view f, const std::vector<std::uint32_t>& u, std::string_view to,
                                Deadline d) override {
    return inner_.move(f, u, to, d);
  }
  Result<std::vector<std::uint32_t>> delete_messages(std::string_view f, const std::vector<std::uint32_t>& u,
                                                     Deadline d) override {
    return inner_.delete_messages(f, u, d);
  }
  Result<bool> wait_for_new_mail(std::string_view f, Deadline until, const mail::WaitOptions& o, Deadline d) override {
    return inner_.wait_for_new_mail(f, until, o, d);
  }
  Status close(Deadline d) override { return inner_.close(d); }

  std::atomic<bool> delivered_all{false};  // the last (lowest) message of a fetch was handed over

 private:
  mail::MemoryMailStore& inner_;
};

}  // namespace emailv2::testing
