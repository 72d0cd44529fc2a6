#include "connector/folder_sync.h"

#include "connector/candidates.h"
#include "connector/crash_points.h"
#include "connector/fetch_pipeline.h"
#include "connector/progress_line.h"
#include "connector/message_ingest.h"
#include "connector/seen_flags.h"
#include "core/log.h"
#include "mime/parse_message.h"
#include "store/checkpoint_repository.h"
#include "store/fetch_attempt_repository.h"

namespace emailv2::connector {
namespace {

constexpr std::string_view kLog = "connector";
constexpr std::size_t kPrepareWorkers = 2;
constexpr int kPrepareWorkerNice = 10;

// The state of one folder while its candidates are processed.
class FolderRun {
 public:
  FolderRun(CycleContext& ctx, const std::string& folder, FolderSummary& summary)
      : ctx_(ctx), key_{ctx.settings.instance, ctx.settings.account, folder}, summary_(summary) {}

  FolderResult run();

 private:
  bool open_and_plan();
  bool select();
  void process();
  FetchPipelineOptions pipeline_options() const;
  void handle_fetch_failure(const Error& error);
  void count(const IngestResult& r);
  void finish();
  bool save(const store::FolderCheckpoint& cp);
  void folder_error(const Error& e) {
    summary_.error = e.to_string();
    if (is_connection_error(e.code())) result_.cycle_error = e;
  }

