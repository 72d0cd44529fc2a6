#include "actions/delete_email.h"

#include "actions/batch_outcome.h"
#include "actions/folder_list.h"
#include "actions/mail_objects.h"
#include "actions/message_locator.h"
#include "core/limits.h"
#include "core/local_day.h"
#include "core/log.h"
#include "mail/imap_mail_store.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kLog = "delete-email";
constexpr std::string_view kFolder = "Folder Name";
constexpr std::string_view kMessageIds = "Message IDs";
constexpr std::string_view kSubject = "Subject Filter";
constexpr std::string_view kSender = "Sender Filter";
constexpr std::string_view kRecipient = "Recipient Filter";
constexpr std::string_view kDeleteAll = "Delete all matching emails";
constexpr std::string_view kDaysBack = "Days Back";
constexpr std::string_view kNoMatch = "Failed to find emails for deletion!";
constexpr std::string_view kErrorPrefix = "Error deleting emails ";
constexpr std::int64_t kMaxDaysBack = 36'500;

struct Request {
  std::vector<std::string> folders;
  std::vector<std::string> message_ids;
  mail::SearchCriteria criteria;  // filter mode; received_since is set once the clock is read
  int days_back = 0;
  mailbox::MatchMode mode = mailbox::MatchMode::kFirst;
};

Result<Request> make_request(const ParamSet& p) {
  Request r;
  r.folders = mailbox::unique_folders(p.list(kFolder));
  r.message_ids = p.list(kMessageIds);
  r.criteria.subject = p.string(kSubject);
  r.criteria.from = p.string(kSender);
  r.criteria.to = p.string(kRecipient);
  r.mode = p.checkbox(kDeleteAll) ? mailbox::MatchMode::kAll : mailbox::MatchMode::kFirst;
  if (r.message_ids.empty() && !r.criteria.subject && !r.criteria.from && !r.criteria.to) {
    return fail(ErrorCode::kParamMissing,
                "Message IDs and Subject, Sender and Recipient filters can't be empty at the same time");
  }
  const std::int64_t days = p.integer(kDaysBack).value_or(0);
  if (days < 0) return fail(ErrorCode::kParamInvalid, "\"Days Back\" parameter must be non negative.");
  r.days_back = static_cast<int>(days);
  return r;
}

Result<mailbox::Matches> find_targets(mail::MailStore& store, const ActionContext& ctx, Request& r) {
  EMAILV2_TRY(mailbox::check_folders(store, r.folders, mail::Access::kReadWrite, ctx.deadline));
  if (!r.message_ids.empty()) return mailbox::locate_message_ids(store, r.folders, r.message_ids, r.mode, ctx.deadline);
  auto cutoff = start_of_local_day(ctx.config.time_zone, ctx.clock.now(), r.days_back);
  if (!cutoff) return fail(cutoff.error());
  r.criteria.received_since = *cutoff;
  return mailbox::locate_by_criteria(store, r.folders, r.criteria, r.mode, ctx.deadline);
}

void delete_in_folder(mail::MailStore& store, const ActionContext& ctx, const mailbox::FolderMatches& m,
                      mailbox::BatchOutcome& outcome) {
  auto objects = mailbox::fetch_mail_objects(store, ctx.config, m.folder, m.uids, ctx.deadline);
  if (!objects) return outcome.record_failure(m.uids.size(), mailbox::run_error(objects.error(), ctx.deadline));
  auto deleted = store.delete_messages(m.folder, m.uids, ctx.deadline);
  if (!deleted) return outcome.record_failure(m.uids.size(), mailbox::run_error(deleted.error(), ctx.deadline));
  if (deleted->size() < m.uids.size()) {
    log::warn(kLog, "{} of {} messages in {} vanished before they could be deleted", m.uids.size() - deleted->size(),
              m.uids.size(), m.folder);
  }
  for (std::uint32_t uid : *deleted) {
    ++outcome.done;
    auto it = objects->find(uid);
    if (it != objects->end()) outcome.emails.push_back(std::move(it->second));
  }
}

}  // namespace

const ActionSpec& delete_email_spec() {
  static const ActionSpec spec{
      "delete-email",
      "Delete Email",
      {},
      "Delete mails found by Message-ID or by subject/sender/recipient filters, in the folder where each was found",
      {
          {kFolder, {}, ParamType::kCsv, "", true, 0, 0, true, limits::kMaxFolders},
          {kMessageIds, {}, ParamType::kCsv, "", false, 0, 0, true, limits::kMaxMessageIds},
          {kSubject, {}, ParamType::kString, "", false, 0, 0, true, 0},
          {kSender, {}, ParamType::kString, "", false, 0, 0, true, 0},
          {kRecipient, {}, ParamType::kString, "", false, 0, 0, true, 0},
          {kDeleteAll, {}, ParamType::kCheckbox, "false", false, 0, 0, false, 0},
          {kDaysBack, {}, ParamType::kInteger, "0", false, -kMaxDaysBack, kMaxDaysBack, false, 0},
      },
      ActionNeeds{true, false, false}};
  return spec;
}

ActionResult delete_email(mail::MailStore& store, const ActionContext& ctx, const ParamSet& params) {
  auto request = make_request(params);
  if (!request) return ActionResult::from_error(request.error());
  auto targets = find_targets(store, ctx, *request);
  if (!targets) {
    const Error e = mailbox::run_error(targets.error(), ctx.deadline);
    return ActionResult::failed(e, std::string(kErrorPrefix) + e.to_string());
  }
  if (mailbox::match_count(*targets) == 0) return ActionResult::completed(false, std::string(kNoMatch));
  mailbox::BatchOutcome outcome;
  for (const auto& m : *targets) delete_in_folder(store, ctx, m, outcome);
  if (outcome.total() == 0) return ActionResult::completed(false, std::string(kNoMatch));
  return mailbox::batch_result(outcome, std::to_string(outcome.done) + " email(s) were deleted successfully", kErrorPrefix);
}

ActionResult run_delete_email(const ActionContext& ctx, const ParamSet& params) {
  auto store = mail::make_imap_mail_store(ctx.config);
  ActionResult result = delete_email(*store, ctx, params);
  if (auto closed = store->close(ctx.deadline); !closed) log::debug(kLog, "LOGOUT: {}", closed.error().to_string());
  return result;
}

}  // namespace emailv2::actions
