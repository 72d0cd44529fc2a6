#include "connector/fetch_pipeline.h"

namespace emailv2::connector {
namespace {

const char* const kCancelled = "fetch pipeline cancelled";

}  // namespace

FetchPipeline::FetchPipeline(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids,
                             std::uint64_t max_message_bytes, Deadline deadline, std::size_t depth)
    : depth_(depth == 0 ? 1 : depth) {
  thread_ = std::thread([this, &mail, folder = std::move(folder), uids = std::move(uids), max_message_bytes,
                         deadline]() mutable { run(mail, std::move(folder), std::move(uids), max_message_bytes, deadline); });
}

FetchPipeline::~FetchPipeline() { (void)finish(); }

void FetchPipeline::run(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids,
                        std::uint64_t max_bytes, Deadline deadline) {
  auto result = mail.fetch_messages(
      folder, uids, max_bytes, [this](mail::StoredMessage&& m) { return push(std::move(m)); }, deadline);
  std::lock_guard lock(mutex_);
  if (!result && cancelled_ && result.error().code() == ErrorCode::kInternal && result.error().detail() == kCancelled) {
    result = mail::FetchReport{};
  }
  result_ = std::move(result);
  done_ = true;
  changed_.notify_all();
}

Status FetchPipeline::push(mail::StoredMessage&& message) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return cancelled_ || queue_.size() < depth_; });
  if (cancelled_) return fail(ErrorCode::kInternal, kCancelled);
  queue_.push_back(std::move(message));
  changed_.notify_all();
  return ok();
}

std::optional<mail::StoredMessage> FetchPipeline::next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !queue_.empty() || done_ || cancelled_; });
  if (cancelled_ || queue_.empty()) return std::nullopt;
  mail::StoredMessage m = std::move(queue_.front());
  queue_.pop_front();
  changed_.notify_all();
  return m;
}

void FetchPipeline::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  queue_.clear();
  changed_.notify_all();
}

Result<mail::FetchReport> FetchPipeline::finish() {
  {
    std::lock_guard lock(mutex_);
    if (!done_) {
      cancelled_ = true;
      queue_.clear();
      changed_.notify_all();
    }
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  if (!result_) return mail::FetchReport{};
  return *result_;
}

}  // namespace emailv2::connector
