// The pure half of Download Email Attachments (CONTRACT §3.9): its spec, <msgdir> naming and the envelope.
#include "actions/download_email_attachments.h"

#include "core/limits.h"
#include "mail/search_criteria.h"
#include "mime/digest.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kErrorTemplate = "failed to download email attachments, the error is: ";
constexpr std::string_view kNothing = "No attachments found to download!";

std::string joined_paths(const std::vector<DownloadedFile>& files, std::string_view separator) {
  std::string out;
  for (const DownloadedFile& f : files) {
    if (!out.empty()) out += separator;
    out += f.path;
  }
  return out;
}

nlohmann::ordered_json file_json(const DownloadedFile& f) {
  nlohmann::ordered_json j;
  j["path"] = f.path;
  j["name"] = f.name;
  j["message_id"] = f.message_id ? nlohmann::ordered_json(*f.message_id) : nlohmann::ordered_json();
  j["folder"] = f.folder;
  j["email_uid"] = std::to_string(f.email_uid);
  j["size"] = f.size;
  j["md5"] = f.md5;
  j["sha1"] = f.sha1;
  j["sha256"] = f.sha256;
  return j;
}

nlohmann::ordered_json files_json(const std::vector<DownloadedFile>& files) {
  if (files.empty()) return nullptr;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const DownloadedFile& f : files) list.push_back(file_json(f));
  nlohmann::ordered_json j;
  j["attachments"] = std::move(list);
  return j;
}

std::string success_line(const std::vector<DownloadedFile>& files) {
  return "Downloaded " + std::to_string(files.size()) + " attachments. \n\nFiles:\n" + joined_paths(files, "\n");
}

}  // namespace

const ActionSpec& download_email_attachments_spec() {
  static const ActionSpec spec{
      "download-email-attachments",
      "Download Email Attachments",
      {"download-attachments"},
      "Download the attachments of mails to a local directory (safe names, nothing overwritten)",
      {
          {"Folder Name", {}, ParamType::kCsv, "Inbox", true, 0, 0, true, limits::kMaxFolders},
          {"Download Path", {}, ParamType::kString, "", true, 0, 0, false, 0},
          {"Message ID", {"Message IDs"}, ParamType::kCsv, "", false, 0, 0, true, limits::kMaxMessageIds},
          {"Subject filter", {}, ParamType::kString, "", false, 0, 0, true, 0},
      },
      ActionNeeds{true, false, false},
  };
  return spec;
}

std::string message_directory_name(const std::optional<std::string>& message_id, std::string_view folder,
                                   std::uint32_t uid) {
  if (message_id) {
    std::string id = mail::normalise_message_id(*message_id);
    if (!id.empty()) return id;
  }
  return "uid-" + mime::digests_of(folder).sha1.substr(0, 8) + "-" + std::to_string(uid);
}

ActionResult download_result(const DownloadOutcome& outcome) {
  if (outcome.fatal) {
    ActionResult r = ActionResult::failed(*outcome.fatal, std::string(kErrorTemplate) + outcome.fatal->to_string(),
                                          files_json(outcome.files));
    r.result_value = joined_paths(outcome.files, ",");
    return r;
  }
  if (outcome.failed_messages > 0 && outcome.first_error) {
    const std::string error = outcome.messages == 1
                                  ? outcome.first_error->to_string()
                                  : std::to_string(outcome.failed_messages) + " of " +
                                        std::to_string(outcome.messages) + " failed; first error: " +
                                        outcome.first_error->to_string();
    std::string message = std::string(kErrorTemplate) + error;
    if (!outcome.files.empty()) message = success_line(outcome.files) + "\n" + message;
    ActionResult r = ActionResult::failed(*outcome.first_error, std::move(message), files_json(outcome.files));
    r.result_value = joined_paths(outcome.files, ",");
    return r;
  }
  if (outcome.files.empty()) {
    ActionResult r = ActionResult::completed(false, std::string(kNothing));
    r.result_value = "";
    return r;
  }
  ActionResult r = ActionResult::completed(true, success_line(outcome.files), files_json(outcome.files));
  r.result_value = joined_paths(outcome.files, ",");
  return r;
}

}  // namespace emailv2::actions
