#pragma once
// UID COPY (RFC 3501 §6.4.7) with the COPYUID mapping of UIDPLUS (RFC 4315) when the server gives one.

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

#include "core/deadline.h"
#include "core/result.h"
#include "imap/wire/response.h"
#include "imap/wire/uid_set.h"

namespace emailv2::imap {

class Session;

namespace commands {

struct CopyResult {
  std::optional<std::uint64_t> destination_uid_validity;
  std::map<std::uint32_t, std::uint32_t> destination_uids;  // source UID -> destination UID (from COPYUID)
};

// Reads the COPYUID code of a status response into `result` (source and destination sets pair up in order).
void read_copyuid(const wire::StatusResponse& status, CopyResult& result);

// Errors: IMAP_NO (e.g. [TRYCREATE]: the destination does not exist), IMAP_BAD, IMAP_BYE, PROTOCOL_ERROR, TIMEOUT,
// PARAM_INVALID.
Result<CopyResult> uid_copy(Session& session, const wire::UidSet& uids, std::string_view destination,
                            Deadline deadline);

}  // namespace commands
}  // namespace emailv2::imap
