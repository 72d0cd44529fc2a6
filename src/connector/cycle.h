#pragma once
// One connector cycle (CONTRACT §5.3), start to summary:
//   1. lease (flock on <store>.lock + the store lease; a live owner → status "skipped", exit 75) — not in dry-run;
//   2. deadline D = start + Script Timeout; no new message after D − max(5 s, 10%); network waits capped by D;
//   3. pending \Seen retries;
//   4. folders in list order (duplicates dropped, INBOX in any case), rotated to start with the folder the previous
//      cycle did not drain, sharing the budget B = --limit or Max Emails Per Cycle (folder_sync.h);
//   5. a store failure or a lost connection ends the cycle (status "failed"); a folder error (not found, unstable,
//      a fetch failure) makes it "partial" and the other folders still run;
//   6. the resume cursor, LOGOUT, the lease released, the summary with seen_pending.
// The mailbox and the store are injected (tests use MemoryMailStore and a temp store); nothing here prints.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>

#include "connector/settings.h"
#include "connector/summary.h"
#include "core/clock.h"
#include "mail/mail_store.h"
#include "store/database.h"

namespace emailv2::connector {

struct CycleOptions {
  bool dry_run = false;
  std::optional<std::size_t> limit;        // --limit N (overrides Max Emails Per Cycle)
  std::filesystem::path store_path;        // for `<store>.lock`
  std::function<bool()> stop_requested;    // SIGTERM/SIGINT seen
};

// The soft deadline rule: the time after start by which the last message may start.
std::chrono::milliseconds last_start_after(std::chrono::seconds script_timeout);

CycleSummary run_cycle(const Settings& settings, mail::MailStore& mail, store::Database& db, const Clock& clock,
                       const CycleOptions& options);

// The folders of one cycle: configured order, duplicates dropped (INBOX in any case), rotated so that `cursor`
// (when it is one of them) comes first.
std::vector<std::string> cycle_folders(const std::vector<std::string>& configured,
                                       const std::optional<std::string>& cursor);

}  // namespace emailv2::connector
