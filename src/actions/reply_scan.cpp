#include "actions/reply_scan.h"

#include <algorithm>
#include <map>

#include "actions/auto_reply.h"
#include "core/log.h"

namespace emailv2::actions {

mail::SearchCriteria reply_search_criteria(std::string_view message_id, TimePoint start) {
  const std::string id = mail::normalise_message_id(message_id);
  mail::SearchCriteria c;
  c.since_day = mail::day_before_utc(start);
  c.any_header = {{"In-Reply-To", id}, {"References", id}, {"X-Microsoft-Original-Message-ID", id}};
  return c;
}

Result<FolderReplies> find_replies(mail::MailStore& store, std::string_view folder, std::string_view message_id,
                                   TimePoint start, Deadline deadline) {
  FolderReplies out;
  auto info = store.open_folder(folder, mail::Access::kReadOnly, deadline);
  if (!info) return fail(info.error());
  out.folder = *info;
  auto uids = store.search(folder, reply_search_criteria(message_id, start), deadline);
  if (!uids) return fail(uids.error());
  if (uids->empty()) return out;
  auto headers = store.fetch_headers(folder, *uids, deadline);
  if (!headers) return fail(headers.error());
  auto metadata = store.fetch_metadata(folder, *uids, deadline);
  if (!metadata) return fail(metadata.error());
  std::map<std::uint32_t, std::optional<TimePoint>> dates;
  for (const auto& m : *metadata) dates[m.uid] = m.internal_date;
  for (const auto& h : *headers) {
    const ReplyLink link = reply_link(h.header, message_id);
    if (link == ReplyLink::kNone) {
      log::debug("wait", "UID {} in {} only contains the Message-ID in a header; not a reply", h.uid, folder);
      continue;
    }
    ReplyHit hit;
    hit.folder = std::string(folder);
    hit.uid_validity = info->uid_validity;
    hit.uid = h.uid;
    if (auto d = dates.find(h.uid); d != dates.end()) hit.internal_date = d->second;
    hit.from = from_addresses(h.header);
    hit.auto_reply = auto_reply_marker(h.header);
    hit.link = link;
    out.hits.push_back(std::move(hit));
  }
  return out;
}

void sort_by_arrival(std::vector<ReplyHit>& hits) {
  // stable: equal dates keep the input's folder order, and within a folder hits come in ascending UID.
  std::stable_sort(hits.begin(), hits.end(), [](const ReplyHit& a, const ReplyHit& b) {
    const TimePoint ta = a.internal_date.value_or(TimePoint::max());
    const TimePoint tb = b.internal_date.value_or(TimePoint::max());
    return ta < tb;
  });
}

}  // namespace emailv2::actions
