#include "actions/download_email_attachments.h"

#include <sys/stat.h>

#include "actions/attachment_files.h"
#include "actions/batch_outcome.h"
#include "actions/fetched_mail.h"
#include "actions/folder_list.h"
#include "actions/message_locator.h"
#include "core/allowed_paths.h"
#include "core/log.h"
#include "core/param_values.h"
#include "core/safe_file_writer.h"
#include "core/text.h"
#include "mail/imap_mail_store.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kPathParam = "Download Path";

// Input checks of the Download Path (exit 64, nothing contacted, nothing created): NUL, Allowed Paths, and an
// existing non-directory.
Result<std::filesystem::path> checked_download_path(const ActionContext& ctx, const std::string& raw) {
  if (raw.find('\0') != std::string::npos) {
    return fail(param_values::invalid(kPathParam, "control characters (CR, LF, NUL) are not allowed"));
  }
  std::error_code ec;
  const std::filesystem::path path = std::filesystem::absolute(raw, ec);
  if (ec) return fail(param_values::invalid(kPathParam, "cannot resolve \"" + text::echo_value(raw) + "\""));
  EMAILV2_TRY(allowed_paths::check(path, ctx.config.allowed_paths, kPathParam));
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    return fail(param_values::invalid(kPathParam, "\"" + text::echo_value(raw) + "\" exists and is not a directory"));
  }
  return path;
}

// Opens (creating 0750) the Download Path, then checks Allowed Paths again on what now exists, so a symlink that
// appeared meanwhile cannot redirect the download.
Result<SafeDirectory> open_download_dir(const ActionContext& ctx, const std::filesystem::path& path) {
  auto dir = SafeDirectory::open(path, true, 0750);
  if (!dir) return fail(dir.error());
  EMAILV2_TRY(allowed_paths::check(path, ctx.config.allowed_paths, kPathParam));
  return dir;
}

// The messages to download in every folder (§3.9 selection), grouped by folder in list order.
Result<mailbox::Matches> select_messages(const ActionContext& ctx, const ParamSet& params, mail::MailStore& store,
                                         const std::vector<std::string>& folders) {
  const auto& ids = params.list("Message ID");
  if (!ids.empty()) return mailbox::locate_message_ids(store, folders, ids, mailbox::MatchMode::kAll, ctx.deadline);
  mail::SearchCriteria criteria;
  if (auto subject = params.string("Subject filter")) criteria.subject = *subject;
  return mailbox::locate_by_criteria(store, folders, criteria, mailbox::MatchMode::kAll, ctx.deadline);
}

class Downloader {
 public:
  Downloader(const ActionContext& ctx, const SafeDirectory& root, DownloadOutcome& outcome)
      : ctx_(ctx), root_(root), outcome_(outcome) {}

  // Writes the attachments of one fetched message; a failure is recorded and the stream goes on (partial rule).
  Status on_message(const std::string& folder, mail::StoredMessage&& stored) {
    ++handled_;
    const std::uint32_t uid = stored.metadata.uid;
    if (stored.over_limit) {
      record_failure(Error(ErrorCode::kSizeLimit, "message " + std::to_string(uid) + " in folder " + folder +
                                                      " is larger than Max Message Size (" +
                                                      std::to_string(ctx_.config.max_message_mib) + " MB)"));
      return ok();
    }
    auto mail = read_fetched_mail(folder, std::move(stored));
    if (!mail) {
      record_failure(mail.error());
      return ok();
    }
    if (auto written = write_all(*mail); !written) record_failure(written.error());
    return ok();
  }

  void record_failure(const Error& error) {
    ++outcome_.failed_messages;
    if (!outcome_.first_error) outcome_.first_error = error;
    log::warn("download", "{}", error.to_string());
  }

  std::size_t handled() const { return handled_; }

 private:
  Status write_all(const FetchedMail& mail) {
    const auto& attachments = mail.message.attachments;
    if (attachments.empty()) return ok();
    const std::string dir_name =
        disk_name(message_directory_name(mail.message.message_id, mail.folder, mail.metadata.uid));
    auto dir = root_.subdirectory(dir_name);
    if (!dir) return fail(dir.error());
    for (const mime::Attachment& att : attachments) {
      auto written = write_attachment(*dir, att);
      if (!written) return fail(written.error());
      outcome_.files.push_back(DownloadedFile{written->path.string(), att.name, mail.message.message_id, mail.folder,
                                              mail.metadata.uid, att.data.size(), att.md5, att.sha1, att.sha256});
    }
    return ok();
  }

  const ActionContext& ctx_;
  const SafeDirectory& root_;
  DownloadOutcome& outcome_;
  std::size_t handled_ = 0;
};

void fetch_all(const ActionContext& ctx, mail::MailStore& store, const mailbox::Matches& selection,
               Downloader& downloader, DownloadOutcome& outcome) {
  for (const mailbox::FolderMatches& s : selection) {
    const std::size_t before = downloader.handled();
    auto report = store.fetch_messages(
        s.folder, s.uids, max_message_bytes(ctx.config),
        [&](mail::StoredMessage&& m) { return downloader.on_message(s.folder, std::move(m)); }, ctx.deadline);
    if (report) {
      for (std::uint32_t uid : report->missing) {
        log::warn("download", "message {} in folder {} vanished before it could be fetched", uid, s.folder);
      }
      continue;
    }
    // The connection broke (or --timeout passed): the rest of this folder and every later folder are not done.
    const Error error = mailbox::run_error(report.error(), ctx.deadline);
    std::size_t rest = s.uids.size() - std::min(s.uids.size(), downloader.handled() - before);
    for (const mailbox::FolderMatches* later = &s + 1; later != selection.data() + selection.size(); ++later) {
      rest += later->uids.size();
    }
    outcome.failed_messages += rest;
    if (!outcome.first_error) outcome.first_error = error;
    return;
  }
}

}  // namespace

ActionResult download_email_attachments(const ActionContext& ctx, const ParamSet& params, mail::MailStore& store) {
  auto path = checked_download_path(ctx, params.string(kPathParam).value_or(""));
  if (!path) return ActionResult::from_error(path.error());
  DownloadOutcome outcome;
  auto root = open_download_dir(ctx, *path);
  if (!root) {
    if (root.error().code() == ErrorCode::kPathNotAllowed) return ActionResult::from_error(root.error());
    outcome.fatal = root.error();
    return download_result(outcome);
  }
  const std::vector<std::string> folders = mailbox::unique_folders(params.list("Folder Name"));
  auto selection = mailbox::check_folders(store, folders, mail::Access::kReadOnly, ctx.deadline).and_then([&] {
    return select_messages(ctx, params, store, folders);
  });
  if (!selection) {
    outcome.fatal = mailbox::run_error(selection.error(), ctx.deadline);
    return download_result(outcome);
  }
  outcome.messages = mailbox::match_count(*selection);
  Downloader downloader(ctx, *root, outcome);
  fetch_all(ctx, store, *selection, downloader, outcome);
  return download_result(outcome);
}

ActionResult run_download_email_attachments(const ActionContext& ctx, const ParamSet& params) {
  auto store = mail::make_imap_mail_store(ctx.config);
  ActionResult result = download_email_attachments(ctx, params, *store);
  if (auto closed = store->close(ctx.deadline); !closed) log::debug("download", "IMAP LOGOUT: {}", closed.error().to_string());
  return result;
}

}  // namespace emailv2::actions
