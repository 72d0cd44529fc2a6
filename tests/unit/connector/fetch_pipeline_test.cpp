// FetchPipeline: every message prepared exactly once on a worker, delivery order kept whatever order the workers
// finish in, bounded in flight (items AND bytes, large messages alone), bytes released, errors contained, cancellation;
// a server that reorders: UID order out, early arrivals parked on disk.
#include "connector/fetch_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>
#include <vector>

#include "mail/memory_mail_store.h"
#include "mime/parse_message.h"
#include "support/reversing_mail_store.h"

namespace emailv2::connector {
namespace {

using namespace std::chrono_literals;

std::string mail_with(const std::string& id, std::size_t body_bytes) {
  std::string m = "From: a@example.com\r\nTo: soc@example.com\r\nSubject: m " + id + "\r\nMessage-ID: <" + id +
                  "@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
  std::string line(76, 'x');
  while (body_bytes > 0) {
    const std::size_t n = std::min(body_bytes, line.size());
    m.append(line, 0, n).append("\r\n");
    body_bytes -= n;
  }
  return m;
}

struct Counting {
  std::mutex mutex;
  std::map<std::string, int> by_id;  // message-id → preparations
  std::set<std::thread::id> threads;
  std::atomic<int> calls{0};
  std::atomic<int> active{0};      // preparations running right now
  std::atomic<int> most_active{0};
  std::function<void(const mime::Message&)> extra;  // runs inside each preparation (delays, throws)

  FetchPipelineOptions options(std::size_t workers, std::size_t depth, std::uint64_t max_bytes) {
    FetchPipelineOptions o;
    o.workers = workers;
    o.depth = depth;
    o.max_in_flight_bytes = max_bytes;
    o.alone_above_bytes = max_bytes / 4;
    o.prepare = [this](FetchedMessage& item, std::string_view raw) {
      const int now = ++active;
      for (int seen = most_active.load(); now > seen && !most_active.compare_exchange_weak(seen, now);) {
      }
      mime::Message m = mime::parse_message(raw);
      {
        std::lock_guard lock(mutex);
        ++calls;
        ++by_id[m.message_id.value_or("")];
        threads.insert(std::this_thread::get_id());
      }
      if (extra) {
        try {
          extra(m);
        } catch (...) {
          --active;
          throw;
        }
      }
      item.prepared = PreparedIngest{m.message_id, m.sha256, std::nullopt, std::nullopt};
      --active;
    };
    return o;
  }
};

std::vector<std::uint32_t> deliver(mail::MemoryMailStore& store, int n, std::size_t body_bytes) {
  std::vector<std::uint32_t> uids;
  for (int i = 1; i <= n; ++i) uids.push_back(store.deliver("INBOX", mail_with("m" + std::to_string(i), body_bytes)));
  return uids;
}

std::string expected_id(std::size_t n) { return "<m" + std::to_string(n) + "@example.com>"; }

TEST(FetchPipelineTest, PreparesEveryMessageExactlyOnceOnTheWorkersAndKeepsDeliveryOrder) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 40, 300);
  Counting counting;
  // Odd messages take longer, so two workers finish out of order; next() must still give delivery order.
  counting.extra = [](const mime::Message& m) {
    const std::string id = m.message_id.value_or("");
    const auto at = id.find('@');
    if (at != std::string::npos && at > 0 && (id[at - 1] - '0') % 2 == 1) std::this_thread::sleep_for(2ms);
  };
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(2, 8, 32ull << 20));
  std::vector<std::uint32_t> seen;
  while (auto item = pipeline.next()) {
    ASSERT_TRUE(item->prepared.has_value());
    EXPECT_FALSE(item->error);
    EXPECT_EQ(item->prepared->message_id.value_or(""), expected_id(seen.size() + 1));
    seen.push_back(item->message.metadata.uid);
  }
  auto report = pipeline.finish();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->delivered, 40u);
  EXPECT_EQ(seen, uids);
  EXPECT_EQ(counting.calls.load(), 40);
  ASSERT_EQ(counting.by_id.size(), 40u);
  for (const auto& [id, n] : counting.by_id) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(counting.threads.count(std::this_thread::get_id()), 0u);
  EXPECT_EQ(counting.most_active.load(), 2);  // both workers prepared at once
}

