#pragma once
// Finding the messages a batch action acts on (CONTRACT §3.0 "Message-ID lookup", §3.6, §3.7), across a folder
// list: by Message-ID (every ID of the list [fix]: O acted on the last only) or by search criteria.
//
// "First match" = the first folder in list order that has a match, then its lowest UID (§3.0). Results are grouped
// by folder in list order (folders without matches left out), UIDs ascending and unique. Errors are the MailStore's
// (FOLDER_NOT_FOUND, IMAP_*, connection errors); nothing is changed.

#include <cstdint>
#include <string>
#include <vector>

#include "core/deadline.h"
#include "core/result.h"
#include "mail/mail_store.h"

namespace emailv2::actions::mailbox {

enum class MatchMode { kFirst, kAll };

struct FolderMatches {
  std::string folder;
  std::vector<std::uint32_t> uids;
};
using Matches = std::vector<FolderMatches>;

// kFirst: the first match of EACH Message-ID; kAll: every exact match of every ID in every folder. IDs are
// compared exactly (§1.5: trimmed, one <> pair stripped, case-sensitive); duplicate and empty IDs are skipped.
Result<Matches> locate_message_ids(mail::MailStore& store, const std::vector<std::string>& folders,
                                   const std::vector<std::string>& message_ids, MatchMode mode, Deadline deadline);

// kFirst: the first match overall; kAll: every match in every folder.
Result<Matches> locate_by_criteria(mail::MailStore& store, const std::vector<std::string>& folders,
                                   const mail::SearchCriteria& criteria, MatchMode mode, Deadline deadline);

std::size_t match_count(const Matches& matches);

}  // namespace emailv2::actions::mailbox
