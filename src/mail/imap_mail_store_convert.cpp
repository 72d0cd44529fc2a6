#include "mail/imap_mail_store_convert.h"

#include <algorithm>
#include <tuple>

namespace emailv2::mail {
namespace {

imap::wire::SearchDate to_wire_date(CalendarDay d) { return {d.year, d.month, d.day}; }

bool later(CalendarDay a, CalendarDay b) {
  return std::tie(a.year, a.month, a.day) > std::tie(b.year, b.month, b.day);
}

imap::wire::SearchCriteria base_search(const SearchCriteria& c) {
  imap::wire::SearchCriteria w;
  w.unseen = c.unseen;
  w.subject = c.subject;
  w.from = c.from;
  w.to = c.to;
  std::optional<CalendarDay> since = c.since_day;
  if (c.received_since) {
    const CalendarDay early = day_before_utc(*c.received_since);
    if (!since || later(early, *since)) since = early;
  }
  if (since) w.since = to_wire_date(*since);
  for (const auto& t : c.header_terms) w.headers.emplace_back(t.field, t.value);
  if (c.min_uid) w.uids = imap::wire::UidSet::parse(std::to_string(std::max<std::uint32_t>(*c.min_uid, 1)) + ":4294967295");
  return w;
}

}  // namespace

FolderInfo to_folder_info(std::string_view asked_name, const imap::MailboxState& state) {
  FolderInfo info;
  info.name = std::string(asked_name);
  info.uid_validity = state.uid_validity.value_or(0);
  info.uid_next = state.uid_next.value_or(0);
  info.exists = state.exists;
  info.read_only = state.read_only;
  return info;
}

FolderListing to_listing(imap::wire::MailboxListing listing) {
  return {std::move(listing.name), std::move(listing.attributes), listing.delimiter};
}

MessageMetadata to_metadata(const imap::commands::FetchedMessage& m) {
  MessageMetadata out;
  out.uid = m.uid;
  if (m.flags) out.flags = *m.flags;
  if (m.internal_date_epoch) out.internal_date = TimePoint(std::chrono::seconds(*m.internal_date_epoch));
  out.size = m.rfc822_size.value_or(0);
  return out;
}

std::vector<imap::wire::SearchCriteria> to_wire_searches(const SearchCriteria& criteria) {
  const auto base = base_search(criteria);
  if (criteria.any_header.empty()) return {base};
  std::vector<imap::wire::SearchCriteria> out;
  for (const auto& term : criteria.any_header) {
    out.push_back(base);
    out.back().headers.emplace_back(term.field, term.value);
  }
  return out;
}

std::vector<std::uint32_t> received_since(const std::vector<MessageMetadata>& metadata, TimePoint cutoff) {
  std::vector<std::uint32_t> out;
  for (const auto& m : metadata) {
    if (m.internal_date && *m.internal_date >= cutoff) out.push_back(m.uid);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::uint32_t> missing_uids(const std::vector<std::uint32_t>& requested,
                                        const std::vector<MessageMetadata>& found) {
  std::vector<std::uint32_t> out;
  for (auto uid : requested) {
    const bool present = std::any_of(found.begin(), found.end(), [&](const auto& m) { return m.uid == uid; });
    if (!present) out.push_back(uid);
  }
  return out;
}

std::vector<FetchSegment> plan_segments(const std::vector<MessageMetadata>& metadata, std::uint64_t max_message_bytes) {
  std::vector<const MessageMetadata*> sorted;
  for (const auto& m : metadata) sorted.push_back(&m);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->uid < b->uid; });
  std::vector<FetchSegment> out;
  for (const auto* m : sorted) {
    const bool over = m->size > max_message_bytes;
    if (out.empty() || out.back().over_limit != over) out.push_back({over, {}});
    out.back().messages.push_back(m);
  }
  return out;
}

}  // namespace emailv2::mail
