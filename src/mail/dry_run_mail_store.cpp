#include "mail/dry_run_mail_store.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/log.h"
#include "core/text.h"

namespace emailv2::mail {
namespace {

constexpr std::string_view kLog = "mail";

Status check_flags(const std::vector<std::string>& flags) {
  for (const auto& f : flags) {
    if (f.empty() || text::has_line_breaks_or_nul(f)) return fail(ErrorCode::kParamInvalid, "invalid flag");
  }
  return ok();
}

}  // namespace

DryRunMailStore::DryRunMailStore(std::unique_ptr<MailStore> inner) : inner_(std::move(inner)) {}

Result<FolderInfo> DryRunMailStore::open_folder(std::string_view folder, Access, Deadline deadline) {
  return inner_->open_folder(folder, Access::kReadOnly, deadline);
}
Result<std::vector<FolderListing>> DryRunMailStore::list_folders(Deadline deadline) {
  return inner_->list_folders(deadline);
}
Result<std::optional<FolderListing>> DryRunMailStore::find_folder(std::string_view folder, Deadline deadline) {
  return inner_->find_folder(folder, deadline);
}
Result<std::vector<std::uint32_t>> DryRunMailStore::search(std::string_view folder, const SearchCriteria& criteria,
                                                           Deadline deadline) {
  return inner_->search(folder, criteria, deadline);
}
Result<std::vector<std::uint32_t>> DryRunMailStore::find_by_message_id(std::string_view folder,
                                                                       std::string_view message_id, Deadline deadline) {
  return inner_->find_by_message_id(folder, message_id, deadline);
}
Result<std::vector<MessageMetadata>> DryRunMailStore::fetch_metadata(std::string_view folder,
                                                                     const std::vector<std::uint32_t>& uids,
                                                                     Deadline deadline) {
  return inner_->fetch_metadata(folder, uids, deadline);
}
Result<std::vector<MessageHeaders>> DryRunMailStore::fetch_headers(std::string_view folder,
                                                                   const std::vector<std::uint32_t>& uids,
                                                                   Deadline deadline) {
  return inner_->fetch_headers(folder, uids, deadline);
}
Result<FetchReport> DryRunMailStore::fetch_messages(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                                    std::uint64_t max_message_bytes, const MessageCallback& on_message,
                                                    Deadline deadline) {
  return inner_->fetch_messages(folder, uids, max_message_bytes, on_message, deadline);
}

Result<std::vector<std::uint32_t>> DryRunMailStore::existing(std::string_view folder,
                                                             const std::vector<std::uint32_t>& uids,
                                                             Deadline deadline) {
  auto metadata = inner_->fetch_metadata(folder, uids, deadline);
  if (!metadata) return fail(metadata.error());
  std::vector<std::uint32_t> out;
  for (const auto& m : *metadata) out.push_back(m.uid);
  return out;
}

Status DryRunMailStore::add_flags(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                  const std::vector<std::string>& flags, Deadline deadline) {
  EMAILV2_TRY(check_flags(flags));
  auto present = existing(folder, uids, deadline);
  if (!present) return fail(present.error());
  log::info(kLog, "dry run: would add flags {} to UIDs {} in {}", fmt::join(flags, " "), fmt::join(*present, ","),
            folder);
  return ok();
}

Result<MoveReport> DryRunMailStore::move(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                         std::string_view destination, Deadline deadline) {
  auto dest = inner_->find_folder(destination, deadline);
  if (!dest) return fail(dest.error());
  if (!*dest) return fail(ErrorCode::kFolderNotFound, "Folder " + std::string(destination) + " not found");
  auto present = existing(folder, uids, deadline);
  if (!present) return fail(present.error());
  MoveReport report;
  report.destination = std::string(destination);
  for (auto uid : *present) report.moved.push_back({uid, std::nullopt});
  log::info(kLog, "dry run: would move UIDs {} from {} to {}", fmt::join(*present, ","), folder, destination);
  return report;
}

Result<std::vector<std::uint32_t>> DryRunMailStore::delete_messages(std::string_view folder,
                                                                    const std::vector<std::uint32_t>& uids,
                                                                    Deadline deadline) {
  auto present = existing(folder, uids, deadline);
  if (!present) return fail(present.error());
  log::info(kLog, "dry run: would delete UIDs {} from {}", fmt::join(*present, ","), folder);
  return present;
}

Result<bool> DryRunMailStore::wait_for_new_mail(std::string_view folder, Deadline until, const WaitOptions& options,
                                                Deadline deadline) {
  return inner_->wait_for_new_mail(folder, until, options, deadline);
}

Status DryRunMailStore::close(Deadline deadline) { return inner_->close(deadline); }

}  // namespace emailv2::mail
