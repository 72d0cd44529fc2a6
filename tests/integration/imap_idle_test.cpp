// IDLE against the lab's Dovecot: a message APPENDed by another connection while a wait is running wakes it by push
// (the polling interval is set to 60 s, so only IDLE can explain a wake within the bound), a quiet wait ends with DONE
// and leaves the connection usable, and IDLE restarts against the real server. Each test waits on a folder of its
// own, created for it, so mail that other tests deliver to the same user (ctest runs in parallel) cannot wake it.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "imap/commands/idle.h"
#include "imap/commands/select.h"
#include "imap_lab_support.h"
#include "mail/imap_mail_store.h"

namespace emailv2::imap {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kUser = 3;

std::string unique_name(const char* what) {
  return std::string("idle ") + what + " " + std::to_string(::getpid()) + "-" +
         std::to_string(Clock::now().time_since_epoch().count());
}

// A folder of the test's own, created over a separate connection.
std::string private_folder(const char* what) {
  const std::string folder = unique_name(what);
  auto s = lab::connect(lab::options("LAB_IMAPS_PORT", kUser));
  EXPECT_TRUE(s);
  if (s) {
    EXPECT_TRUE(lab::create(*s, folder));
    EXPECT_TRUE(s->logout(lab::soon()));
  }
  return folder;
}

// Another client drops a message into `folder` (APPEND over its own connection).
void deliver(const std::string& folder, const std::string& subject) {
  auto s = lab::connect(lab::options("LAB_IMAPS_PORT", kUser));
  ASSERT_TRUE(s);
  ASSERT_TRUE(lab::append_all(*s, folder, {lab::message(subject, "pushed by the lab", subject + "@idle.lab.test")}));
  EXPECT_TRUE(s->logout(lab::soon()));
}

class ImapIdleLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::lab_available()) GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
  }
};

TEST_F(ImapIdleLab, DeliveredMailWakesTheMailStoreWaitByPush) {
  mail::ImapMailStore store([](Deadline d) { return Session::connect(lab::options("LAB_IMAPS_PORT", kUser), d); });
  auto session = store.session(lab::soon());
  ASSERT_TRUE(session) << session.error().to_string();
  ASSERT_TRUE((*session)->capabilities().has("IDLE"));
  const std::string folder = private_folder("wake");
  auto before = store.open_folder(folder, mail::Access::kReadOnly, lab::soon());
  ASSERT_TRUE(before) << before.error().to_string();

  const std::string subject = unique_name("wake");
  std::atomic<Clock::rep> delivered_at{0};
  std::thread postman([&] {
    std::this_thread::sleep_for(1500ms);
    deliver(folder, subject);
    delivered_at = Clock::now().time_since_epoch().count();
  });
  mail::WaitOptions slow_polling;
  slow_polling.poll_every = 60s;  // a NOOP poll could not see the delivery before 60 s
  const auto start = Clock::now();
  auto woke = store.wait_for_new_mail(folder, Deadline::after(45s), slow_polling, lab::soon(90));
  const auto returned = Clock::now();
  postman.join();
  ASSERT_TRUE(woke) << woke.error().to_string();
  EXPECT_TRUE(*woke) << "the wait ended by time, not by new mail";
  EXPECT_LT(returned - start, 10s);
  const auto latency = returned - Clock::time_point(Clock::duration(delivered_at.load()));
  RecordProperty("wake_latency_ms", static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(latency).count()));
  std::printf("IDLE wake latency after delivery: %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(latency).count()));

  auto after = store.open_folder(folder, mail::Access::kReadOnly, lab::soon());
  ASSERT_TRUE(after);
  EXPECT_GT(after->exists, before->exists);
  mail::SearchCriteria c;
  c.subject = subject;
  auto found = store.search(folder, c, lab::soon());
  ASSERT_TRUE(found) << found.error().to_string();
  EXPECT_EQ(found->size(), 1U);
  EXPECT_TRUE(store.close(lab::soon()));
}

TEST_F(ImapIdleLab, QuietWaitEndsWithDoneAndTheConnectionStaysUsable) {
  mail::ImapMailStore store([](Deadline d) { return Session::connect(lab::options("LAB_IMAPS_PORT", kUser), d); });
  const std::string folder = private_folder("quiet");
  ASSERT_TRUE(store.open_folder(folder, mail::Access::kReadOnly, lab::soon()));
  const auto start = Clock::now();
  auto quiet = store.wait_for_new_mail(folder, Deadline::after(1500ms), {}, lab::soon());
  ASSERT_TRUE(quiet) << quiet.error().to_string();
  EXPECT_FALSE(*quiet);
  EXPECT_GE(Clock::now() - start, 1400ms);
  auto session = store.session(lab::soon());
  ASSERT_TRUE(session);
  EXPECT_TRUE((*session)->usable());
  EXPECT_TRUE(store.search(folder, mail::SearchCriteria::all(), lab::soon()));
  EXPECT_TRUE(store.close(lab::soon()));
}

TEST_F(ImapIdleLab, RestartsOverStartTlsAndStillSeesDeliveredMail) {
  const std::string folder = private_folder("restart");
  auto s = lab::connect(lab::options("LAB_IMAP_PORT", kUser));  // plaintext + STARTTLS: the upgraded transport
  ASSERT_TRUE(s);
  ASSERT_TRUE(commands::select(*s, folder, commands::Access::kReadOnly, lab::soon()));
  commands::IdleOptions short_rounds;
  short_rounds.restart_after = 700ms;
  auto quiet = commands::idle_until_new_mail(*s, Deadline::after(2s), short_rounds, lab::soon());
  ASSERT_TRUE(quiet) << quiet.error().to_string();
  EXPECT_FALSE(*quiet);

  std::thread postman([&] {
    std::this_thread::sleep_for(1200ms);  // lands in the second or third round
    deliver(folder, unique_name("restart"));
  });
  auto woke = commands::idle_until_new_mail(*s, Deadline::after(30s), short_rounds, lab::soon(60));
  postman.join();
  ASSERT_TRUE(woke) << woke.error().to_string();
  EXPECT_TRUE(*woke);
  EXPECT_TRUE(s->noop(lab::soon()));
  EXPECT_TRUE(s->logout(lab::soon()));
}

}  // namespace
}  // namespace emailv2::imap
