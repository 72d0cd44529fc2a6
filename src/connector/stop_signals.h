#pragma once
// SIGTERM/SIGINT and SIGHUP for the connector's run modes (CONTRACT §5.5). The handlers only set flags (async-signal
// safe); the cycle polls stop_requested() between messages (the open transaction always finishes), the daemon
// polls both while it sleeps. Installed once per process; without SA_RESTART so a blocked wait returns early.

#include <chrono>

namespace emailv2::connector {

void install_stop_signals();
bool stop_requested();
// True once per SIGHUP received since the last call.
bool take_reload_request();
// For tests: as if the signal had arrived.
void request_stop_for_testing(bool stop);
void request_reload_for_testing();

// Sleeps up to `duration`, waking early on a stop request (returns false then).
bool sleep_unless_stopped(std::chrono::milliseconds duration);

}  // namespace emailv2::connector
