// IDLE (commands/idle.h) and the wait that chooses between IDLE and NOOP polling (commands/wait.h), over a
// FakeTransport: exact wire bytes, pushed responses applied to the mailbox state, restart, and the hostile cases
// (BYE inside IDLE, no '+', EOF, IDLE refused -> polling).
#include <gtest/gtest.h>

#include "imap/commands/idle.h"
#include "imap/commands/wait.h"
#include "session_support.h"

namespace emailv2::imap::commands {
namespace {

using emailv2::testing::FakeTransport;
using namespace std::chrono_literals;

Deadline soon() { return Deadline::after(5s); }

// A logged-in session with `caps`, INBOX selected with 4 messages and no pending event; the next tag is A002.
std::unique_ptr<Session> idling_session(FakeTransport& t, const std::string& caps = "IMAP4rev1 IDLE",
                                        bool one_byte = false) {
  t.set_tls(true);
  t.server_sends("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n");
  t.server_sends("A001 OK [CAPABILITY " + caps + "] in\r\n");
  auto s = testing::open_session(t, testing::password_options());
  EXPECT_TRUE(s) << s.error().to_string();
  if (!s) return nullptr;
  (*s)->mailbox().reset("INBOX");
  (*s)->mailbox().exists = 4;
  t.one_byte_reads(one_byte);
  return std::move(*s);
}

std::string after_login(const FakeTransport& t) {
  const auto pos = t.written().find("A002");
  return pos == std::string::npos ? "" : t.written().substr(pos);
}

// ---- hostile rows first ----

TEST(Idle, ByeInsideIdleIsACleanErrorAndTheSessionIsNotReused) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("+ idling\r\n* BYE server shutting down\r\n");
  auto r = idle_until_new_mail(*s, Deadline::after(5s), {}, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kImapBye);
  EXPECT_NE(r.error().detail().find("shutting down"), std::string::npos);
  EXPECT_FALSE(s->usable());
  EXPECT_FALSE(t.is_open());
  EXPECT_EQ(s->noop(soon()).error().code(), ErrorCode::kImapBye);
}

TEST(Idle, ServerThatNeverSendsTheContinuationTimesOut) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.timeout_when_empty();
  auto r = idle_until_new_mail(*s, Deadline::after(5s), {}, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kTimeout);
  EXPECT_FALSE(s->usable());
  EXPECT_EQ(after_login(t), "A002 IDLE\r\n");  // no DONE into the void
}

TEST(Idle, EndOfStreamWhileIdlingIsImapBye) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("+ idling\r\n");  // then EOF
  auto r = idle_until_new_mail(*s, Deadline::after(5s), {}, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kImapBye);
  EXPECT_FALSE(s->usable());
}

TEST(Idle, NoTaggedOkAfterDoneTimesOut) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("+ idling\r\n* 5 EXISTS\r\n");
  t.timeout_when_empty();
  auto r = idle_until_new_mail(*s, Deadline::after(5s), {}, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kTimeout);
  EXPECT_EQ(after_login(t), "A002 IDLE\r\nDONE\r\n");
}

TEST(Idle, RefusedIdleIsImapNoAndLeavesTheSessionUsable) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("A002 BAD IDLE not allowed now\r\n");
  auto r = idle_until_new_mail(*s, Deadline::after(5s), {}, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kImapBad);
  EXPECT_TRUE(s->usable());
}

TEST(WaitWithIdle, RefusedIdleFallsBackToNoopPolling) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("A002 NO [CANNOT] no IDLE for you\r\n");
  t.server_sends("A003 OK\r\n");
  t.server_sends("* 5 EXISTS\r\nA004 OK\r\n");
  WaitOptions o;
  o.poll_every = 1ms;
  o.sleep = [](std::chrono::milliseconds) {};
  auto r = wait_for_new_mail(*s, Deadline::after(5s), o, soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(*r);
  EXPECT_EQ(after_login(t), "A002 IDLE\r\nA003 NOOP\r\nA004 NOOP\r\n");
}

TEST(WaitWithIdle, AfterARefusalLaterWaitsOnTheSameSessionPollAtOnce) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->idle_refused());
  t.server_sends("A002 BAD unknown command\r\n");
  t.server_sends("* 5 EXISTS\r\nA003 OK\r\n");
  t.server_sends("* 6 EXISTS\r\nA004 OK\r\n");
  WaitOptions o;
  o.poll_every = 1ms;
  o.sleep = [](std::chrono::milliseconds) {};
  auto first = wait_for_new_mail(*s, Deadline::after(5s), o, soon());
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_TRUE(*first);
  EXPECT_TRUE(s->idle_refused());
  auto second = wait_for_new_mail(*s, Deadline::after(5s), o, soon());
  ASSERT_TRUE(second) << second.error().to_string();
  EXPECT_TRUE(*second);
  EXPECT_EQ(after_login(t), "A002 IDLE\r\nA003 NOOP\r\nA004 NOOP\r\n");  // no second IDLE
}

// ---- the normal cases ----

