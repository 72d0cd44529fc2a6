#pragma once
// Download Email Attachments (CONTRACT §3.9): writes the attachments of the selected mails under
// <Download Path>/<msgdir>/<name>, read-only on the server (EXAMINE + BODY.PEEK), never overwriting, never following a
// link below the Download Path, never leaving it whatever the attachment names (§6.4, actions/attachment_files.h).
//
// Parameters: Folder Name (CSV, default Inbox), Download Path (mandatory; created 0750; Allowed Paths apply), Message
// ID (CSV; O: "Message IDs"), Subject filter. Selection: every exact Message-ID match in every folder when Message ID
// is given, else the Subject filter (server-side SUBJECT substring), else every message of the folders.
//
// Outcomes (exit code in brackets):
//  * files written (or identical files reused)  completed/true [0]: `Downloaded {n} attachments. \n\nFiles:\n{paths}`,
//    result_value = paths joined ",", json_result {"attachments": [...]};
//  * nothing to download  completed/false [1]: `No attachments found to download!`, result_value "", json null;
//  * input errors (Download Path not a directory, NUL in it, PATH_NOT_ALLOWED) failed [64], nothing contacted;
//  * runtime errors  failed [2]: `failed to download email attachments, the error is: {error}`; per-message failures
//    (SIZE_LIMIT, IO_ERROR) do not stop the others: partial rule of §1.4 with {error} = `<k> of <n> failed; first
//    error: <CODE>: <detail>` (k, n counted in messages), result_value and json list only the files written.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "core/error.h"
#include "mail/mail_store.h"

namespace emailv2::actions {

const ActionSpec& download_email_attachments_spec();
// Connects to the configured IMAP account and runs the action.
ActionResult run_download_email_attachments(const ActionContext& ctx, const ParamSet& params);
// The action over any MailStore (unit tests use mail::MemoryMailStore). Closes nothing: the caller owns `store`.
ActionResult download_email_attachments(const ActionContext& ctx, const ParamSet& params, mail::MailStore& store);

// <msgdir> of §3.9 before sanitising: the Message-ID without surrounding spaces and one <> pair, or — when the mail
// has none (or it is empty) — `uid-<first 8 hex of sha1(folder)>-<uid>`. The caller sanitises (disk_name()).
std::string message_directory_name(const std::optional<std::string>& message_id, std::string_view folder,
                                   std::uint32_t uid);

struct DownloadedFile {
  std::string path;                       // absolute path of the file on disk
  std::string name;                       // the attachment's original name (metadata)
  std::optional<std::string> message_id;  // the mail's Message-ID as found, null when it has none
  std::string folder;
  std::uint32_t email_uid = 0;
  std::uint64_t size = 0;
  std::string md5, sha1, sha256;
};

struct DownloadOutcome {
  std::vector<DownloadedFile> files;  // every attachment written or reused, in mail then MIME order
  std::size_t messages = 0;           // messages selected (n of the partial rule)
  std::size_t failed_messages = 0;    // messages whose files were not all written (k)
  std::optional<Error> first_error;   // the first per-message or stream error
  std::optional<Error> fatal;         // an error before any message was handled (folder check, search)
};

// The §3.9 envelope of an outcome (pure).
ActionResult download_result(const DownloadOutcome& outcome);

}  // namespace emailv2::actions
