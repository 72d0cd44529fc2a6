#pragma once
// The mail that Forward Email and Send Thread Reply act on (CONTRACT §3.0 "Message-ID lookup", "Folder checks",
// "Read-only"; §3.3 step 1, §3.10 step 1): the first exact Message-ID match — first folder in list order, then the
// lowest UID — fetched whole and parsed. Read-only: EXAMINE + BODY.PEEK through mail::MailStore, no flag changes.
//
// Errors: FOLDER_NOT_FOUND for any listed folder that does not exist (every folder is checked before the search
// starts), SIZE_LIMIT when the match is larger than Max Message Size (its content is needed), and whatever the
// MailStore returns (connection, TLS, auth, IMAP_NO/BAD/BYE, TIMEOUT...). Not found is not an error: nullopt.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/deadline.h"
#include "core/result.h"
#include "mail/mail_store.h"
#include "mime/message.h"

namespace emailv2::actions {

struct OriginalMessage {
  std::string folder;
  std::uint32_t uid = 0;
  mime::Message message;
};

Result<std::optional<OriginalMessage>> find_original(mail::MailStore& store, const std::vector<std::string>& folders,
                                                     std::string_view message_id, std::uint64_t max_message_bytes,
                                                     Deadline deadline);

// find_original, then close the store (Forward and Thread Reply are done with IMAP once they have the original; a
// failed LOGOUT is logged at debug and does not change the lookup's result).
Result<std::optional<OriginalMessage>> find_original_and_close(mail::MailStore& store,
                                                               const std::vector<std::string>& folders,
                                                               std::string_view message_id,
                                                               std::uint64_t max_message_bytes, Deadline deadline);

}  // namespace emailv2::actions
