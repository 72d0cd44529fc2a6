#include "connector/fetch_pipeline.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <exception>

#include "mime/parse_message.h"

namespace emailv2::connector {
namespace {

const char* const kCancelled = "fetch pipeline cancelled";

}  // namespace

FetchPipeline::FetchPipeline(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids,
                             std::uint64_t max_message_bytes, Deadline deadline, FetchPipelineOptions options)
    : options_(std::move(options)) {
  if (options_.depth == 0) options_.depth = 1;
  if (!options_.prepare) {
    options_.prepare = [](FetchedMessage& item, std::string_view raw) {
      const mime::Message parsed = mime::parse_message(raw);
      item.prepared = PreparedIngest{parsed.message_id, parsed.sha256, std::nullopt, std::nullopt};
    };
  }
  for (std::size_t i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work(); });
  fetcher_ = std::thread([this, &mail, folder = std::move(folder), uids = std::move(uids), max_message_bytes,
                          deadline]() mutable {
    fetch(mail, std::move(folder), std::move(uids), max_message_bytes, deadline);
  });
}

FetchPipeline::~FetchPipeline() { (void)finish(); }

void FetchPipeline::fetch(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids,
                          std::uint64_t max_bytes, Deadline deadline) {
  auto result = mail.fetch_messages(
      folder, uids, max_bytes, [this](mail::StoredMessage&& m) { return admit(std::move(m)); }, deadline);
  std::lock_guard lock(mutex_);
  if (!result && cancelled_ && result.error().code() == ErrorCode::kInternal && result.error().detail() == kCancelled) {
    result = mail::FetchReport{};
  }
  result_ = std::move(result);
  fetch_done_ = true;
  work_.notify_all();
  ready_.notify_all();
}

void FetchPipeline::prepare(FetchedMessage& item) const {
  try {
    if (!item.message.bytes.spooled()) {
      options_.prepare(item, item.message.bytes.memory());
    } else {
      auto raw = item.message.bytes.read_all();  // dropped after the preparation
      if (!raw) {
        item.error = raw.error();
        return;
      }
      options_.prepare(item, *raw);
    }
    item.message.bytes = mail::MessageBytes{};  // the preparation holds its own copies of what it keeps
  } catch (const std::exception& e) {
    item.error = Error(ErrorCode::kInternal, std::string("preparing the message failed: ") + e.what());
  }
}

Status FetchPipeline::admit(mail::StoredMessage&& message) {
  const std::uint64_t size = message.bytes.size();
  const std::uint64_t weight = size > options_.alone_above_bytes ? std::max(size, options_.max_in_flight_bytes) : size;
  FetchedMessage item{std::move(message), std::nullopt, std::nullopt};
  std::unique_lock lock(mutex_);
  room_.wait(lock, [&] {
    return cancelled_ || weights_.empty() ||
           (weights_.size() < options_.depth && in_flight_bytes_ + weight <= options_.max_in_flight_bytes);
  });
  if (cancelled_) return fail(ErrorCode::kInternal, kCancelled);
  const std::uint64_t seq = next_in_++;
  weights_.emplace(seq, weight);
  in_flight_bytes_ += weight;
  peak_in_flight_bytes_ = std::max(peak_in_flight_bytes_, in_flight_bytes_);
  if (options_.workers == 0) {
    lock.unlock();
    prepare(item);
    lock.lock();
    if (cancelled_) return fail(ErrorCode::kInternal, kCancelled);
    prepared_.emplace(seq, std::move(item));
    if (seq == next_out_) ready_.notify_one();
  } else {
    admitted_.emplace_back(seq, std::move(item));
    work_.notify_one();
  }
  return ok();
}

void FetchPipeline::work() {
  // Linux applies a nice value to one thread when given its thread id. Raising it needs no privilege; a failure
  // only leaves the worker at the process's priority.
  if (options_.worker_nice != 0) (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), options_.worker_nice);
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [this] { return cancelled_ || !admitted_.empty() || fetch_done_; });
    if (cancelled_ || admitted_.empty()) return;  // cancelled, or the stream ended and nothing is left
    auto [seq, item] = std::move(admitted_.front());
    admitted_.pop_front();
    lock.unlock();
    prepare(item);
    lock.lock();
    if (cancelled_) return;
    prepared_.emplace(seq, std::move(item));
    if (seq == next_out_) ready_.notify_one();
  }
}

std::optional<FetchedMessage> FetchPipeline::next() {
  std::unique_lock lock(mutex_);
  if (handed_out_) {  // the caller is done with the previous item
    const auto weight = weights_.find(*handed_out_);
    in_flight_bytes_ -= weight->second;
    weights_.erase(weight);
    handed_out_.reset();
    room_.notify_one();
  }
  ready_.wait(lock, [this] { return cancelled_ || prepared_.count(next_out_) || (fetch_done_ && weights_.empty()); });
  const auto found = prepared_.find(next_out_);
  if (cancelled_ || found == prepared_.end()) return std::nullopt;
  FetchedMessage item = std::move(found->second);
  prepared_.erase(found);
  handed_out_ = next_out_++;
  return item;
}

void FetchPipeline::drop_in_flight() {
  cancelled_ = true;
  admitted_.clear();
  prepared_.clear();
  room_.notify_all();
  work_.notify_all();
  ready_.notify_all();
}

void FetchPipeline::cancel() {
  std::lock_guard lock(mutex_);
  drop_in_flight();
}

Result<mail::FetchReport> FetchPipeline::finish() {
  {
    std::lock_guard lock(mutex_);
    const bool drained = fetch_done_ && weights_.size() == (handed_out_ ? 1u : 0u);
    if (!drained) drop_in_flight();
    else work_.notify_all();  // idle workers see the end
  }
  if (fetcher_.joinable()) fetcher_.join();
  {
    std::lock_guard lock(mutex_);
    fetch_done_ = true;
    work_.notify_all();
    ready_.notify_all();
  }
  for (std::thread& w : workers_) {
    if (w.joinable()) w.join();
  }
  std::lock_guard lock(mutex_);
  if (!result_) return mail::FetchReport{};
  return *result_;
}

std::uint64_t FetchPipeline::peak_in_flight_bytes() const {
  std::lock_guard lock(mutex_);
  return peak_in_flight_bytes_;
}

}  // namespace emailv2::connector
