#include "actions/wait_responses.h"

#include <re2/re2.h>

#include "core/log.h"
#include "mime/date.h"
#include "mime/parse_message.h"

namespace emailv2::actions {
namespace {

using MessageKey = std::pair<std::string, std::uint32_t>;

// Fetches and parses one reply (BODY.PEEK[]); nullptr when it vanished since the search.
Result<const mime::Message*> load(mail::MailStore& store, const ReplyHit& hit, std::uint64_t max_message_bytes,
                                  Deadline deadline, std::map<MessageKey, mime::Message>& cache) {
  const MessageKey key{hit.folder, hit.uid};
  if (auto it = cache.find(key); it != cache.end()) return &it->second;
  std::optional<mime::Message> parsed;
  auto report = store.fetch_messages(
      hit.folder, {hit.uid}, max_message_bytes,
      [&](mail::StoredMessage&& m) -> Status {
        auto bytes = m.bytes.read_all();
        if (!bytes) return fail(bytes.error());
        if (m.over_limit) {
          log::warn("wait", "reply UID {} in {} is larger than Max Message Size; only its header is read", hit.uid,
                    hit.folder);
        }
        parsed = mime::parse_message(*bytes);
        return ok();
      },
      deadline);
  if (!report) return fail(report.error());
  if (!parsed) {
    log::warn("wait", "reply UID {} in {} vanished before it could be fetched", hit.uid, hit.folder);
    return static_cast<const mime::Message*>(nullptr);
  }
  return &cache.emplace(key, std::move(*parsed)).first->second;
}

ReplyResponse response_of(const ReplyHit& hit, const mime::Message& msg, bool with_attachments) {
  ReplyResponse r;
  r.content = msg.body;
  r.message_id = msg.message_id;
  if (hit.internal_date) r.received = received_text(*hit.internal_date);
  r.folder = hit.folder;
  if (with_attachments) {
    for (const auto& a : msg.attachments) r.attachments.push_back(a.name);
  }
  return r;
}

bool is_candidate(const ReplyHit& hit, const std::string& recipient, bool ignore_auto_replies) {
  if (!has_address(hit.from, recipient)) return false;
  if (ignore_auto_replies && hit.auto_reply) {
    log::info("wait", "ignoring the automatic reply UID {} in {} from {} ({})", hit.uid, hit.folder, recipient,
              *hit.auto_reply);
    return false;
  }
  return true;
}

}  // namespace

std::string received_text(TimePoint internal_date) {
  return mime::format_rfc5322_date(epoch_ms(internal_date), 0);
}

Result<SelectedResponses> select_responses(mail::MailStore& store, const WaitParams& params,
                                           const std::vector<std::string>& recipients,
                                           const std::vector<ReplyHit>& hits, std::uint64_t max_message_bytes,
                                           Deadline deadline) {
  SelectedResponses out;
  for (const ReplyHit& hit : hits) {
    if (hit.from.empty()) log::info("wait", "ignoring reply UID {} in {}: it has no From address", hit.uid, hit.folder);
  }
  for (const std::string& recipient : recipients) {
    RecipientStatus status{recipient, std::nullopt};
    for (const ReplyHit& hit : hits) {
      if (!is_candidate(hit, recipient, params.ignore_auto_replies)) continue;
      auto msg = load(store, hit, max_message_bytes, deadline, out.messages);
      if (!msg) return fail(msg.error());
      if (*msg == nullptr) continue;
      const bool excluded = params.exclude != nullptr && RE2::PartialMatch((*msg)->body, *params.exclude);
      out.decisions.push_back(ReplyDecision{&hit, recipient, !excluded});
      if (excluded) {
        log::info("wait", "reply UID {} in {} from {} matches the exclude pattern; skipped", hit.uid, hit.folder,
                  recipient);
        continue;
      }
      status.response = response_of(hit, **msg, params.fetch_attachments);
      break;
    }
    out.recipients.push_back(std::move(status));
  }
  return out;
}

}  // namespace emailv2::actions
