#include "actions/search_emails.h"

#include <algorithm>
#include <map>

#include "actions/batch_outcome.h"
#include "actions/folder_list.h"
#include "actions/mail_objects.h"
#include "core/limits.h"
#include "core/log.h"
#include "mail/imap_mail_store.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kLog = "search-emails";
constexpr std::string_view kFolder = "Folder Name";
constexpr std::string_view kSubject = "Subject Filter";
constexpr std::string_view kSender = "Sender Filter";
constexpr std::string_view kRecipient = "Recipient Filter";
constexpr std::string_view kTimeFrame = "Time frame (minutes)";
constexpr std::string_view kOnlyUnread = "Only Unread";
constexpr std::string_view kMax = "Max Emails To Return";
constexpr std::string_view kNothing = "Search didn't found any matching emails";
constexpr std::string_view kErrorPrefix = "Search didn't completed successfully due to error: ";

struct Query {
  std::vector<std::string> folders;
  mail::SearchCriteria server;     // what the server is asked (SINCE the day before the cutoff)
  std::optional<mail::TimePoint> cutoff;  // exact: INTERNALDATE >= cutoff
  std::size_t max = 100;
};

Query make_query(const ActionContext& ctx, const ParamSet& p) {
  Query q;
  q.folders = mailbox::unique_folders(p.list(kFolder));
  q.server.subject = p.string(kSubject);
  q.server.from = p.string(kSender);
  q.server.to = p.string(kRecipient);
  q.server.unseen = p.checkbox(kOnlyUnread);
  if (auto minutes = p.integer(kTimeFrame)) {
    q.cutoff = ctx.clock.now() - std::chrono::minutes(*minutes);
    q.server.since_day = mail::day_before_utc(*q.cutoff);
  }
  q.max = static_cast<std::size_t>(p.integer(kMax).value_or(100));
  return q;
}

bool received_in_time(const mail::MessageMetadata& m, const std::optional<mail::TimePoint>& cutoff) {
  if (!cutoff) return true;
  return m.internal_date && *m.internal_date >= *cutoff;
}

// Every hit of every folder, with the metadata the order needs (one UID FETCH of small items per folder).
Result<std::vector<SearchHit>> collect_hits(mail::MailStore& store, const Query& q, Deadline deadline) {
  std::vector<SearchHit> hits;
  for (std::size_t f = 0; f < q.folders.size(); ++f) {
    auto opened = store.open_folder(q.folders[f], mail::Access::kReadOnly, deadline);
    if (!opened) return fail(opened.error());
    auto uids = store.search(q.folders[f], q.server, deadline);
    if (!uids) return fail(uids.error());
    if (uids->empty()) continue;
    auto metadata = store.fetch_metadata(q.folders[f], *uids, deadline);
    if (!metadata) return fail(metadata.error());
    for (auto& m : *metadata) {
      if (received_in_time(m, q.cutoff)) hits.push_back({f, std::move(m)});
    }
  }
  return hits;
}

// Mail Objects of the chosen hits, in their order; hits that vanished meanwhile are skipped.
Result<nlohmann::ordered_json> fetch_objects(mail::MailStore& store, const ActionContext& ctx, const Query& q,
                                             const std::vector<SearchHit>& chosen) {
  std::map<std::size_t, std::vector<std::uint32_t>> by_folder;
  for (const auto& h : chosen) by_folder[h.folder_index].push_back(h.metadata.uid);
  std::map<std::size_t, mailbox::MailObjects> objects;
  for (auto& [folder, uids] : by_folder) {
    auto fetched = mailbox::fetch_mail_objects(store, ctx.config, q.folders[folder], uids, ctx.deadline);
    if (!fetched) return fail(fetched.error());
    objects[folder] = std::move(*fetched);
  }
  nlohmann::ordered_json emails = nlohmann::ordered_json::array();
  for (const auto& h : chosen) {
    auto& in_folder = objects[h.folder_index];
    const auto it = in_folder.find(h.metadata.uid);
    if (it != in_folder.end()) emails.push_back(std::move(it->second));
  }
  return emails;
}

ActionResult search_failed(const Error& error, Deadline deadline) {
  const Error e = mailbox::run_error(error, deadline);
  return ActionResult::failed(e, std::string(kErrorPrefix) + e.to_string());
}

}  // namespace

const ActionSpec& search_emails_spec() {
  static const ActionSpec spec{
      "search-emails",
      "Search Emails",
      {"search-email"},
      "Search folders on the IMAP server and return the newest matching mails as Mail Objects",
      {
          {kFolder, {}, ParamType::kCsv, "Inbox", true, 0, 0, true, limits::kMaxFolders},
          {kSubject, {}, ParamType::kString, "", false, 0, 0, true, 0},
          {kSender, {}, ParamType::kString, "", false, 0, 0, true, 0},
          {kRecipient, {}, ParamType::kString, "", false, 0, 0, true, 0},
          {kTimeFrame, {}, ParamType::kInteger, "", false, 1, 5'256'000, false, 0},
          {kOnlyUnread, {}, ParamType::kCheckbox, "false", false, 0, 0, false, 0},
          {kMax, {}, ParamType::kInteger, "100", true, 1, 10'000, false, 0},
      },
      ActionNeeds{true, false, false}};
  return spec;
}

std::vector<SearchHit> newest_first(std::vector<SearchHit> hits, std::size_t n) {
  const auto newer = [](const SearchHit& a, const SearchHit& b) {
    const auto& da = a.metadata.internal_date;
    const auto& db = b.metadata.internal_date;
    if (da.has_value() != db.has_value()) return da.has_value();
    if (da && *da != *db) return *da > *db;
    if (a.folder_index != b.folder_index) return a.folder_index < b.folder_index;
    return a.metadata.uid > b.metadata.uid;
  };
  n = std::min(n, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(n), hits.end(), newer);
  hits.resize(n);
  return hits;
}

ActionResult search_emails(mail::MailStore& store, const ActionContext& ctx, const ParamSet& params) {
  const Query q = make_query(ctx, params);
  auto hits = collect_hits(store, q, ctx.deadline);
  if (!hits) return search_failed(hits.error(), ctx.deadline);
  const std::size_t found = hits->size();
  const auto chosen = newest_first(std::move(*hits), q.max);
  log::info(kLog, "{} matching mails in {} folders, returning {}", found, q.folders.size(), chosen.size());
  if (chosen.empty()) return ActionResult::completed(false, std::string(kNothing));
  auto emails = fetch_objects(store, ctx, q, chosen);
  if (!emails) return search_failed(emails.error(), ctx.deadline);
  if (emails->empty()) return ActionResult::completed(false, std::string(kNothing));
  const std::size_t n = emails->size();
  return ActionResult::completed(
      true, "Search found " + std::to_string(n) + " emails based on the provided search criteria",
      nlohmann::ordered_json{{"emails", std::move(*emails)}});
}

ActionResult run_search_emails(const ActionContext& ctx, const ParamSet& params) {
  auto store = mail::make_imap_mail_store(ctx.config);
  ActionResult result = search_emails(*store, ctx, params);
  if (auto closed = store->close(ctx.deadline); !closed) log::debug(kLog, "LOGOUT: {}", closed.error().to_string());
  return result;
}

}  // namespace emailv2::actions
