#pragma once
// A message an action fetched from a MailStore, parsed, with what the Mail Object (CONTRACT §4.1) needs to know
// about where it came from. Shared by the read-only actions that fetch whole messages (Save, Download).

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "mail/integration_config.h"
#include "mail/mail_store.h"
#include "mime/mail_object.h"
#include "mime/message.h"

namespace emailv2::actions {

struct FetchedMail {
  std::string folder;              // as the user named it
  mail::MessageMetadata metadata;  // UID, flags, INTERNALDATE, RFC822.SIZE
  bool over_limit = false;         // only the header section was fetched (Max Message Size)
  std::string raw;                 // the bytes fetched (the header section when over_limit)
  mime::Message message;           // parse of `raw`
};

// Reads the stored message's bytes (memory or spool file) and parses them. IO_ERROR when a spool file is unreadable.
Result<FetchedMail> read_fetched_mail(std::string_view folder, mail::StoredMessage&& stored);

// The §4.1 Mail Object of a fetched message (context: actions/mail_objects.h mail_context, with `raw`).
nlohmann::ordered_json mail_object(const FetchedMail& mail, const mail::IntegrationConfig& config);

// Max Message Size in bytes (the fetch limit of §6.3).
std::uint64_t max_message_bytes(const mail::IntegrationConfig& config);

}  // namespace emailv2::actions