TEST(FetchPipelineTest, ThePreparationSeesTheMessageBytesWhichAreReleasedAfterIt) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 5, 2000);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(1, 8, 32ull << 20));
  std::size_t n = 0;
  while (auto item = pipeline.next()) {
    ++n;
    const std::string raw = mail_with("m" + std::to_string(n), 2000);
    EXPECT_EQ(item->prepared->raw_sha256, mime::parse_message(raw).sha256);
    EXPECT_EQ(item->message.bytes.size(), 0u);
    EXPECT_TRUE(item->message.bytes.memory().empty());
    EXPECT_GT(item->message.metadata.size, 2000u);  // the metadata stays
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(n, 5u);
}

TEST(FetchPipelineTest, BytesInFlightAreBoundedWithASlowConsumer) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 12, 200 * 1024);  // 210,360 bytes each: under bound / 4
  Counting counting;
  const std::uint64_t bound = 1ull << 20;  // room for 4 of them, not 5
  FetchPipeline pipeline(store, "INBOX", uids, 8 << 20, Deadline::never(), counting.options(2, 16, bound));
  std::this_thread::sleep_for(300ms);  // the fetch fills the pipeline up to its bound and waits
  EXPECT_EQ(counting.calls.load(), 4);
  std::vector<std::uint32_t> seen;
  while (auto item = pipeline.next()) {
    seen.push_back(item->message.metadata.uid);
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(seen, uids);
  EXPECT_LE(pipeline.peak_in_flight_bytes(), bound);
  EXPECT_GT(pipeline.peak_in_flight_bytes(), 3u * 200u * 1024u);
  EXPECT_EQ(counting.calls.load(), 12);
}

TEST(FetchPipelineTest, TheItemTheCallerHoldsStaysInFlightUntilItAsksForTheNext) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 6, 100);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(1, 2, 32ull << 20));
  auto first = pipeline.next();
  ASSERT_TRUE(first);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(counting.calls.load(), 2);  // the held one and one more: depth 2
  std::size_t n = 1;
  while (pipeline.next()) ++n;
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(n, 6u);
}

TEST(FetchPipelineTest, ALargeMessageIsPreparedAloneAndNothingJoinsIt) {
  mail::MemoryMailStore store;
  deliver(store, 3, 1000);
  store.deliver("INBOX", mail_with("big", 400 * 1024));  // over bound / 4
  store.deliver("INBOX", mail_with("m5", 1000));
  store.deliver("INBOX", mail_with("m6", 1000));
  Counting counting;
  std::atomic<bool> big_running{false};
  std::atomic<int> overlapped{0};
  counting.extra = [&](const mime::Message& m) {
    if (m.message_id == "<big@example.com>") {
      big_running = true;
      std::this_thread::sleep_for(100ms);
      big_running = false;
    } else if (big_running) {
      ++overlapped;
    }
  };
  const std::uint64_t bound = 1ull << 20;
  FetchPipeline pipeline(store, "INBOX", {1, 2, 3, 4, 5, 6}, 8 << 20, Deadline::never(),
                         counting.options(2, 16, bound));
  std::size_t n = 0;
  while (auto item = pipeline.next()) ++n;
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(n, 6u);
  EXPECT_EQ(overlapped.load(), 0);
  EXPECT_EQ(pipeline.peak_in_flight_bytes(), bound);  // the large one weighed the whole bound, alone
}

TEST(FetchPipelineTest, AMessageLargerThanTheBoundStillPasses) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 4, 64 * 1024);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 8 << 20, Deadline::never(), counting.options(2, 8, 1));
  std::vector<std::uint32_t> seen;
  while (auto item = pipeline.next()) seen.push_back(item->message.metadata.uid);
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(seen, uids);
  EXPECT_EQ(counting.most_active.load(), 1);  // never two at once
}

