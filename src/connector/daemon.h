#pragma once
// `emailv2 connector --every [DURATION]` (CONTRACT §5.5): cycles on a fixed interval that never overlap; a cycle
// that ran late is followed at once (no catch-up burst); a cycle that ended on a connection error is followed after
// a backoff of 30 s, 60 s, 120 s, … capped at the interval; a failed cycle never stops the daemon. SIGTERM/SIGINT:
// the running cycle finishes its open transaction, releases the lease, and the daemon exits 0. SIGHUP: the
// configuration is loaded again before the next cycle (an invalid one is logged and the previous one kept).

#include <chrono>
#include <functional>
#include <memory>

#include "connector/cycle.h"
#include "connector/settings.h"
#include "connector/summary.h"

namespace emailv2::connector {

inline constexpr std::chrono::seconds kBackoffBase{30};

// When the next cycle starts. `connection_failures` = consecutive cycles that ended on a connection error.
std::chrono::steady_clock::time_point next_cycle_start(std::chrono::steady_clock::time_point previous_start,
                                                       std::chrono::steady_clock::time_point previous_end,
                                                       std::chrono::seconds interval, int connection_failures);

struct DaemonHooks {
  std::function<Result<Settings>()> load_settings;                              // (re)reads the configuration
  std::function<CycleSummary(const Settings&)> run_cycle;                       // one cycle, fully wired
  std::function<void(const CycleSummary&)> on_summary;                          // prints the line
  std::function<bool(std::chrono::milliseconds)> sleep = nullptr;               // false = stop; default: signals
  std::function<bool()> stop = nullptr;                                         // default: stop_requested()
  std::function<bool()> reload = nullptr;                                       // default: take_reload_request()
};

// Runs until stopped; returns the process exit code (0 on a stop signal).
int run_daemon(Settings settings, std::optional<std::chrono::seconds> interval, const DaemonHooks& hooks);

}  // namespace emailv2::connector
