#include "connector/fetch_pipeline.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <exception>

#include "imap/body.h"
#include "mime/parse_message.h"

namespace emailv2::connector {
namespace {

const char* const kCancelled = "fetch pipeline cancelled";

}  // namespace

FetchPipeline::FetchPipeline(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids,
                             std::uint64_t max_message_bytes, Deadline deadline, FetchPipelineOptions options)
    : options_(std::move(options)) {
  if (options_.depth == 0) options_.depth = 1;
  order_ = uids;
  std::sort(order_.begin(), order_.end());
  order_.erase(std::unique(order_.begin(), order_.end()), order_.end());
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

std::uint64_t FetchPipeline::weight_of(std::uint64_t size) const {
  return size > options_.alone_above_bytes ? std::max(size, options_.max_in_flight_bytes) : size;
}

bool FetchPipeline::has_room(std::uint64_t weight) const {
  return weights_.empty() ||
         (weights_.size() < options_.depth && in_flight_bytes_ + weight <= options_.max_in_flight_bytes);
}

void FetchPipeline::start(std::unique_lock<std::mutex>& lock, std::uint64_t seq, FetchedMessage&& item,
                          std::uint64_t weight) {
  weights_.emplace(seq, weight);
  in_flight_bytes_ += weight;
  peak_in_flight_bytes_ = std::max(peak_in_flight_bytes_, in_flight_bytes_);
  if (options_.workers > 0) {
    admitted_.emplace_back(seq, std::move(item));
    work_.notify_one();
    return;
  }
  (void)prepare_and_file(lock, seq, std::move(item));
}

bool FetchPipeline::prepare_and_file(std::unique_lock<std::mutex>& lock, std::uint64_t seq, FetchedMessage&& item) {
  lock.unlock();
  prepare(item);
  lock.lock();
  if (cancelled_) return false;
  prepared_.emplace(seq, std::move(item));
  if (seq == next_out_) ready_.notify_one();
  return true;
}

Status FetchPipeline::admit(mail::StoredMessage&& message) {
  const auto at = std::lower_bound(order_.begin(), order_.end(), message.metadata.uid);
  if (at == order_.end() || *at != message.metadata.uid) return ok();  // not asked for
  const auto seq = static_cast<std::uint64_t>(at - order_.begin());
  const std::uint64_t weight = weight_of(message.bytes.size());
  FetchedMessage item{std::move(message), std::nullopt, std::nullopt};
  std::unique_lock lock(mutex_);
  for (;;) {
    if (cancelled_) return fail(ErrorCode::kInternal, kCancelled);
    if (seq < next_out_) return ok();  // its turn was skipped (cannot happen with a well-behaved store)
    if (has_room(weight)) break;
    if (seq == next_out_) {
      // Its turn: admitted past the bound unless the caller still holds an item, whose release makes room.
      if (!handed_out_) break;
      room_.wait(lock);
      continue;
    }
    if (!arrived(next_out_)) {
      // Ahead of its turn, no room, and the item the caller needs is still to come: park it on disk and read on.
      lock.unlock();
      if (!item.message.bytes.spooled()) {
        auto writer = imap::BodyWriter::start(item.message.bytes.size(), 0, options_.spool_dir);
        Status spooled = writer ? writer->append(item.message.bytes.memory()) : fail(writer.error());
        auto body = spooled ? writer->finish() : Result<imap::Body>(fail(spooled.error()));
        if (body) item.message.bytes = std::move(*body);  // else kept in memory: nothing is lost
      }
      lock.lock();
      if (cancelled_) return fail(ErrorCode::kInternal, kCancelled);
      parked_.emplace(seq, std::move(item));
      peak_parked_ = std::max(peak_parked_, parked_.size());
      return ok();
    }
    room_.wait(lock);
  }
  start(lock, seq, std::move(item), weight);
  if (cancelled_) return fail(ErrorCode::kInternal, kCancelled);
  return ok();
}

void FetchPipeline::admit_parked(std::unique_lock<std::mutex>& lock) {
  while (!parked_.empty() && !cancelled_) {
    auto lowest = parked_.begin();
    const std::uint64_t weight = weight_of(lowest->second.message.bytes.size());
    if (!has_room(weight) && (lowest->first != next_out_ || handed_out_)) return;
    const std::uint64_t seq = lowest->first;
    FetchedMessage item = std::move(lowest->second);
    parked_.erase(lowest);
    start(lock, seq, std::move(item), weight);
  }
}

bool FetchPipeline::skip_missing() {
  if (arrived(next_out_)) return true;
  std::optional<std::uint64_t> present;
  if (!weights_.empty()) present = weights_.begin()->first;
  if (!parked_.empty()) present = std::min(present.value_or(parked_.begin()->first), parked_.begin()->first);
  if (!present) return false;
  next_out_ = *present;
  return true;
}

void FetchPipeline::work() {
  // Linux applies a nice value to one thread when given its thread id. Raising it needs no privilege; a failure
  // only leaves the worker at the process's priority.
  if (options_.worker_nice != 0) (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), options_.worker_nice);
  std::unique_lock lock(mutex_);
  for (;;) {
    // Parked items are admitted by next() after the stream has ended too: a worker stays until none is left.
    work_.wait(lock, [this] { return cancelled_ || !admitted_.empty() || (fetch_done_ && parked_.empty()); });
    if (cancelled_ || admitted_.empty()) return;  // cancelled, or the stream ended and nothing is left
    auto [seq, item] = std::move(admitted_.front());
    admitted_.pop_front();
    if (!prepare_and_file(lock, seq, std::move(item))) return;
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
  for (;;) {
    if (cancelled_) return std::nullopt;
    admit_parked(lock);
    if (cancelled_) return std::nullopt;
    const auto found = prepared_.find(next_out_);
    if (found != prepared_.end()) {
      FetchedMessage item = std::move(found->second);
      prepared_.erase(found);
      handed_out_ = next_out_++;
      return item;
    }
    if (fetch_done_) {
      if (!skip_missing()) return std::nullopt;  // the stream has ended and everything was handed out
      if (prepared_.count(next_out_) || parked_.count(next_out_)) continue;
    }
    ready_.wait(lock);
  }
}

void FetchPipeline::drop_in_flight() {
  cancelled_ = true;
  admitted_.clear();
  prepared_.clear();
  parked_.clear();
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
    const bool drained = fetch_done_ && parked_.empty() && weights_.size() == (handed_out_ ? 1u : 0u);
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

std::size_t FetchPipeline::peak_parked() const {
  std::lock_guard lock(mutex_);
  return peak_parked_;
}

}  // namespace emailv2::connector
