#include "connector/cycle.h"

#include <algorithm>
#include <memory>

#include "connector/cycle_context.h"
#include "connector/folder_sync.h"
#include "connector/lease_guard.h"
#include "connector/seen_flags.h"
#include "core/log.h"
#include "core/text.h"
#include "store/checkpoint_repository.h"
#include "store/wal_checkpointer.h"
#include "store/ledger_repository.h"

namespace emailv2::connector {
namespace {

constexpr std::string_view kLog = "connector";

std::string folder_key(const std::string& folder) {
  return text::iequals_ascii(folder, "INBOX") ? std::string("INBOX") : folder;
}

void end_with(CycleSummary& summary, const Error& error) {
  if (!summary.error) summary.error = error;
  if (is_connection_error(error.code())) summary.connection_failed = true;
}

void run_folders(CycleContext& ctx, CycleSummary& summary) {
  auto cursor = store::CheckpointRepository(ctx.db).next_folder(ctx.settings.instance, ctx.settings.account);
  if (!cursor) return end_with(summary, cursor.error());
  const auto folders = cycle_folders(ctx.settings.folders, *cursor);
  std::optional<std::string> next_cursor;
  bool ended = false;
  for (const std::string& folder : folders) {
    FolderSummary fs;
    fs.folder = folder;
    if (!ended) {
      const FolderResult r = sync_folder(ctx, folder, fs);
      if (r.has_more && !next_cursor) next_cursor = folder;
      if (r.cycle_error) {
        end_with(summary, *r.cycle_error);
        ended = true;
      }
    } else if (!next_cursor) {
      next_cursor = folder;
    }
    summary.folders.push_back(std::move(fs));
  }
  if (ctx.dry_run || (summary.error && !is_connection_error(summary.error->code()))) return;
  auto tx = ctx.db.begin_write();
  Status s = tx ? store::CheckpointRepository(ctx.db).set_next_folder(*tx, ctx.settings.instance,
                                                                       ctx.settings.account, next_cursor)
                : fail(tx.error());
  if (s) s = tx->commit();
  if (!s) end_with(summary, s.error());
}

void finish_summary(CycleSummary& summary, store::Database& db, const Settings& settings, const Clock& clock) {
  auto pending = store::LedgerRepository(db).count_pending_seen(settings.instance, settings.account);
  if (pending) summary.seen_pending = *pending;
  if (summary.status != CycleStatus::kSkipped) {
    const bool folder_errors = std::any_of(summary.folders.begin(), summary.folders.end(),
                                           [](const FolderSummary& f) { return f.error.has_value(); });
    summary.status = summary.error ? CycleStatus::kFailed : folder_errors ? CycleStatus::kPartial : CycleStatus::kOk;
  }
  summary.finished_at = clock.now();
}

}  // namespace

std::chrono::milliseconds last_start_after(std::chrono::seconds script_timeout) {
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(script_timeout);
  const auto margin = std::max<std::chrono::milliseconds>(std::chrono::seconds(5), timeout / 10);
  return std::max(std::chrono::milliseconds(0), timeout - margin);
}

std::vector<std::string> cycle_folders(const std::vector<std::string>& configured,
                                       const std::optional<std::string>& cursor) {
  std::vector<std::string> out;
  std::vector<std::string> keys;
  for (const std::string& f : configured) {
    if (f.empty()) continue;
    const std::string key = folder_key(f);
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    keys.push_back(key);
    out.push_back(f);
  }
  if (cursor) {
    const std::string key = folder_key(*cursor);
    const auto it = std::find(keys.begin(), keys.end(), key);
    if (it != keys.end()) std::rotate(out.begin(), out.begin() + (it - keys.begin()), out.end());
  }
  return out;
}

CycleSummary run_cycle(const Settings& settings, mail::MailStore& mail, store::Database& db, const Clock& clock,
                       const CycleOptions& options) {
  CycleSummary summary;
  summary.instance = settings.instance;
  summary.account = settings.account;
  summary.dry_run = options.dry_run;
  summary.started_at = clock.now();
  const auto steady_start = Deadline::SteadyClock::now();

  std::optional<LeaseGuard> lease;
  if (!options.dry_run) {
    auto acquired = LeaseGuard::acquire(
        db, {options.store_path, settings.instance, settings.account, settings.script_timeout + kLeaseSlack}, clock);
    if (!acquired) {
      end_with(summary, acquired.error());
      finish_summary(summary, db, settings, clock);
      return summary;
    }
    if (!acquired->taken()) {
      const auto& holder = acquired->holder();
      log::info(kLog, "another connector holds the lease of {} / {}{}; skipping this cycle", settings.instance,
                settings.account, holder ? " (" + holder->owner + ")" : std::string());
      summary.status = CycleStatus::kSkipped;
      finish_summary(summary, db, settings, clock);
      return summary;
    }
    lease.emplace(std::move(*acquired));
  }

  // WAL checkpoints on their own thread, off the store thread (the cycle's serial stage); without it, SQLite's own.
  std::unique_ptr<store::WalCheckpointer> checkpointer;
  if (!options.dry_run) {
    auto started = store::WalCheckpointer::start(db);
    if (started) {
      checkpointer = std::move(*started);
    } else {
      log::debug(kLog, "checkpoints stay on the store thread: {}", started.error().to_string());
    }
  }

  CycleContext ctx{settings, mail, db, clock};
  ctx.dry_run = options.dry_run;
  ctx.deadline = Deadline::at(steady_start + settings.script_timeout);
  ctx.last_start = Deadline::at(steady_start + last_start_after(settings.script_timeout));
  ctx.stop_requested = options.stop_requested;
  ctx.budget_left = options.limit ? *options.limit : static_cast<std::size_t>(settings.max_emails_per_cycle);
  ctx.started_at = summary.started_at;
  ctx.summary = &summary;

  const Status pending = retry_pending_seen(ctx);
  if (!pending) end_with(summary, pending.error());
  if (!summary.error) run_folders(ctx, summary);
  if (ctx.stop_requested && ctx.stop_requested()) summary.stopped = true;

  const Status closed = mail.close(Deadline::after(std::chrono::seconds(5)).earliest(ctx.deadline));
  if (!closed) log::debug(kLog, "LOGOUT: {}", closed.error().to_string());
  if (lease) {
    const Status released = lease->release();
    if (!released) log::warn(kLog, "could not release the lease: {}", released.error().to_string());
  }
  finish_summary(summary, db, settings, clock);
  return summary;
}

}  // namespace emailv2::connector
