#include "actions/move_email_to_folder.h"

#include "actions/batch_outcome.h"
#include "actions/folder_list.h"
#include "actions/mail_objects.h"
#include "actions/message_locator.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/param_values.h"
#include "core/text.h"
#include "mail/imap_mail_store.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kLog = "move-email-to-folder";
constexpr std::string_view kSource = "Source Folder Name";
constexpr std::string_view kDestination = "Destination Folder Name";
constexpr std::string_view kMessageIds = "Message IDs";
constexpr std::string_view kSubject = "Subject Filter";
constexpr std::string_view kOnlyUnread = "Only Unread";
constexpr std::string_view kNoMatch = "No mails were found matching the search criteria!";
constexpr std::string_view kErrorPrefix = "Error search emails: ";

struct Request {
  std::vector<std::string> sources;
  std::string destination;
  std::vector<std::string> message_ids;
  mail::SearchCriteria criteria;
  std::string source_text;  // the parameter as given (trimmed), for the success line
};

Result<Request> make_request(const ParamSet& p) {
  Request r;
  r.sources = mailbox::unique_folders(p.list(kSource));
  r.destination = p.string(kDestination).value_or("");
  r.message_ids = p.list(kMessageIds);
  r.criteria.subject = p.string(kSubject);
  r.criteria.unseen = p.checkbox(kOnlyUnread);
  r.source_text = p.string(kSource).value_or("");
  if (r.message_ids.empty() && !r.criteria.subject) {
    return fail(ErrorCode::kParamMissing, "Both Message IDs and Subject Filter can't be empty");
  }
  for (const auto& s : r.sources) {
    if (mailbox::same_folder(s, r.destination)) {
      return fail(param_values::invalid(kSource, "the destination folder " + text::echo_value(r.destination) +
                                                     " cannot also be a source"));
    }
  }
  return r;
}

Status check_destination(mail::MailStore& store, const std::string& destination, Deadline deadline) {
  auto found = store.find_folder(destination, deadline);
  if (!found) return fail(found.error());
  if (!*found) return fail(ErrorCode::kFolderNotFound, "Folder " + destination + " not found");
  return ok();
}

Result<mailbox::Matches> find_matches(mail::MailStore& store, const Request& r, Deadline deadline) {
  EMAILV2_TRY(check_destination(store, r.destination, deadline));
  EMAILV2_TRY(mailbox::check_folders(store, r.sources, mail::Access::kReadWrite, deadline));
  if (!r.message_ids.empty()) return mailbox::locate_message_ids(store, r.sources, r.message_ids, mailbox::MatchMode::kAll, deadline);
  return mailbox::locate_by_criteria(store, r.sources, r.criteria, mailbox::MatchMode::kAll, deadline);
}

void move_folder(mail::MailStore& store, const ActionContext& ctx, const Request& r, const mailbox::FolderMatches& m,
                 mailbox::BatchOutcome& outcome) {
  auto objects = mailbox::fetch_mail_objects(store, ctx.config, m.folder, m.uids, ctx.deadline);
  if (!objects) return outcome.record_failure(m.uids.size(), mailbox::run_error(objects.error(), ctx.deadline));
  auto report = store.move(m.folder, m.uids, r.destination, ctx.deadline);
  if (!report) return outcome.record_failure(m.uids.size(), mailbox::run_error(report.error(), ctx.deadline));
  if (report->moved.size() < m.uids.size()) {
    log::warn(kLog, "{} of {} messages in {} vanished before they could be moved", m.uids.size() - report->moved.size(),
              m.uids.size(), m.folder);
  }
  for (const auto& moved : report->moved) {
    ++outcome.done;
    auto it = objects->find(moved.uid);
    if (it == objects->end()) continue;
    nlohmann::ordered_json object = std::move(it->second);
    object["destination_folder"] = r.destination;
    object["destination_uid"] = moved.destination_uid ? nlohmann::ordered_json(std::to_string(*moved.destination_uid))
                                                      : nlohmann::ordered_json();
    outcome.emails.push_back(std::move(object));
  }
}

}  // namespace

const ActionSpec& move_email_to_folder_spec() {
  static const ActionSpec spec{
      "move-email-to-folder",
      "Move Email to Folder",
      {},
      "Move mails found by Message-ID or subject from source folders to an existing destination folder",
      {
          {kSource, {}, ParamType::kCsv, "", true, 0, 0, true, limits::kMaxFolders},
          {kDestination, {}, ParamType::kString, "", true, 0, 0, true, 0},
          {kMessageIds, {}, ParamType::kCsv, "", false, 0, 0, true, limits::kMaxMessageIds},
          {kSubject, {}, ParamType::kString, "", false, 0, 0, true, 0},
          {kOnlyUnread, {}, ParamType::kCheckbox, "false", false, 0, 0, false, 0},
      },
      ActionNeeds{true, false, false}};
  return spec;
}

ActionResult move_email_to_folder(mail::MailStore& store, const ActionContext& ctx, const ParamSet& params) {
  auto request = make_request(params);
  if (!request) return ActionResult::from_error(request.error());
  auto matches = find_matches(store, *request, ctx.deadline);
  if (!matches) {
    const Error e = mailbox::run_error(matches.error(), ctx.deadline);
    return ActionResult::failed(e, std::string(kErrorPrefix) + e.to_string());
  }
  if (mailbox::match_count(*matches) == 0) return ActionResult::completed(false, std::string(kNoMatch));
  mailbox::BatchOutcome outcome;
  for (const auto& m : *matches) move_folder(store, ctx, *request, m, outcome);
  if (outcome.total() == 0) return ActionResult::completed(false, std::string(kNoMatch));
  const std::string success = std::to_string(outcome.done) + " mails were successfully moved from " +
                              request->source_text + " to " + request->destination;
  return mailbox::batch_result(outcome, success, kErrorPrefix);
}

ActionResult run_move_email_to_folder(const ActionContext& ctx, const ParamSet& params) {
  auto store = mail::make_imap_mail_store(ctx.config);
  ActionResult result = move_email_to_folder(*store, ctx, params);
  if (auto closed = store->close(ctx.deadline); !closed) log::debug(kLog, "LOGOUT: {}", closed.error().to_string());
  return result;
}

}  // namespace emailv2::actions
