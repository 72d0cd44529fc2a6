#pragma once
// Test hook for the kill harness (tests/faults/connector_kill_test.cpp): labelled points in the cycle where the
// process kills itself with SIGKILL when asked to. Always compiled in, inert unless EMAILV2_TEST_CRASH_AT is set:
//
//   EMAILV2_TEST_CRASH_AT=<point>[:<n>]   SIGKILL at the n-th time (default 1st) <point> is reached in this process
//
// Points: after_fetch (a message's bytes arrived, nothing written), mid_transaction (inside the message transaction,
// after the ledger row and case were written, before COMMIT), after_commit_before_seen (committed, \Seen not stored).

#include <string_view>

namespace emailv2::connector {

enum class CrashPoint { kAfterFetch, kMidTransaction, kAfterCommitBeforeSeen };

std::string_view to_string(CrashPoint point);

// Kills the process (SIGKILL) when the environment asks for this point and this is the requested hit.
void crash_point(CrashPoint point);

}  // namespace emailv2::connector
