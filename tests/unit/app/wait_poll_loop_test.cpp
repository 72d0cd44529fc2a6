// The --until-done loop of the action runner with an async action's PollSession: a session that reports a change
// makes the next poll start at once (IDLE), a failing session falls back to sleeping, the session is kept across
// polls and closed exactly once; plain actions keep their old behaviour (action_command_test.cpp).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "app/action_command.h"
#include "support/test_env.h"

namespace emailv2::app {
namespace {

using actions::ActionResult;
using Clock = std::chrono::steady_clock;

struct SessionLog {
  int created = 0;
  int waits = 0;
  int closes = 0;
  bool fail_wait = false;
};

SessionLog g_log;
int g_polls = 0;

class FakeSession final : public actions::PollSession {
 public:
  Result<bool> wait_for_change(Deadline until) override {
    ++g_log.waits;
    EXPECT_FALSE(until.is_never());
    if (g_log.fail_wait) return fail(ErrorCode::kImapBye, "connection lost");
    return true;  // "new mail": poll again at once
  }
  void close() override { ++g_log.closes; }
};

ActionResult three_polls(const actions::ActionContext&, const actions::ParamSet&, actions::PollSessionSlot& slot) {
  ++g_polls;
  if (!slot) {
    ++g_log.created;
    slot = std::make_unique<FakeSession>();
  }
  if (g_polls < 3) return ActionResult::in_progress("waiting");
  return ActionResult::completed(true, "done");
}

const actions::ActionSpec& spec() {
  static const actions::ActionSpec s{"async-probe", "Async Probe", {}, "test", {}, {}};
  return s;
}

struct Captured {
  int exit_code;
  std::string out;
  double seconds;
};

Captured run(GlobalOptions globals) {
  g_polls = 0;
  emailv2::testing::TempDir dir;
  const auto config = dir.path() / "c.toml";
  emailv2::testing::write_file(config, "");
  globals.config = config.string();
  std::FILE* out = std::tmpfile();
  const MapEnvironment env;
  const std::vector<std::string> args;
  const Command command = async_action_command(spec(), &three_polls);
  const Invocation inv{globals, args, env, out};
  const auto t0 = Clock::now();
  const int code = command.run(inv);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::rewind(out);
  std::string text;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
  std::fclose(out);
  return {code, text, seconds};
}

TEST(WaitPollLoop, SessionChangeWakesTheNextPollAtOnce) {
  g_log = {};
  GlobalOptions g;
  g.until_done = true;
  g.poll_every = std::chrono::seconds(60);  // only the session can explain a fast finish
  const auto r = run(g);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(g_polls, 3);
  EXPECT_EQ(g_log.created, 1);  // kept across polls
  EXPECT_EQ(g_log.waits, 2);
  EXPECT_EQ(g_log.closes, 1);
  EXPECT_LT(r.seconds, 5.0);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

TEST(WaitPollLoop, FailingSessionFallsBackToSleeping) {
  g_log = {};
  g_log.fail_wait = true;
  GlobalOptions g;
  g.until_done = true;
  g.poll_every = std::chrono::seconds(1);
  const auto r = run(g);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(g_polls, 3);
  EXPECT_EQ(g_log.waits, 2);
  EXPECT_EQ(g_log.closes, 1);
  EXPECT_GE(r.seconds, 1.9);  // slept the two intervals
}

TEST(WaitPollLoop, WithoutUntilDoneOnePollAndTheSessionIsClosed) {
  g_log = {};
  const auto r = run(GlobalOptions{});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(g_polls, 1);
  EXPECT_EQ(g_log.waits, 0);
  EXPECT_EQ(g_log.closes, 1);
  EXPECT_NE(r.out.find("\"execution_state\":\"in_progress\""), std::string::npos) << r.out;
}

}  // namespace
}  // namespace emailv2::app
