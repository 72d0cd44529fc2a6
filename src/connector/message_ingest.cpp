#include "connector/message_ingest.h"

#include "connector/case_builder.h"
#include "connector/crash_points.h"
#include "connector/event_json.h"
#include "core/log.h"
#include "mime/parse_message.h"
#include "store/content_digest.h"
#include "store/case_repository.h"
#include "store/fetch_attempt_repository.h"
#include "store/ledger_repository.h"

namespace emailv2::connector {
namespace {

constexpr std::string_view kLog = "connector";

store::MessageIdentity identity_of(const store::FolderKey& folder, std::uint32_t uidvalidity, std::uint32_t uid) {
  return {folder.instance, folder.account, folder.folder, uidvalidity, uid};
}

bool wants_seen(const CycleContext& ctx, store::Outcome outcome) {
  return ctx.settings.mark_as_read && !ctx.dry_run && outcome != store::Outcome::kExcluded;
}

// The message transaction shared by real messages and placeholders.
Result<IngestResult> commit_message(CycleContext& ctx, const store::FolderKey& folder, store::LedgerEntry entry,
                                    std::optional<store::NewCase> new_case,
                                    const store::FolderCheckpoint& checkpoint) {
  IngestResult result;
  result.outcome = entry.outcome;
  entry.seen_state = wants_seen(ctx, entry.outcome) ? store::SeenState::kPending : store::SeenState::kNotRequested;
  if (ctx.dry_run) {
    if (new_case) {
      result.alerts = new_case->alerts.size();
      for (auto& alert : alerts_json(*new_case)) ctx.summary->alerts.push_back(std::move(alert));
    }
    return result;
  }
  const auto now = ctx.clock.now();
  auto tx = ctx.db.begin_write();
  if (!tx) return fail(tx.error());
  auto ledger_id = store::LedgerRepository(ctx.db).insert(*tx, entry, now);
  if (!ledger_id) return fail(ledger_id.error());
  if (!*ledger_id) {
    result.already_in_ledger = true;
    result.outcome = store::Outcome::kDuplicate;
  } else if (result.ledger_id = **ledger_id; new_case) {
    new_case->ledger_id = **ledger_id;
    auto created = store::CaseRepository(ctx.db).create(*tx, *new_case, now);
    if (!created) return fail(created.error());
    result.case_id = created->case_id;
    result.alerts = created->alert_ids.size();
  }
  crash_point(CrashPoint::kMidTransaction);
  EMAILV2_TRY(store::FetchAttemptRepository(ctx.db).clear(*tx, entry.identity));
  EMAILV2_TRY(store::CheckpointRepository(ctx.db).save(*tx, folder, checkpoint));
  EMAILV2_TRY(tx->commit());
  result.flag_seen = !result.already_in_ledger && entry.seen_state == store::SeenState::kPending;
  crash_point(CrashPoint::kAfterCommitBeforeSeen);
  return result;
}

}  // namespace

PreparedIngest prepare_ingest(const Settings& settings, const store::MessageIdentity& identity,
                              const mail::StoredMessage& message, std::string_view raw, mime::Message&& parsed) {
  const IngestInput input{raw,
                          parsed,
                          identity,
                          message.metadata.internal_date,
                          message.metadata.flags,
                          static_cast<std::size_t>(message.metadata.size),
                          message.over_limit,
                          &parsed};
  PreparedIngest prepared;
  prepared.message_id = parsed.message_id;
  prepared.raw_sha256 = parsed.sha256;
  prepared.exclusion = exclusion_reason(input, settings);
  if (!prepared.exclusion) {
    prepared.new_case = build_case(input, settings, TimePoint{});
    // Here, on the worker, rather than on the store thread; the JSON objects are freed here too (their text is all
    // the store needs, and an item waiting in flight then holds only that).
    for (store::NewAlert& alert : prepared.new_case->alerts) {
      for (store::NewEvent& event : alert.events) {
        event.fields_json = event_json(event.fields);
        event.fields = nullptr;
      }
    }
  }
  return prepared;
}

Result<IngestResult> ingest_prepared(CycleContext& ctx, const store::FolderKey& folder, std::uint32_t uidvalidity,
                                     const mail::StoredMessage& message, PreparedIngest prepared,
                                     const store::FolderCheckpoint& checkpoint, int attempts) {
  store::LedgerEntry entry;
  entry.identity = identity_of(folder, uidvalidity, message.metadata.uid);
  entry.message_id = prepared.message_id;
  entry.raw_sha256 = prepared.raw_sha256;
  entry.size = static_cast<std::int64_t>(message.metadata.size);
  entry.internaldate = message.metadata.internal_date;
  entry.attempts = attempts;
  std::optional<store::NewCase> new_case;
  if (prepared.exclusion) {
    entry.outcome = store::Outcome::kExcluded;
    entry.reason = std::move(*prepared.exclusion);
  } else {
    std::optional<store::LedgerRow> copy;
    if (prepared.message_id) {
      auto found = store::LedgerRepository(ctx.db).find_ingested_copy(folder.instance, *prepared.message_id,
                                                                       prepared.raw_sha256);
      if (!found) return fail(found.error());
      copy = std::move(*found);
    }
    if (copy) {
      entry.outcome = store::Outcome::kDuplicate;
      entry.reason = "duplicate of ledger " + std::to_string(copy->ledger_id);
    } else {
      entry.outcome = message.over_limit ? store::Outcome::kOverLimit : store::Outcome::kAlerted;
      new_case = std::move(prepared.new_case);
    }
  }
  log::debug(kLog, "{} UID {}: {}", folder.folder, message.metadata.uid, store::to_string(entry.outcome));
  return commit_message(ctx, folder, std::move(entry), std::move(new_case), checkpoint);
}

Result<IngestResult> ingest_placeholder(CycleContext& ctx, const store::FolderKey& folder, std::uint32_t uidvalidity,
                                        std::uint32_t uid, std::string_view partial_raw, const Error& error,
                                        int attempts, const store::FolderCheckpoint& checkpoint) {
  const auto identity = identity_of(folder, uidvalidity, uid);
  store::LedgerEntry entry;
  entry.identity = identity;
  if (!partial_raw.empty()) entry.message_id = mime::parse_message(partial_raw).message_id;
  entry.raw_sha256 = store::digest_of(partial_raw).sha256;
  entry.size = static_cast<std::int64_t>(partial_raw.size());
  entry.outcome = store::Outcome::kFetchFailed;
  entry.reason = error.to_string();
  entry.attempts = attempts;
  log::warn(kLog, "{} UID {}: fetch failed {} times, recording a fetch_failed placeholder: {}", folder.folder, uid,
            attempts, error.to_string());
  auto new_case = build_fetch_failed_case(identity, partial_raw, error.to_string(), ctx.settings, ctx.clock.now());
  return commit_message(ctx, folder, std::move(entry), std::move(new_case), checkpoint);
}

}  // namespace emailv2::connector