  CycleContext& ctx_;
  store::FolderKey key_;
  FolderSummary& summary_;
  FolderResult result_;
  std::uint32_t uidvalidity_ = 0;
  std::uint32_t uid_next_ = 0;
  store::FolderCheckpoint cp_;
  std::optional<store::FolderCheckpoint> saved_;
  CandidateSelection selection_;
  std::size_t next_ = 0;
  bool stopped_early_ = false;
  bool failed_ = false;
  std::vector<SeenRequest> seen_;
};

bool FolderRun::save(const store::FolderCheckpoint& cp) {
  if (ctx_.dry_run || (saved_ && *saved_ == cp)) return true;
  auto tx = ctx_.db.begin_write();
  Status s = tx ? store::CheckpointRepository(ctx_.db).save(*tx, key_, cp) : fail(tx.error());
  if (s) s = tx->commit();
  if (!s) {
    summary_.error = s.error().to_string();
    result_.cycle_error = s.error();
    return false;
  }
  saved_ = cp;
  return true;
}

bool FolderRun::open_and_plan() {
  const auto access = ctx_.dry_run ? mail::Access::kReadOnly : mail::Access::kReadWrite;
  auto info = ctx_.mail.open_folder(key_.folder, access, ctx_.deadline);
  if (!info) {
    folder_error(info.error());
    result_.has_more = result_.cycle_error.has_value();
    return false;
  }
  uidvalidity_ = static_cast<std::uint32_t>(info->uid_validity);
  uid_next_ = info->uid_next;
  summary_.uidvalidity = uidvalidity_;
  auto stored = store::CheckpointRepository(ctx_.db).load(key_);
  if (!stored) {
    folder_error(stored.error());
    result_.cycle_error = stored.error();
    return false;
  }
  saved_ = *stored;
  summary_.last_uid_before = *stored ? (*stored)->last_uid : 0;
  const FolderPlan plan = plan_folder(*stored, uidvalidity_, uid_next_, ctx_.settings.offset_days, ctx_.started_at);
  cp_ = plan.checkpoint;
  summary_.last_uid_after = cp_.last_uid;
  if (plan.start == FolderStart::kResync) {
    log::warn(kLog, "{}: UIDVALIDITY changed from {} to {}; resynchronising (streak {})", key_.folder,
              (*stored)->uidvalidity, uidvalidity_, cp_.uidvalidity_streak);
  }
  if (plan.save_now && !save(cp_)) return false;
  if (plan.start == FolderStart::kUnstable) {
    summary_.error = Error(ErrorCode::kUidvalidityUnstable,
                           "Folder " + key_.folder + ": UIDVALIDITY changed " +
                               std::to_string(cp_.uidvalidity_streak) +
                               " times in a row; skipped until `emailv2 connector --reset-checkpoint " + key_.folder +
                               "`")
                         .to_string();
    return false;
  }
  return true;
}

bool FolderRun::select() {
  if (ctx_.budget_left == 0 || ctx_.should_stop()) {
    result_.has_more = true;
    return false;
  }
  const auto searches = candidate_searches(cp_, ctx_.settings.unread_only);
  std::vector<std::vector<std::uint32_t>> found;
  for (const CandidateSearch& s : searches) {
    auto uids = ctx_.mail.search(key_.folder, s.criteria, ctx_.deadline);
    if (!uids) {
      folder_error(uids.error());
      result_.has_more = true;
      return false;
    }
    found.push_back(std::move(*uids));
  }
  selection_ = select_candidates(searches, found, cp_, ctx_.budget_left);
  summary_.candidates = selection_.uids.size();
  return true;
}

void FolderRun::count(const IngestResult& r) {
  ++summary_.processed;
  --ctx_.budget_left;
  switch (r.outcome) {
    case store::Outcome::kAlerted:
    case store::Outcome::kOverLimit: ++summary_.alerted; break;
    case store::Outcome::kExcluded: ++summary_.excluded; break;
    case store::Outcome::kDuplicate: ++summary_.duplicates; break;
    case store::Outcome::kFetchFailed: ++summary_.placeholders; break;
  }
  ctx_.summary->alerts_created += r.alerts;
  if (r.case_id) ctx_.summary->case_ids.push_back(*r.case_id);
  if (r.flag_seen && r.ledger_id) seen_.push_back({selection_.uids[next_], *r.ledger_id});
}

// The pure part of each message (parse, exclusion, case, event JSON) runs on the pipeline's workers; this thread
// only does the store work, the serial stage. Two workers at nice +10: on two cores they use whatever the store
// thread and the mail server leave idle, and never hold the store thread back (docs/connector.md "Pipelining").
FetchPipelineOptions FolderRun::pipeline_options() const {
  FetchPipelineOptions options;
  options.workers = kPrepareWorkers;
  options.worker_nice = kPrepareWorkerNice;
  options.prepare = [&settings = ctx_.settings, key = key_, uidvalidity = uidvalidity_](FetchedMessage& item,
                                                                                       std::string_view raw) {
    const store::MessageIdentity identity{key.instance, key.account, key.folder, uidvalidity,
                                          item.message.metadata.uid};
    item.prepared = prepare_ingest(settings, identity, item.message, raw, mime::parse_message(raw));
  };
  return options;
}

void FolderRun::process() {
  if (selection_.uids.empty()) return;
  std::optional<Error> fetch_error;
  FetchPipeline pipeline(ctx_.mail, key_.folder, selection_.uids, ctx_.max_message_bytes(), ctx_.deadline,
                         pipeline_options());
  store::FetchAttemptRepository attempts(ctx_.db);
  // The pipeline hands the messages out in UID order whatever order the server sends them in (it parks early ones
  // on disk); one that comes out past the expected UID means the stream ended without that one.
  ProgressLine progress(key_.folder, selection_.uids.size());
  while (next_ < selection_.uids.size()) {
    if (ctx_.should_stop()) {
      stopped_early_ = true;
      break;
    }
    const std::uint32_t expected = selection_.uids[next_];
    auto arrived = pipeline.next();
    if (!arrived || arrived->message.metadata.uid != expected) break;  // it never came: handled below
    FetchedMessage item(std::move(*arrived));
    if (item.error) {
      fetch_error = Error(item.error->code(), "the message could not be prepared: " + item.error->to_string());
      break;
    }
    const mail::StoredMessage& message = item.message;
    crash_point(CrashPoint::kAfterFetch);
    auto previous = attempts.get({key_.instance, key_.account, key_.folder, uidvalidity_, expected});
    if (!previous) {
      folder_error(previous.error());
      result_.cycle_error = previous.error();
      failed_ = true;
      break;
    }
    const int tries = *previous ? (*previous)->attempts + 1 : 1;
    const auto next_cp = advanced(cp_, expected);
    auto ingested = ingest_prepared(ctx_, key_, uidvalidity_, message, std::move(*item.prepared), next_cp, tries);
    if (!ingested) {
      log::error(kLog, "{} UID {}: store failure, transaction rolled back: {}", key_.folder, expected,
                 ingested.error().to_string());
      folder_error(ingested.error());
      result_.cycle_error = ingested.error();
      failed_ = true;
      break;
    }
    cp_ = next_cp;
    if (!ctx_.dry_run) saved_ = cp_;
    count(*ingested);
    ++next_;
    progress.update(next_);
  }
  const bool unfinished = next_ < selection_.uids.size();
  if (unfinished && (stopped_early_ || failed_ || fetch_error)) pipeline.cancel();
  auto report = pipeline.finish();
  log::debug(kLog, "{}: fetch pipeline peaks: {} bytes in flight, {} messages parked (arrived ahead of their turn)",
             key_.folder, pipeline.peak_in_flight_bytes(), pipeline.peak_parked());
  if (!failed_ && !stopped_early_ && !fetch_error && unfinished) {
    fetch_error = report ? Error(ErrorCode::kImapNo, "UID FETCH returned no data for UID " +
                                                         std::to_string(selection_.uids[next_]) +
                                                         " (expunged or unreadable)")
                         : report.error();
  }
  if (fetch_error) handle_fetch_failure(*fetch_error);
}

void FolderRun::handle_fetch_failure(const Error& error) {
  failed_ = true;
  folder_error(error);
  const std::uint32_t uid = selection_.uids[next_];
  log::warn(kLog, "{} UID {}: fetch failed: {}", key_.folder, uid, error.to_string());
  if (ctx_.dry_run) return;
  const store::MessageIdentity identity{key_.instance, key_.account, key_.folder, uidvalidity_, uid};
  auto tx = ctx_.db.begin_write();
  if (!tx) {
    result_.cycle_error = tx.error();
    return;
  }
  auto tries = store::FetchAttemptRepository(ctx_.db).record_failure(*tx, identity, error.to_string(),
                                                                      ctx_.clock.now());
  const Status committed = tries ? tx->commit() : fail(tries.error());
  if (!committed) {
    result_.cycle_error = committed.error();
    return;
  }
  if (*tries < kFetchAttemptsBeforePlaceholder) return;
  std::string partial;
  if (!is_connection_error(error.code())) {
    auto headers = ctx_.mail.fetch_headers(key_.folder, {uid}, ctx_.deadline);
    if (headers && !headers->empty()) partial = std::move(headers->front().header);
  }
  const auto next_cp = advanced(cp_, uid);
  auto placed = ingest_placeholder(ctx_, key_, uidvalidity_, uid, partial, error, *tries, next_cp);
  if (!placed) {
    result_.cycle_error = placed.error();
    return;
  }
  cp_ = next_cp;
  saved_ = cp_;
  count(*placed);
  ++next_;
}

void FolderRun::finish() {
  const Status flagged = mark_seen(ctx_, key_.folder, seen_);
  if (!flagged && !result_.cycle_error) {
    if (!summary_.error) summary_.error = flagged.error().to_string();
    result_.cycle_error = flagged.error();
  }
  const bool drained_now = !failed_ && !stopped_early_ && !selection_.truncated && next_ == selection_.uids.size() &&
                           !result_.cycle_error;
  if (drained_now) cp_ = drained(cp_, uid_next_);
  if (!failed_ && !result_.cycle_error) cp_ = finished(cp_, ctx_.started_at);
  if (!result_.cycle_error) save(cp_);
  result_.has_more = !drained_now;
  summary_.last_uid_after = cp_.last_uid;
}

FolderResult FolderRun::run() {
  if (!open_and_plan()) return result_;
  if (!select()) {
    summary_.last_uid_after = cp_.last_uid;
    return result_;
  }
  process();
  finish();
  return result_;
}

}  // namespace

FolderResult sync_folder(CycleContext& ctx, const std::string& folder, FolderSummary& summary) {
  return FolderRun(ctx, folder, summary).run();
}

}  // namespace emailv2::connector
