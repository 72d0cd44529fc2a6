#pragma once
// UID SEARCH (RFC 3501 §6.4.4; ESEARCH RFC 4731 when advertised, so 10,000 hits come back as "1:10000").
// Keys: wire/search.h (CHARSET UTF-8 and literals only for non-ASCII values).

#include <cstdint>
#include <vector>

#include "core/deadline.h"
#include "core/result.h"
#include "imap/wire/search.h"

namespace emailv2::imap {

class Session;

namespace commands {

// UIDs in ascending order. Errors: `NO [BADCHARSET]` -> IMAP_NO "server does not support UTF-8 search";
// IMAP_NO/IMAP_BAD, IMAP_BYE, PROTOCOL_ERROR, TIMEOUT, PARAM_INVALID (CR/LF/NUL in a value).
Result<std::vector<std::uint32_t>> uid_search(Session& session, const wire::SearchCriteria& criteria,
                                              Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