TEST(Idle, NewMailEndsTheIdleWithDone) {
  for (const bool one_byte : {false, true}) {
    SCOPED_TRACE(one_byte ? "one byte per read" : "whole chunks");
    FakeTransport t;
    auto s = idling_session(t, "IMAP4rev1 IDLE", one_byte);
    ASSERT_TRUE(s);
    // Pushed updates before the growth are applied too: EXPUNGE (4 -> 3), a flag change, RECENT, a keep-alive.
    t.server_sends("+ idling\r\n* 2 EXPUNGE\r\n* 1 FETCH (FLAGS (\\Seen))\r\n* OK Still here\r\n");
    t.server_sends("* 1 RECENT\r\n* 4 EXISTS\r\nA002 OK Idle completed (0.001 + 1.2 secs).\r\n");
    auto r = idle_until_new_mail(*s, Deadline::after(5s), {}, soon());
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(*r);
    EXPECT_EQ(after_login(t), "A002 IDLE\r\nDONE\r\n");
    EXPECT_EQ(s->mailbox().exists, 4U);
    EXPECT_EQ(s->mailbox().recent, 1U);
    EXPECT_EQ(s->mailbox().expunged, 1U);
    EXPECT_FALSE(s->mailbox().grew);  // the event was reported and cleared
    EXPECT_TRUE(s->usable());
  }
}

TEST(Idle, ExpungeAloneDoesNotWakeTheWait) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("+ idling\r\n* 4 EXPUNGE\r\n");
  t.server_pauses();
  t.server_sends("A002 OK done\r\n");
  auto r = idle_until_new_mail(*s, Deadline::after(60ms), {}, soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(*r);
  EXPECT_EQ(s->mailbox().exists, 3U);
  EXPECT_EQ(after_login(t), "A002 IDLE\r\nDONE\r\n");
  EXPECT_TRUE(s->usable());
  t.server_sends("A003 OK\r\n");
  EXPECT_TRUE(s->noop(soon()));  // the connection is still good
}

TEST(Idle, TheWindowEndsWithDoneAndFalse) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("+ idling\r\n");
  t.server_pauses();
  t.server_sends("A002 OK done\r\n");
  const auto start = std::chrono::steady_clock::now();
  auto r = idle_until_new_mail(*s, Deadline::after(80ms), {}, soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(*r);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 80ms);
  EXPECT_EQ(after_login(t), "A002 IDLE\r\nDONE\r\n");
}

TEST(Idle, RestartsBeforeTheServerCutsIt) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("+ idling\r\n");
  t.server_pauses();  // the first round reaches restart_after
  t.server_sends("A002 OK done\r\n+ idling\r\n* 5 EXISTS\r\nA003 OK done\r\n");
  IdleOptions o;
  o.restart_after = 20ms;
  auto r = idle_until_new_mail(*s, Deadline::after(5s), o, soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(*r);
  EXPECT_EQ(after_login(t), "A002 IDLE\r\nDONE\r\nA003 IDLE\r\nDONE\r\n");
}

TEST(Idle, ServerEndingIdleByItselfStartsANewRoundWithoutDone) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("+ idling\r\nA002 OK IDLE timed out\r\n+ idling\r\n* 5 EXISTS\r\nA003 OK done\r\n");
  auto r = idle_until_new_mail(*s, Deadline::after(5s), {}, soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(*r);
  EXPECT_EQ(after_login(t), "A002 IDLE\r\nA003 IDLE\r\nDONE\r\n");
}

TEST(Idle, GrowthAlreadySeenReturnsAtOnce) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  s->mailbox().grew = true;
  auto r = idle_until_new_mail(*s, Deadline::after(5s), {}, soon());
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(after_login(t), "");
  EXPECT_FALSE(s->mailbox().grew);
}

TEST(Idle, KeepsTimeForDoneBeforeTheCallersDeadline) {
  FakeTransport t;
  auto s = idling_session(t);
  ASSERT_TRUE(s);
  t.server_sends("+ idling\r\n");
  t.server_pauses();
  t.server_sends("A002 OK done\r\n");
  // until is far, the run's deadline is near: the wait stops kIdleDoneReserve before the deadline.
  const Deadline deadline = Deadline::after(kIdleDoneReserve + 50ms);
  auto r = idle_until_new_mail(*s, Deadline::after(60s), {}, deadline);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(*r);
  EXPECT_FALSE(deadline.expired());
}

TEST(WaitWithIdle, UsesIdleWhenAdvertisedAndNoopOtherwise) {
  {
    FakeTransport t;
    auto s = idling_session(t);
    ASSERT_TRUE(s);
    t.server_sends("+ idling\r\n* 5 EXISTS\r\nA002 OK done\r\n");
    auto r = wait_for_new_mail(*s, Deadline::after(5s), {}, soon());
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(*r);
    EXPECT_EQ(after_login(t), "A002 IDLE\r\nDONE\r\n");
  }
  {
    FakeTransport t;
    auto s = idling_session(t, "IMAP4rev1");
    ASSERT_TRUE(s);
    t.server_sends("* 5 EXISTS\r\nA002 OK\r\n");
    auto r = wait_for_new_mail(*s, Deadline::after(5s), {}, soon());
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(*r);
    EXPECT_EQ(after_login(t), "A002 NOOP\r\n");
    EXPECT_EQ(t.wait_readable_calls(), 0);
  }
  {
    FakeTransport t;  // IDLE advertised but switched off by the caller
    auto s = idling_session(t);
    ASSERT_TRUE(s);
    t.server_sends("* 5 EXISTS\r\nA002 OK\r\n");
    WaitOptions o;
    o.use_idle = false;
    auto r = wait_for_new_mail(*s, Deadline::after(5s), o, soon());
    ASSERT_TRUE(r);
    EXPECT_EQ(after_login(t), "A002 NOOP\r\n");
  }
}

}  // namespace
}  // namespace emailv2::imap::commands