TEST(FetchPipelineTest, WithoutWorkersTheFetchThreadPrepares) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 5, 100);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(0, 8, 32ull << 20));
  std::size_t n = 0;
  while (auto item = pipeline.next()) {
    ASSERT_TRUE(item->prepared);
    EXPECT_EQ(item->prepared->message_id.value_or(""), expected_id(++n));
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(n, 5u);
  EXPECT_EQ(counting.threads.size(), 1u);
  EXPECT_EQ(counting.threads.count(std::this_thread::get_id()), 0u);
}

TEST(FetchPipelineTest, TheDefaultPreparationRecordsMessageIdAndDigest) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 3, 100);
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never());
  std::size_t n = 0;
  while (auto item = pipeline.next()) {
    ASSERT_TRUE(item->prepared);
    ++n;
    EXPECT_EQ(item->prepared->message_id.value_or(""), expected_id(n));
    EXPECT_EQ(item->prepared->raw_sha256, mime::parse_message(mail_with("m" + std::to_string(n), 100)).sha256);
    EXPECT_FALSE(item->prepared->new_case);
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(n, 3u);
}

TEST(FetchPipelineTest, WorkersRunAtTheNiceValueAsked) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 2, 100);
  const int base = getpriority(PRIO_PROCESS, 0);
  std::vector<int> seen;
  std::mutex m;
  FetchPipelineOptions o;
  o.workers = 1;
  o.worker_nice = base + 5 > 19 ? 19 : base + 5;
  o.prepare = [&](FetchedMessage& item, std::string_view) {
    std::lock_guard lock(m);
    seen.push_back(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())));
    item.prepared = PreparedIngest{};
  };
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), o);
  while (pipeline.next()) {
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(seen, (std::vector<int>{o.worker_nice, o.worker_nice}));
  EXPECT_EQ(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())), base);  // the caller's thread is unchanged
}

TEST(FetchPipelineTest, APreparationThatThrowsIsReportedOnItsItemAndTheOthersGoOn) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 5, 100);
  Counting counting;
  counting.extra = [](const mime::Message& m) {
    if (m.message_id == "<m3@example.com>") throw std::runtime_error("poison");
  };
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(2, 8, 32ull << 20));
  std::vector<bool> failed;
  std::string message;
  while (auto item = pipeline.next()) {
    failed.push_back(item->error.has_value());
    if (item->error) {
      message = item->error->to_string();
      EXPECT_GT(item->message.bytes.size(), 0u);  // kept: not prepared
    }
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(failed, (std::vector<bool>{false, false, true, false, false}));
  EXPECT_NE(message.find("poison"), std::string::npos) << message;
}

TEST(FetchPipelineTest, CancelStopsTheStreamAndIsNotAnError) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 20, 100);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(2, 2, 32ull << 20));
  auto first = pipeline.next();
  ASSERT_TRUE(first);
  pipeline.cancel();
  EXPECT_FALSE(pipeline.next());
  auto report = pipeline.finish();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_LT(counting.calls.load(), 20);
  EXPECT_GT(pipeline.peak_in_flight_bytes(), 0u);
}

TEST(FetchPipelineTest, FinishingEarlyJoinsEveryThread) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 50, 100);
  Counting counting;
  counting.extra = [](const mime::Message&) { std::this_thread::sleep_for(1ms); };
  {
    FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(2, 4, 32ull << 20));
    ASSERT_TRUE(pipeline.next());
  }  // the destructor cancels and joins with items still in flight
  EXPECT_LT(counting.calls.load(), 50);
}

TEST(FetchPipelineTest, AFetchErrorMidStreamIsReportedAfterTheMessagesBeforeIt) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 6, 100);
  store.fail_nth_message(4, Error(ErrorCode::kImapBye, "gone"));
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(2, 8, 32ull << 20));
  std::size_t n = 0;
  while (auto item = pipeline.next()) {
    EXPECT_TRUE(item->prepared);
    ++n;
  }
  EXPECT_EQ(n, 3u);
  auto report = pipeline.finish();
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code(), ErrorCode::kImapBye);
  EXPECT_EQ(counting.calls.load(), 3);
}

