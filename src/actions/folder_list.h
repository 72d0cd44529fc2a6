#pragma once
// Folder lists of the mailbox actions (CONTRACT §3.0 "Folder checks", §2.1 "Folder names"): duplicates dropped in
// list order, INBOX equal in any case, and every folder opened before the first change.

#include <string>
#include <string_view>
#include <vector>

#include "core/deadline.h"
#include "core/result.h"
#include "mail/mail_store.h"

namespace emailv2::actions::mailbox {

// Folder names are case-sensitive, except INBOX, which matches in any case (so D's default "Inbox" works).
bool same_folder(std::string_view a, std::string_view b);

// The list in order with later duplicates (same_folder) dropped.
std::vector<std::string> unique_folders(const std::vector<std::string>& folders);

// Opens every folder (EXAMINE for kReadOnly, SELECT for kReadWrite) in list order; the first failure is returned
// (FOLDER_NOT_FOUND "Folder <name> not found" for a missing one). Nothing is changed.
Status check_folders(mail::MailStore& store, const std::vector<std::string>& folders, mail::Access access,
                     Deadline deadline);

}  // namespace emailv2::actions::mailbox
