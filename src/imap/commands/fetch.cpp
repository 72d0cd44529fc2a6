#include "imap/commands/fetch.h"

#include <algorithm>
#include <deque>
#include <set>

#include "core/text.h"
#include "imap/session.h"

namespace emailv2::imap::commands {
namespace {

// Receives body literals from the decoder and turns FETCH responses into FetchedMessages.
class FetchCollector final : public wire::BodySink {
 public:
  FetchCollector(const FetchRequest& request, const MessageCallback& on_message)
      : request_(request), on_message_(on_message), wanted_(request.uids.begin(), request.uids.end()) {}

  Status begin(std::uint32_t, std::string_view, std::uint64_t size) override {
    auto w = BodyWriter::start(size, request_.memory_limit, request_.spool_dir);
    if (!w) return fail(w.error());
    writer_.emplace(std::move(*w));
    return ok();
  }
  Status data(std::string_view chunk) override { return writer_->append(chunk); }
  Status end() override {
    auto body = writer_->finish();
    writer_.reset();
    if (!body) return fail(body.error());
    streamed_.push_back(std::move(*body));
    return ok();
  }

  // Untagged handler: consumes FETCH responses.
  bool on_response(const wire::Response& r) {
    if (r.kind != wire::ResponseKind::kFetch) return false;
    std::deque<Body> streamed = std::move(streamed_);
    streamed_.clear();
    const wire::FetchData& f = r.fetch;
    if (!f.uid || !wanted_.count(*f.uid) || delivered_.count(*f.uid)) return true;  // unsolicited update
    if (!request_.items.body_sections.empty() && f.sections.empty()) return true;
    FetchedMessage m;
    m.uid = *f.uid;
    m.seq = f.seq;
    m.flags = f.flags;
    m.internal_date = f.internal_date;
    m.internal_date_epoch = f.internal_date_epoch;
    m.rfc822_size = f.rfc822_size;
    for (const wire::FetchSection& s : f.sections) {
      FetchedPart part;
      part.section = s.section;
      part.nil = s.nil;
      if (s.streamed && !streamed.empty()) {
        part.body = std::move(streamed.front());
        streamed.pop_front();
      } else if (!s.streamed) {
        auto w = BodyWriter::start(s.data.size(), request_.memory_limit, request_.spool_dir);
        if (w && w->append(s.data)) {
          if (auto b = w->finish()) part.body = std::move(*b);
        }
      }
      m.parts.push_back(std::move(part));
    }
    delivered_.insert(m.uid);
    if (!error_) {
      if (auto st = on_message_(std::move(m)); !st) error_ = st.error();
    }
    return true;
  }

  const std::optional<Error>& error() const { return error_; }
  std::size_t delivered() const { return delivered_.size(); }
  bool was_delivered(std::uint32_t uid) const { return delivered_.count(uid) > 0; }

 private:
  const FetchRequest& request_;
  const MessageCallback& on_message_;
  std::set<std::uint32_t> wanted_;
  std::set<std::uint32_t> delivered_;
  std::optional<BodyWriter> writer_;
  std::deque<Body> streamed_;
  std::optional<Error> error_;
};

// Detaches the collector from the session on every exit path.
struct SinkGuard {
  Session& session;
  ~SinkGuard() { session.set_body_sink(nullptr); }
};

}  // namespace

const FetchedPart* FetchedMessage::part(std::string_view section) const {
  for (const FetchedPart& p : parts) {
    if (text::iequals_ascii(p.section, section)) return &p;
  }
  return nullptr;
}

std::vector<wire::UidSet> plan_batches(std::vector<std::uint32_t> uids, const std::map<std::uint32_t, std::uint64_t>& sizes,
                                       std::size_t batch_uids, std::uint64_t batch_bytes) {
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  uids.erase(std::remove(uids.begin(), uids.end(), 0u), uids.end());
  std::vector<wire::UidSet> batches;
  std::vector<std::uint32_t> current;
  std::uint64_t bytes = 0;
  for (std::uint32_t uid : uids) {
    const auto it = sizes.find(uid);
    const std::uint64_t size = it == sizes.end() ? 0 : it->second;
    if (!current.empty() && (current.size() >= std::max<std::size_t>(batch_uids, 1) || bytes + size > batch_bytes)) {
      batches.push_back(wire::UidSet::from(std::move(current)));
      current.clear();
      bytes = 0;
    }
    current.push_back(uid);
    bytes += size;
  }
  if (!current.empty()) batches.push_back(wire::UidSet::from(std::move(current)));
  return batches;
}

std::string fetch_items_syntax(const FetchItems& items) {
  std::string s = "(UID";
  if (items.flags) s += " FLAGS";
  if (items.internal_date) s += " INTERNALDATE";
  if (items.size) s += " RFC822.SIZE";
  for (const std::string& section : items.body_sections) s += " BODY.PEEK[" + section + "]";
  return s + ")";
}

Result<FetchSummary> uid_fetch(Session& session, const FetchRequest& request, const MessageCallback& on_message,
                               Deadline deadline) {
  FetchCollector collector(request, on_message);
  session.set_body_sink(&collector);
  SinkGuard guard{session};
  const std::string items = fetch_items_syntax(request.items);
  std::deque<PendingCommand> pending;
  std::optional<Error> refused;
  auto complete_oldest = [&]() -> Status {
    auto done = session.complete(pending.front(), deadline);
    pending.pop_front();
    if (!done) {
      if (done.error().code() != ErrorCode::kImapNo && done.error().code() != ErrorCode::kImapBad) {
        return fail(done.error());
      }
      if (!refused) refused = done.error();
    }
    return ok();
  };
  for (const wire::UidSet& batch : plan_batches(request.uids, request.sizes, request.batch_uids, request.batch_bytes)) {
    if (collector.error() || refused) break;
    auto command = wire::CommandBuilder("UID FETCH").uid_set(batch).raw(items).build();
    if (!command) return fail(command.error());
    while (pending.size() >= std::max<std::size_t>(session.options().pipeline_window, 1)) {
      EMAILV2_TRY(complete_oldest());
    }
    auto sent = session.send(*command, [&](const wire::Response& r) { return collector.on_response(r); }, deadline);
    if (!sent) return fail(sent.error());
    pending.push_back(*sent);
  }
  while (!pending.empty()) EMAILV2_TRY(complete_oldest());
  if (collector.error()) return fail(*collector.error());
  if (refused) return fail(*refused);
  FetchSummary summary;
  summary.delivered = collector.delivered();
  for (std::uint32_t uid : request.uids) {
    if (uid != 0 && !collector.was_delivered(uid)) summary.missing.push_back(uid);
  }
  std::sort(summary.missing.begin(), summary.missing.end());
  summary.missing.erase(std::unique(summary.missing.begin(), summary.missing.end()), summary.missing.end());
  return summary;
}

}  // namespace emailv2::imap::commands
