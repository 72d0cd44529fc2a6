#include "actions/message_locator.h"

#include <algorithm>
#include <set>

namespace emailv2::actions::mailbox {
namespace {

// Per folder index, the UIDs found so far; turned into Matches in list order at the end.
class MatchSet {
 public:
  explicit MatchSet(std::size_t folders) : uids_(folders) {}
  void add(std::size_t folder, const std::vector<std::uint32_t>& uids, MatchMode mode) {
    if (uids.empty()) return;
    if (mode == MatchMode::kFirst) {
      uids_[folder].insert(*std::min_element(uids.begin(), uids.end()));
    } else {
      uids_[folder].insert(uids.begin(), uids.end());
    }
  }
  Matches take(const std::vector<std::string>& folders) const {
    Matches out;
    for (std::size_t i = 0; i < folders.size(); ++i) {
      if (!uids_[i].empty()) out.push_back({folders[i], {uids_[i].begin(), uids_[i].end()}});
    }
    return out;
  }

 private:
  std::vector<std::set<std::uint32_t>> uids_;
};

}  // namespace

Result<Matches> locate_message_ids(mail::MailStore& store, const std::vector<std::string>& folders,
                                   const std::vector<std::string>& message_ids, MatchMode mode, Deadline deadline) {
  std::vector<std::string> pending;  // normalised, unique, in list order
  std::set<std::string> seen;
  for (const auto& raw : message_ids) {
    std::string id = mail::normalise_message_id(raw);
    if (!id.empty() && seen.insert(id).second) pending.push_back(std::move(id));
  }
  MatchSet found(folders.size());
  // Folder by folder (one selection each), so "first match" of an ID is its first folder in list order.
  for (std::size_t f = 0; f < folders.size() && !pending.empty(); ++f) {
    std::vector<std::string> still_pending;
    for (const auto& id : pending) {
      auto uids = store.find_by_message_id(folders[f], id, deadline);
      if (!uids) return fail(uids.error());
      found.add(f, *uids, mode);
      if (mode == MatchMode::kAll || uids->empty()) still_pending.push_back(id);
    }
    pending = std::move(still_pending);
  }
  return found.take(folders);
}

Result<Matches> locate_by_criteria(mail::MailStore& store, const std::vector<std::string>& folders,
                                   const mail::SearchCriteria& criteria, MatchMode mode, Deadline deadline) {
  MatchSet found(folders.size());
  for (std::size_t f = 0; f < folders.size(); ++f) {
    auto uids = store.search(folders[f], criteria, deadline);
    if (!uids) return fail(uids.error());
    found.add(f, *uids, mode);
    if (mode == MatchMode::kFirst && !uids->empty()) break;
  }
  return found.take(folders);
}

std::size_t match_count(const Matches& matches) {
  std::size_t n = 0;
  for (const auto& m : matches) n += m.uids.size();
  return n;
}

}  // namespace emailv2::actions::mailbox
