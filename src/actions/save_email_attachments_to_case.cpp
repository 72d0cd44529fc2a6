#include "actions/save_email_attachments_to_case.h"

#include <algorithm>

#include "actions/batch_outcome.h"
#include "actions/fetched_mail.h"
#include "actions/folder_list.h"
#include "actions/message_locator.h"
#include "core/file_names.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/param_values.h"
#include "core/text.h"
#include "mail/imap_mail_store.h"
#include "store/case_repository.h"
#include "store/wall_repository.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kErrorTemplate = "Failed to save the email attachments to the case, the error is: ";
constexpr std::string_view kNoAttachments = "No attachments have been found!";

Error missing_case() {
  return Error(ErrorCode::kParamMissing,
               "Missing mandatory parameter --case-id (Save Email Attachments to Case needs a case context)");
}

ActionResult failed(const Error& error, nlohmann::ordered_json json = nullptr) {
  return ActionResult::failed(error, std::string(kErrorTemplate) + error.to_string(), std::move(json));
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

struct FoundMail {
  std::string folder;
  std::uint32_t uid = 0;
};

// The first exact match (§3.0): first folder in list order, then the lowest UID.
Result<std::optional<FoundMail>> first_match(mail::MailStore& store, const std::vector<std::string>& folders,
                                             const std::string& message_id, Deadline deadline) {
  auto matches = mailbox::locate_message_ids(store, folders, {message_id}, mailbox::MatchMode::kFirst, deadline);
  if (!matches) return fail(matches.error());
  if (matches->empty() || matches->front().uids.empty()) return std::optional<FoundMail>();
  return std::optional<FoundMail>(FoundMail{matches->front().folder, matches->front().uids.front()});
}

Result<std::optional<FetchedMail>> fetch_one(const ActionContext& ctx, mail::MailStore& store, const FoundMail& found) {
  std::optional<FetchedMail> out;
  auto report = store.fetch_messages(
      found.folder, {found.uid}, max_message_bytes(ctx.config),
      [&](mail::StoredMessage&& m) -> Status {
        auto mail = read_fetched_mail(found.folder, std::move(m));
        if (!mail) return fail(mail.error());
        out = std::move(*mail);
        return ok();
      },
      ctx.deadline);
  if (!report) return fail(report.error());
  return out;
}

std::vector<const mime::Attachment*> matching(const mime::Message& msg, const std::optional<std::string>& name) {
  std::vector<const mime::Attachment*> out;
  for (const mime::Attachment& att : msg.attachments) {
    if (!name || att.name == *name) out.push_back(&att);
  }
  return out;
}

Status add_to_wall(const ActionContext& ctx, store::Database& db, const SaveTarget& target,
                   const std::vector<const mime::Attachment*>& files) {
  auto tx = db.begin_write();
  if (!tx) return fail(tx.error());
  store::WallRepository wall(db);
  for (const mime::Attachment* att : files) {
    store::WallFile file;
    file.alert_id = target.alert_id;
    file.file_name = att->name;
    std::tie(file.name, file.type) = wall_name_and_type(att->name);
    file.description = "Email attachment (" + target.message_id + ")";
    file.content = att->data;
    file.added_by = store::AddedBy::kSaveEmailAttachmentsToCase;
    auto added = wall.add(*tx, *ctx.case_id, file, ctx.clock.now());
    if (!added) return fail(added.error());
    if (!added->added) log::info("save", "{} is already on case {}", text::echo_value(att->name), *ctx.case_id);
  }
  return tx->commit();
}

std::string saved_names(const std::vector<const mime::Attachment*>& files) {
  std::vector<std::string> names;
  for (const mime::Attachment* att : files) {
    std::string echoed = text::echo_value(att->name);
    if (std::find(names.begin(), names.end(), echoed) == names.end()) names.push_back(std::move(echoed));
  }
  return joined(names);
}

}  // namespace

const ActionSpec& save_email_attachments_to_case_spec() {
  static const ActionSpec spec{
      "save-email-attachments-to-case",
      "Save Email Attachments to Case",
      {},
      "Save the attachments of a mail to the case wall of --case-id",
      {
          {"Folder Name", {}, ParamType::kCsv, "", true, 0, 0, true, limits::kMaxFolders},
          {"Message ID", {}, ParamType::kString, "", false, 0, 0, true, 0},
          {"Attachment name", {"Attachment To Save"}, ParamType::kString, "", false, 0, 0, false, 0},
      },
      ActionNeeds{true, false, false},
  };
  return spec;
}

std::pair<std::string, std::string> wall_name_and_type(std::string_view file_name) {
  return file_names::stem_and_type(file_name);
}

