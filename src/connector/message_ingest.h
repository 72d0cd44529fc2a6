#pragma once
// One candidate message to its outcome (CONTRACT §5.3 step 4.5/4.6): parse (never fails), decide excluded /
// duplicate / alerted (over_limit when only the header was fetched), build the case, and write everything in ONE
// BEGIN IMMEDIATE transaction: the ledger row (UNIQUE identity: insert-or-ignore), the case with its alerts, events
// and wall files, the cleared fetch-attempt counter and the folder checkpoint (last_uid = this UID). Nothing is
// visible before COMMIT; any store error rolls it back and is returned (the cycle then ends, exit 2).
//
// In dry-run nothing is written: the would-be alerts are appended to the summary's `alerts` instead.
// A ledger identity that is already present (a re-run after --reset-checkpoint) writes no case: it counts as a
// duplicate and only the checkpoint advances.

#include <optional>
#include <string>
#include <string_view>

#include "connector/cycle_context.h"
#include "connector/settings.h"
#include "mail/mail_store.h"
#include "mime/message.h"
#include "store/case_repository.h"
#include "store/checkpoint_repository.h"
#include "store/store_types.h"

namespace emailv2::connector {

struct IngestResult {
  store::Outcome outcome = store::Outcome::kAlerted;
  bool already_in_ledger = false;
  std::optional<store::LedgerId> ledger_id;
  std::optional<store::CaseId> case_id;
  std::size_t alerts = 0;
  bool flag_seen = false;  // committed with seen_state pending: set \Seen after the commit
};

// The pure, CPU-heavy half of ingesting a message, safe to run on a pipeline worker (no store, no clock, no shared
// mutable state): what the store half needs of the parse (Message-ID, SHA-256), the §5.2 exclusion decision and,
// when not excluded, the case the message would become. It holds no reference to the raw bytes or the parse, so
// both can be freed once it is made. Whether the message is a duplicate (§5.3 dedup) needs the store and is decided
// by ingest_prepared; a duplicate's case is dropped there.
struct PreparedIngest {
  std::optional<std::string> message_id;   // the parse's Message-ID
  std::string raw_sha256;                  // SHA-256 of the raw bytes (the ledger's content identity)
  std::optional<std::string> exclusion;    // the rule that excludes the message
  std::optional<store::NewCase> new_case;  // built when not excluded
};
// `parsed` is mime::parse_message(raw); it is spent: the case takes its attachments' bytes.
PreparedIngest prepare_ingest(const Settings& settings, const store::MessageIdentity& identity,
                              const mail::StoredMessage& message, std::string_view raw, mime::Message&& parsed);

// The store half, on the cycle thread: dedup lookup, then the one transaction. `message` gives the metadata (its
// bytes are not used); `checkpoint` is the folder checkpoint after this message (already advanced to its UID);
// `attempts` the fetch attempts it took (1 when it never failed before).
Result<IngestResult> ingest_prepared(CycleContext& ctx, const store::FolderKey& folder, std::uint32_t uidvalidity,
                                     const mail::StoredMessage& message, PreparedIngest prepared,
                                     const store::FolderCheckpoint& checkpoint, int attempts);

// The 3rd fetch failure: a fetch_failed placeholder with whatever bytes were obtained, committed with the checkpoint
// moved past the UID, and the attempt counter cleared.
Result<IngestResult> ingest_placeholder(CycleContext& ctx, const store::FolderKey& folder, std::uint32_t uidvalidity,
                                        std::uint32_t uid, std::string_view partial_raw, const Error& error,
                                        int attempts, const store::FolderCheckpoint& checkpoint);

}  // namespace emailv2::connector
