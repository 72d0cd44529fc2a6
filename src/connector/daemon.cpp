#include "connector/daemon.h"

#include <algorithm>

#include "connector/stop_signals.h"
#include "core/log.h"

namespace emailv2::connector {
namespace {

constexpr std::string_view kLog = "connector";

std::chrono::seconds backoff(int failures, std::chrono::seconds interval) {
  std::chrono::seconds wait = kBackoffBase;
  for (int i = 1; i < failures && wait < interval; ++i) wait *= 2;
  return std::min(wait, interval);
}

}  // namespace

std::chrono::steady_clock::time_point next_cycle_start(std::chrono::steady_clock::time_point previous_start,
                                                       std::chrono::steady_clock::time_point previous_end,
                                                       std::chrono::seconds interval, int connection_failures) {
  if (connection_failures > 0) return previous_end + backoff(connection_failures, interval);
  return std::max(previous_start + interval, previous_end);
}

int run_daemon(Settings settings, std::optional<std::chrono::seconds> interval_option, const DaemonHooks& hooks) {
  const auto stop = hooks.stop ? hooks.stop : [] { return stop_requested(); };
  const auto reload = hooks.reload ? hooks.reload : [] { return take_reload_request(); };
  const auto sleep = hooks.sleep ? hooks.sleep : [](std::chrono::milliseconds d) { return sleep_unless_stopped(d); };
  int failures = 0;
  while (!stop()) {
    if (reload()) {
      auto reloaded = hooks.load_settings();
      if (reloaded) {
        settings = std::move(*reloaded);
        log::info(kLog, "configuration reloaded");
      } else {
        log::error(kLog, "configuration reload failed, keeping the previous one: {}", reloaded.error().to_string());
      }
    }
    const auto interval = interval_option ? *interval_option : settings.run_every;
    const auto start = std::chrono::steady_clock::now();
    const CycleSummary summary = hooks.run_cycle(settings);
    hooks.on_summary(summary);
    const auto end = std::chrono::steady_clock::now();
    failures = summary.connection_failed ? failures + 1 : 0;
    if (summary.stopped || stop()) break;
    const auto next = next_cycle_start(start, end, interval, failures);
    const auto now = std::chrono::steady_clock::now();
    if (failures > 0) log::warn(kLog, "connection failed; next cycle in {} s", std::chrono::duration_cast<std::chrono::seconds>(next - now).count());
    if (next > now && !sleep(std::chrono::duration_cast<std::chrono::milliseconds>(next - now))) break;
  }
  log::info(kLog, "stopped");
  return 0;
}

}  // namespace emailv2::connector
