#pragma once
// What every step of one connector cycle shares (CONTRACT §5.3): the settings, the mailbox, the store, the clock,
// the deadlines and the budget. Built by run_cycle() (cycle.h); the steps live in their own files
// (folder_sync, message_ingest, seen_flags).

#include <cstddef>
#include <functional>
#include <string>

#include "connector/settings.h"
#include "connector/summary.h"
#include "core/clock.h"
#include "core/deadline.h"
#include "mail/mail_store.h"
#include "store/database.h"

namespace emailv2::connector {

struct CycleContext {
  const Settings& settings;
  mail::MailStore& mail;
  store::Database& db;
  const Clock& clock;
  bool dry_run = false;
  Deadline deadline = Deadline::never();  // D = start + Script Timeout: every network wait is capped by it
  Deadline last_start = Deadline::never();  // no new message is started after D - max(5 s, 10% of the timeout)
  std::function<bool()> stop_requested;  // SIGTERM/SIGINT: finish the open message, start no other
  std::size_t budget_left = 0;          // B = --limit or Max Emails Per Cycle, shared across folders
  TimePoint started_at{};
  CycleSummary* summary = nullptr;

  bool should_stop() const { return last_start.expired() || (stop_requested && stop_requested()); }
  std::uint64_t max_message_bytes() const { return static_cast<std::uint64_t>(settings.mail.max_message_mib) << 20; }
};

}  // namespace emailv2::connector
