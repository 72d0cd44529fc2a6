#include "actions/mail_objects.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/limits.h"
#include "core/time_format.h"
#include "mime/date.h"
#include "mime/parse_message.h"

namespace emailv2::actions::mailbox {
namespace {

// Messages fetched but not yet parsed; the reader waits when this many are queued (memory stays bounded).
constexpr std::size_t kParseQueue = 8;

// Parses fetched messages on one worker thread while the caller keeps reading from the server, so the transfer and
// the MIME parse overlap instead of adding up (bench/search_bench.py). Only the worker touches the mime layer.
class BackgroundParser {
 public:
  BackgroundParser(std::string_view folder, std::string_view mailbox)
      : folder_(folder), mailbox_(mailbox), worker_([this] { run(); }) {}
  ~BackgroundParser() { stop(); }
  BackgroundParser(const BackgroundParser&) = delete;
  BackgroundParser& operator=(const BackgroundParser&) = delete;

  // Queues a message (waits while the queue is full). Returns the worker's error once it has one.
  Status push(mail::StoredMessage&& message) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kParseQueue || error_; });
    if (error_) return fail(*error_);
    queue_.push_back(std::move(message));
    changed_.notify_all();
    return ok();
  }

  // Waits for every queued message to be parsed.
  Result<MailObjects> finish() {
    stop();
    if (error_) return fail(*error_);
    return std::move(objects_);
  }

 private:
  void stop() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    changed_.notify_all();
    if (worker_.joinable()) worker_.join();
  }

  void run() {
    for (;;) {
      mail::StoredMessage message;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty()) return;
        message = std::move(queue_.front());
        queue_.pop_front();
      }
      changed_.notify_all();
      auto parsed = parse(message);
      const std::lock_guard<std::mutex> lock(mutex_);
      if (!parsed) {
        error_ = parsed.error();
        queue_.clear();
        changed_.notify_all();
        return;
      }
      objects_[message.metadata.uid] = std::move(*parsed);
    }
  }

  Result<nlohmann::ordered_json> parse(const mail::StoredMessage& m) const {
    try {
      auto bytes = m.bytes.read_all();
      if (!bytes) return fail(bytes.error());
      const mime::Message parsed = mime::parse_message(*bytes);
      return mime::mail_object(parsed, mail_context(m.metadata, folder_, mailbox_, m.over_limit));
    } catch (const std::exception& e) {
      return fail(ErrorCode::kInternal, std::string("parsing a message failed: ") + e.what());
    }
  }

  std::string folder_;
  std::string mailbox_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<mail::StoredMessage> queue_;
  bool closed_ = false;
  std::optional<Error> error_;
  MailObjects objects_;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace

mime::MailContext mail_context(const mail::MessageMetadata& metadata, std::string_view folder,
                               std::string_view mailbox, bool over_limit) {
  mime::MailContext ctx;
  ctx.email_uid = std::to_string(metadata.uid);
  ctx.folder = std::string(folder);
  if (metadata.internal_date) {
    const std::int64_t ms = epoch_ms(*metadata.internal_date);
    ctx.internaldate_ms = ms;
    ctx.received = mime::format_rfc5322_date(ms, 0);
  }
  ctx.flags = metadata.flags;
  ctx.size = static_cast<std::size_t>(metadata.size);
  ctx.mailbox = std::string(mailbox);
  ctx.over_limit = over_limit;
  return ctx;
}

Result<MailObjects> fetch_mail_objects(mail::MailStore& store, const mail::IntegrationConfig& config,
                                       std::string_view folder, const std::vector<std::uint32_t>& uids,
                                       Deadline deadline) {
  if (uids.empty()) return MailObjects{};
  const std::uint64_t max_bytes = static_cast<std::uint64_t>(config.max_message_mib) * limits::kMiB;
  BackgroundParser parser(folder, config.sender_address);
  auto report = store.fetch_messages(
      folder, uids, max_bytes, [&](mail::StoredMessage&& m) -> Status { return parser.push(std::move(m)); },
      deadline);
  auto objects = parser.finish();
  if (!report) return fail(report.error());
  return objects;
}

}  // namespace emailv2::actions::mailbox
