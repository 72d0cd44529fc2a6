#include "connector/fetch_pipeline.h"

#include <algorithm>

#include "mime/parse_message.h"

namespace emailv2::connector {
namespace {

const char* const kCancelled = "fetch pipeline cancelled";

}  // namespace

FetchPipeline::FetchPipeline(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids,
                             std::uint64_t max_message_bytes, Deadline deadline, FetchPipelineOptions options)
    : options_(std::move(options)) {
  if (options_.depth == 0) options_.depth = 1;
  if (!options_.parse) options_.parse = [](std::string_view raw) { return mime::parse_message(raw); };
  thread_ = std::thread([this, &mail, folder = std::move(folder), uids = std::move(uids), max_message_bytes,
                         deadline]() mutable { run(mail, std::move(folder), std::move(uids), max_message_bytes, deadline); });
}

FetchPipeline::~FetchPipeline() { (void)finish(); }

std::uint64_t FetchPipeline::parsed_bytes_of(const mime::Message& parsed) {
  std::uint64_t n = parsed.text_body.size() + parsed.html_body.size() + parsed.body.size();
  for (const mime::Attachment& a : parsed.attachments) n += a.data.size();
  for (const mime::Message& m : parsed.attached) n += parsed_bytes_of(m);
  return n;
}

std::uint64_t FetchPipeline::queued_bytes_of(const FetchedMessage& item) {
  return item.message.bytes.memory().size() + (item.parsed ? parsed_bytes_of(*item.parsed) : 0);
}

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
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) return fail(ErrorCode::kInternal, kCancelled);
  }
  // The parse runs here, outside the lock, concurrently with the cycle thread's store work.
  FetchedMessage item{std::move(message), std::nullopt};
  if (item.message.bytes.size() > options_.parse_ahead_max_bytes) {
    // left to the caller: parsed empty
  } else if (item.message.bytes.spooled()) {
    auto raw = item.message.bytes.read_all();  // dropped after the parse: the spool file stays the copy
    if (raw) item.parsed = options_.parse(*raw);
  } else {
    item.parsed = options_.parse(item.message.bytes.memory());
  }
  const std::uint64_t weight = queued_bytes_of(item);
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] {
    return cancelled_ || queue_.empty() ||
           (queue_.size() < options_.depth && queued_bytes_ + weight <= options_.max_queued_bytes);
  });
  if (cancelled_) return fail(ErrorCode::kInternal, kCancelled);
  queue_.push_back(std::move(item));
  queued_bytes_ += weight;
  peak_queued_bytes_ = std::max(peak_queued_bytes_, queued_bytes_);
  changed_.notify_all();
  return ok();
}

std::optional<FetchedMessage> FetchPipeline::next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !queue_.empty() || done_ || cancelled_; });
  if (cancelled_ || queue_.empty()) return std::nullopt;
  FetchedMessage item = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= queued_bytes_of(item);
  changed_.notify_all();
  return item;
}

void FetchPipeline::drop_queue() {
  cancelled_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  changed_.notify_all();
}

void FetchPipeline::cancel() {
  std::lock_guard lock(mutex_);
  drop_queue();
}

Result<mail::FetchReport> FetchPipeline::finish() {
  {
    std::lock_guard lock(mutex_);
    if (!done_) drop_queue();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  if (!result_) return mail::FetchReport{};
  return *result_;
}

std::uint64_t FetchPipeline::peak_queued_bytes() const {
  std::lock_guard lock(mutex_);
  return peak_queued_bytes_;
}

}  // namespace emailv2::connector