Result<SaveTarget> resolve_save_target(const ActionContext& ctx, const ParamSet& params, store::Database& db) {
  if (!ctx.case_id) {
    return fail(missing_case());
  }
  SaveTarget target;
  store::CaseRepository cases(db);
  if (ctx.alert_id) {
    auto id = param_values::parse_integer("--alert-id", *ctx.alert_id, 1, INT64_MAX);
    if (!id) return fail(id.error());
    auto alert = cases.alert(*id);
    if (!alert) return fail(alert.error());
    if (!*alert || (*alert)->case_id != *ctx.case_id) {
      return fail(ErrorCode::kParamInvalid, "Alert " + text::echo_value(text::trim(*ctx.alert_id)) +
                                                " not found in case " + std::to_string(*ctx.case_id));
    }
    target.alert_id = *id;
    if ((*alert)->message_id) target.message_id = *(*alert)->message_id;
  }
  if (auto given = params.string("Message ID")) {
    target.message_id = *given;
    return target;
  }
  if (target.message_id.empty()) {
    auto first = cases.first_alert(*ctx.case_id);
    if (!first) return fail(first.error());
    if (*first && (*first)->message_id) {
      target.message_id = *(*first)->message_id;
      if (!target.alert_id) target.alert_id = (*first)->alert_id;
    }
  }
  if (text::trim(target.message_id).empty()) return fail(param_values::missing("Message ID"));
  return target;
}

ActionResult save_email_attachments_to_case(const ActionContext& ctx, const ParamSet& params, mail::MailStore& mail,
                                            store::Database& db) {
  auto target = resolve_save_target(ctx, params, db);
  if (!target) {
    const ErrorCode code = target.error().code();
    if (code == ErrorCode::kParamMissing || code == ErrorCode::kParamInvalid) return ActionResult::from_error(target.error());
    return failed(target.error());
  }
  const std::vector<std::string> folders = mailbox::unique_folders(params.list("Folder Name"));
  auto found = mailbox::check_folders(mail, folders, mail::Access::kReadOnly, ctx.deadline).and_then([&] {
    return first_match(mail, folders, target->message_id, ctx.deadline);
  });
  if (!found) return failed(mailbox::run_error(found.error(), ctx.deadline));
  const std::string echoed_id = text::echo_value(target->message_id);
  const std::string not_found = std::string(kErrorTemplate) + "Email with message ID " + echoed_id +
                                " was not found in folder(s) " + text::echo_value(joined(folders));
  if (!*found) return ActionResult::completed(false, not_found);
  auto fetched = fetch_one(ctx, mail, **found);
  if (!fetched) return failed(mailbox::run_error(fetched.error(), ctx.deadline));
  if (!*fetched) return ActionResult::completed(false, not_found);  // expunged between SEARCH and FETCH
  const FetchedMail& msg = **fetched;
  if (msg.over_limit) {
    return failed(Error(ErrorCode::kSizeLimit, "the email " + echoed_id + " is larger than Max Message Size (" +
                                                   std::to_string(ctx.config.max_message_mib) + " MB)"));
  }
  nlohmann::ordered_json json;
  json["emails"] = nlohmann::ordered_json::array({mail_object(msg, ctx.config)});
  if (msg.message.attachments.empty()) return ActionResult::completed(false, std::string(kNoAttachments), json);
  const auto name = params.string("Attachment name");
  const auto files = matching(msg.message, name);
  if (files.empty()) {
    return ActionResult::completed(false, std::string(kErrorTemplate) + "Attachment \"" + text::echo_value(*name) +
                                              "\" was not found in the email " + echoed_id, json);
  }
  if (auto saved = add_to_wall(ctx, db, *target, files); !saved) return failed(saved.error());
  return ActionResult::completed(true, "Successfully saved the following attachments from the email " + echoed_id +
                                           ": " + saved_names(files), std::move(json));
}

ActionResult run_save_email_attachments_to_case(const ActionContext& ctx, const ParamSet& params) {
  if (!ctx.case_id) {
    return ActionResult::from_error(missing_case());
  }
  store::OpenOptions options;
  options.create_if_missing = false;
  auto db = store::Database::open(ctx.store_path, options);
  if (!db) return failed(db.error());
  auto store = mail::make_imap_mail_store(ctx.config);
  ActionResult result = save_email_attachments_to_case(ctx, params, *store, *db);
  if (auto closed = store->close(ctx.deadline); !closed) log::debug("save", "IMAP LOGOUT: {}", closed.error().to_string());
  return result;
}

}  // namespace emailv2::actions
