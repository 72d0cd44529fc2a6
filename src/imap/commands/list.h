#pragma once
// LIST (RFC 3501 §6.3.8) with special-use attributes (RFC 6154): `LIST "" "*" RETURN (SPECIAL-USE)` when the server
// advertises SPECIAL-USE, plain LIST otherwise (attributes are then whatever the server volunteers).

#include <optional>
#include <string_view>
#include <vector>

#include "core/deadline.h"
#include "core/result.h"
#include "imap/wire/response.h"

namespace emailv2::imap {

class Session;

namespace commands {

// Every folder the user can see (names decoded to UTF-8). Errors: IMAP_NO/IMAP_BAD, IMAP_BYE, PROTOCOL_ERROR,
// TIMEOUT.
Result<std::vector<wire::MailboxListing>> list_folders(Session& session, Deadline deadline);

// `LIST "" <name>`: the folder when it exists under exactly that name (INBOX in any case), else nullopt. Wildcards
// in the name (`*`, `%`) are matched literally against the results, so "a*" never confirms "abc".
Result<std::optional<wire::MailboxListing>> find_folder(Session& session, std::string_view name, Deadline deadline);

// True when `listed` (a decoded LIST name) names the folder `wanted` (INBOX is case-insensitive).
bool same_folder(std::string_view listed, std::string_view wanted);

}  // namespace commands
}  // namespace emailv2::imap
