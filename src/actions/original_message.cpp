#include "actions/original_message.h"

#include "actions/folder_list.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/text.h"
#include "mime/parse_message.h"

namespace emailv2::actions {
namespace {

// Fetches one UID whole; nullopt when it vanished between SEARCH and FETCH.
Result<std::optional<mime::Message>> fetch_one(mail::MailStore& store, const std::string& folder, std::uint32_t uid,
                                               std::string_view message_id, std::uint64_t max_message_bytes,
                                               Deadline deadline) {
  std::optional<mime::Message> parsed;
  auto report = store.fetch_messages(
      folder, {uid}, max_message_bytes,
      [&](mail::StoredMessage&& m) -> Status {
        if (m.over_limit) {
          return fail(ErrorCode::kSizeLimit, "the message " + text::echo_value(message_id) + " is " +
                                                 std::to_string(m.metadata.size) +
                                                 " bytes, larger than Max Message Size (" +
                                                 std::to_string(max_message_bytes / limits::kMiB) + " MiB)");
        }
        auto bytes = m.bytes.read_all();
        if (!bytes) return fail(bytes.error());
        parsed = mime::parse_message(*bytes);
        return ok();
      },
      deadline);
  if (!report) return fail(report.error());
  if (!parsed) log::warn("send", "UID {} in folder {} vanished before it could be fetched", uid, folder);
  return parsed;
}

}  // namespace

Result<std::optional<OriginalMessage>> find_original(mail::MailStore& store, const std::vector<std::string>& folders,
                                                     std::string_view message_id, std::uint64_t max_message_bytes,
                                                     Deadline deadline) {
  const std::vector<std::string> list = mailbox::unique_folders(folders);
  EMAILV2_TRY(mailbox::check_folders(store, list, mail::Access::kReadOnly, deadline));
  for (const std::string& folder : list) {
    auto uids = store.find_by_message_id(folder, message_id, deadline);
    if (!uids) return fail(uids.error());
    for (std::uint32_t uid : *uids) {  // ascending: the lowest UID that still exists wins
      auto message = fetch_one(store, folder, uid, message_id, max_message_bytes, deadline);
      if (!message) return fail(message.error());
      if (*message) return OriginalMessage{folder, uid, std::move(**message)};
    }
  }
  return std::optional<OriginalMessage>{};
}

Result<std::optional<OriginalMessage>> find_original_and_close(mail::MailStore& store,
                                                               const std::vector<std::string>& folders,
                                                               std::string_view message_id,
                                                               std::uint64_t max_message_bytes, Deadline deadline) {
  auto original = find_original(store, folders, message_id, max_message_bytes, deadline);
  if (auto closed = store.close(deadline); !closed) log::debug("send", "IMAP close: {}", closed.error().to_string());
  return original;
}

}  // namespace emailv2::actions
