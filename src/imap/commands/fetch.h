#pragma once
// UID FETCH in batches (CONTRACT §3.0 "Fetching"): at most `batch_uids` UIDs and `batch_bytes` declared bytes per
// command, several batches in flight (Session's window), body literals streamed into Bodies (memory, or a spool
// file above the memory limit) as they arrive. Only BODY.PEEK is ever sent, so fetching never sets \Seen.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/deadline.h"
#include "core/limits.h"
#include "core/result.h"
#include "imap/body.h"
#include "imap/wire/uid_set.h"

namespace emailv2::imap {

class Session;

namespace commands {

struct FetchItems {
  bool flags = false;          // FLAGS
  bool internal_date = false;  // INTERNALDATE
  bool size = false;           // RFC822.SIZE
  // Sections fetched as BODY.PEEK[<section>]: "" (the whole message), "HEADER", "HEADER.FIELDS (MESSAGE-ID)".
  std::vector<std::string> body_sections;
};

struct FetchRequest {
  std::vector<std::uint32_t> uids;
  FetchItems items;
  // Declared sizes (RFC822.SIZE) when known, so a batch stays under batch_bytes; unknown sizes count as 0.
  std::map<std::uint32_t, std::uint64_t> sizes;
  std::size_t batch_uids = limits::kImapFetchBatchUids;
  std::uint64_t batch_bytes = limits::kImapFetchBatchBytes;
  std::size_t memory_limit = limits::kImapLiteralMemoryBytes;  // bodies above this spool to a file
  std::filesystem::path spool_dir;                              // default $TMPDIR or /tmp
};

struct FetchedPart {
  std::string section;  // upper-cased, e.g. "" or "HEADER.FIELDS (MESSAGE-ID)"
  bool nil = false;     // the server sent NIL
  Body body;
};

struct FetchedMessage {
  std::uint32_t uid = 0;
  std::uint32_t seq = 0;
  std::optional<std::vector<std::string>> flags;
  std::optional<std::string> internal_date;
  std::optional<std::int64_t> internal_date_epoch;
  std::optional<std::uint64_t> rfc822_size;
  std::vector<FetchedPart> parts;
  const FetchedPart* part(std::string_view section) const;  // case-insensitive
};

// Called once per requested UID the server returned, in arrival order. An error stops delivery: the batches in
// flight are drained (the session stays usable) and uid_fetch returns that error.
using MessageCallback = std::function<Status(FetchedMessage&& message)>;

struct FetchSummary {
  std::size_t delivered = 0;
  std::vector<std::uint32_t> missing;  // requested but not returned (expunged meanwhile): the caller warns
};

// Errors: IMAP_NO/IMAP_BAD (a batch refused), IMAP_BYE, PROTOCOL_ERROR, TIMEOUT, IO_ERROR (spool), the callback's.
Result<FetchSummary> uid_fetch(Session& session, const FetchRequest& request, const MessageCallback& on_message,
                               Deadline deadline);

// Splits UIDs (sorted, deduplicated) into batches of at most batch_uids UIDs and batch_bytes declared bytes (a
// single larger message gets a batch of its own). Pure; exposed for tests.
std::vector<wire::UidSet> plan_batches(std::vector<std::uint32_t> uids, const std::map<std::uint32_t, std::uint64_t>& sizes,
                                       std::size_t batch_uids, std::uint64_t batch_bytes);

// "(UID FLAGS ... BODY.PEEK[...])" for the items.
std::string fetch_items_syntax(const FetchItems& items);

}  // namespace commands
}  // namespace emailv2::imap
