// FetchPipeline: parse once per message on the fetch thread, bounded queue (items AND bytes), order, cancellation.
#include "connector/fetch_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mail/memory_mail_store.h"
#include "mime/parse_message.h"

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
  std::map<std::string, int> by_id;  // message-id → parse calls
  std::atomic<int> calls{0};
  std::thread::id thread;

  FetchPipelineOptions options(std::size_t depth, std::uint64_t max_bytes) {
    FetchPipelineOptions o;
    o.depth = depth;
    o.max_queued_bytes = max_bytes;
    o.parse_ahead_max_bytes = 1ull << 20;
    o.parse = [this](std::string_view raw) {
      mime::Message m = mime::parse_message(raw);
      std::lock_guard lock(mutex);
      ++calls;
      ++by_id[m.message_id.value_or("")];
      thread = std::this_thread::get_id();
      return m;
    };
    return o;
  }
};

std::vector<std::uint32_t> deliver(mail::MemoryMailStore& store, int n, std::size_t body_bytes) {
  std::vector<std::uint32_t> uids;
  for (int i = 1; i <= n; ++i) uids.push_back(store.deliver("INBOX", mail_with("m" + std::to_string(i), body_bytes)));
  return uids;
}

TEST(FetchPipelineTest, ParsesEveryMessageExactlyOnceOffTheConsumerThreadInOrder) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 25, 300);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(8, 32ull << 20));
  std::vector<std::uint32_t> seen;
  while (auto item = pipeline.next()) {
    ASSERT_TRUE(item->parsed.has_value());
    const std::string expected_id = "<m" + std::to_string(seen.size() + 1) + "@example.com>";
    EXPECT_EQ(item->parsed->message_id.value_or(""), expected_id);
    EXPECT_EQ(item->parsed->sha256, mime::parse_message(item->message.bytes.memory()).sha256);
    seen.push_back(item->message.metadata.uid);
  }
  auto report = pipeline.finish();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->delivered, 25u);
  EXPECT_EQ(seen, uids);
  EXPECT_EQ(counting.calls.load(), 25);
  ASSERT_EQ(counting.by_id.size(), 25u);
  for (const auto& [id, n] : counting.by_id) EXPECT_EQ(n, 1) << id;
  EXPECT_NE(counting.thread, std::this_thread::get_id());
}

TEST(FetchPipelineTest, QueueIsBoundedByBytesWithASlowConsumer) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 12, 256 * 1024);  // ~256 KiB raw, ~768 KiB with its parse
  Counting counting;
  const std::uint64_t bound = 2ull << 20;
  FetchPipeline pipeline(store, "INBOX", uids, 8 << 20, Deadline::never(), counting.options(8, bound));
  std::this_thread::sleep_for(300ms);  // the producer fills the queue up to its bound and waits
  std::uint64_t largest = 0;
  std::vector<std::uint32_t> seen;
  while (auto item = pipeline.next()) {
    largest = std::max(largest, FetchPipeline::queued_bytes_of(*item));
    seen.push_back(item->message.metadata.uid);
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(seen, uids);
  EXPECT_GT(largest, 512u * 1024u);
  EXPECT_GE(pipeline.peak_queued_bytes(), largest);  // at least one waited
  EXPECT_LE(pipeline.peak_queued_bytes(), bound);    // 8 items would be ~6 MiB: the byte bound held them back
  EXPECT_EQ(counting.calls.load(), 12);
}

TEST(FetchPipelineTest, AMessageLargerThanTheByteBoundStillPassesAlone) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 4, 64 * 1024);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 8 << 20, Deadline::never(), counting.options(8, 1));
  std::this_thread::sleep_for(100ms);
  std::uint64_t largest = 0;
  std::vector<std::uint32_t> seen;
  while (auto item = pipeline.next()) {
    largest = std::max(largest, FetchPipeline::queued_bytes_of(*item));
    seen.push_back(item->message.metadata.uid);
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(seen, uids);
  EXPECT_EQ(pipeline.peak_queued_bytes(), largest);  // never two at once
}

TEST(FetchPipelineTest, AMessageAboveTheParseAheadLimitIsLeftUnparsed) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 3, 64 * 1024);
  store.deliver("INBOX", mail_with("big", 300 * 1024));
  Counting counting;
  auto options = counting.options(8, 32ull << 20);
  options.parse_ahead_max_bytes = 200 * 1024;
  FetchPipeline pipeline(store, "INBOX", {1, 2, 3, 4}, 8 << 20, Deadline::never(), options);
  std::vector<bool> parsed;
  while (auto item = pipeline.next()) parsed.push_back(item->parsed.has_value());
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(parsed, (std::vector<bool>{true, true, true, false}));
  EXPECT_EQ(counting.calls.load(), 3);
  EXPECT_EQ(uids.size(), 3u);
}

TEST(FetchPipelineTest, ParseAheadIsOffByDefault) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 3, 100);
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never());
  std::size_t n = 0;
  while (auto item = pipeline.next()) {
    EXPECT_FALSE(item->parsed.has_value());
    ++n;
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(n, 3u);
}

TEST(FetchPipelineTest, CountBoundHoldsForSmallMessages) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 10, 100);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(2, 32ull << 20));
  for (int i = 0; i < 500 && counting.calls.load() < 3; ++i) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(counting.calls.load(), 3);  // two queued, the third parsed and waiting for room
  std::uint64_t largest = 0;
  std::size_t n = 0;
  while (auto item = pipeline.next()) {
    largest = std::max(largest, FetchPipeline::queued_bytes_of(*item));
    ++n;
  }
  ASSERT_TRUE(pipeline.finish());
  EXPECT_EQ(n, 10u);
  EXPECT_LE(pipeline.peak_queued_bytes(), 2 * largest);
}

TEST(FetchPipelineTest, CancelStopsTheStreamAndIsNotAnError) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 20, 100);
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(2, 32ull << 20));
  auto first = pipeline.next();
  ASSERT_TRUE(first);
  pipeline.cancel();
  EXPECT_FALSE(pipeline.next());
  auto report = pipeline.finish();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_LT(counting.calls.load(), 20);
  EXPECT_GT(pipeline.peak_queued_bytes(), 0u);
}

TEST(FetchPipelineTest, AFetchErrorMidStreamIsReportedAfterTheMessagesBeforeIt) {
  mail::MemoryMailStore store;
  const auto uids = deliver(store, 6, 100);
  store.fail_nth_message(4, Error(ErrorCode::kImapBye, "gone"));
  Counting counting;
  FetchPipeline pipeline(store, "INBOX", uids, 1 << 20, Deadline::never(), counting.options(8, 32ull << 20));
  std::size_t n = 0;
  while (auto item = pipeline.next()) {
    EXPECT_TRUE(item->parsed);
    ++n;
  }
  EXPECT_EQ(n, 3u);
  auto report = pipeline.finish();
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code(), ErrorCode::kImapBye);
  EXPECT_EQ(counting.calls.load(), 3);
}

}  // namespace
}  // namespace emailv2::connector