// Spool files in `dir` this process holds open (they are unlinked at creation, so only /proc/self/fd shows them).
std::size_t spool_files_open(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(e.path(), ec);
    if (!ec && target.string().starts_with(dir.string() + "/")) ++n;
  }
  return n;
}

TEST(FetchPipelineTest, AServerThatReordersGetsUidOrderOutWithEarlyArrivalsParkedOnDiskNotInMemory) {
  mail::MemoryMailStore inner;
  const auto uids = deliver(inner, 40, 3000);  // ~3.3 KB each, under alone_above_bytes (bound / 4)
  testing::ReversingMailStore store(inner);
  Counting counting;
  const std::uint64_t bound = 16 * 1024;  // room for 4 of them
  auto options = counting.options(2, 32, bound);
  const auto spool = std::filesystem::temp_directory_path() / ("emailv2-park-" + std::to_string(::getpid()));
  std::filesystem::create_directories(spool);
  options.spool_dir = spool;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), options);
  // The caller waits for UID 1, which comes last: the fetch must read the other 39 without blocking, keeping at
  // most the bound in memory and parking the rest in spool files.
  for (int i = 0; i < 500 && !store.delivered_all; ++i) std::this_thread::sleep_for(2ms);
  ASSERT_TRUE(store.delivered_all) << "the fetch blocked behind a full pipeline";
  EXPECT_GE(pipeline.peak_parked(), 30u);
  EXPECT_GE(spool_files_open(spool), 30u);  // parked bytes are in spool files, not in memory
  EXPECT_TRUE(std::filesystem::is_empty(spool));  // ...which nothing outside the process can see or inherit
  std::vector<std::uint32_t> seen;
  while (auto item = pipeline.next()) {
    ASSERT_TRUE(item->prepared.has_value());
    EXPECT_EQ(item->prepared->message_id.value_or(""), expected_id(seen.size() + 1));
    seen.push_back(item->message.metadata.uid);
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(seen, uids);
  EXPECT_EQ(counting.calls.load(), 40);
  for (const auto& [id, n] : counting.by_id) EXPECT_EQ(n, 1) << id;
  // In memory at once: the bound plus the one item whose turn it was.
  EXPECT_LE(pipeline.peak_in_flight_bytes(), bound + 3400);
  EXPECT_EQ(spool_files_open(spool), 0u);  // every spool file went with its message's bytes
  std::filesystem::remove_all(spool);
}

TEST(FetchPipelineTest, AUidTheStreamEndedWithoutIsSkippedAndTheRestComeOutInOrder) {
  mail::MemoryMailStore inner;
  const auto uids = deliver(inner, 12, 3000);
  inner.make_unfetchable("INBOX", uids[4], std::nullopt);
  testing::ReversingMailStore store(inner);  // expunged meanwhile: reported missing
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(2, 32, 8 * 1024));
  std::vector<std::uint32_t> seen;
  while (auto item = pipeline.next()) seen.push_back(item->message.metadata.uid);
  auto report = pipeline.finish();
  ASSERT_TRUE(report) << report.error().to_string();
  std::vector<std::uint32_t> want = uids;
  want.erase(want.begin() + 4);
  EXPECT_EQ(seen, want);
  EXPECT_EQ(report->missing, std::vector<std::uint32_t>{uids[4]});
}

TEST(FetchPipelineTest, WithoutWorkersParkedItemsArePreparedWhenTheirTurnComes) {
  mail::MemoryMailStore inner;
  const auto uids = deliver(inner, 10, 3000);
  testing::ReversingMailStore store(inner);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(0, 32, 8 * 1024));
  std::vector<std::uint32_t> seen;
  while (auto item = pipeline.next()) {
    ASSERT_TRUE(item->prepared.has_value());
    seen.push_back(item->message.metadata.uid);
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(seen, uids);
  EXPECT_EQ(counting.calls.load(), 10);
  EXPECT_GE(pipeline.peak_parked(), 5u);
}

}  // namespace
}  // namespace emailv2::connector
