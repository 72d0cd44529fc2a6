#pragma once
// The Mail Object (CONTRACT §4.1): the JSON every action returns per mail and the connector flattens into events.
// Keys in the stable order of the §4.1 table/example; conditional keys only when they apply.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mime/forward.h"
#include "mime/message.h"

namespace emailv2::mime {

// What the Message itself cannot know: where and how it was fetched, and for whom.
struct MailContext {
  std::string email_uid;                       // UID in `folder`; "" for `parse`
  std::string folder;                          // decoded folder name; "" for `parse`
  std::optional<std::int64_t> internaldate_ms;  // INTERNALDATE (Date fallback)
  std::optional<std::string> received;         // INTERNALDATE as "Mon, 26 Aug 2019 10:20:15 +0000"
  std::vector<std::string> flags;              // IMAP flags at fetch time
  std::optional<std::size_t> size;             // RFC822.SIZE; default: the parsed byte length
  std::string mailbox;                         // Sender's Address (actions) or Username (connector)
  std::optional<std::string> environment;      // null in actions
  bool over_limit = false;                     // only the header bytes were fetched and parsed
  bool attach_original = false;                // connector's Attach Original EML: emit original_message
  std::string_view raw;                        // the raw bytes, for original_message (must outlive the call)
  std::optional<std::string> original_message_id;  // attached mails: the parent's message_id
  const ForwardRegexes* regexes = nullptr;     // connector override; null = ForwardRegexes::defaults()
};

// Builds the §4.1 object. Pure: same Message + context → byte-identical JSON.
nlohmann::ordered_json mail_object(const Message& msg, const MailContext& ctx);

// The context of an attached mail: the parent's uid, folder, mailbox, environment and regexes; received null;
// original_message_id = the parent's message_id.
MailContext attached_context(const MailContext& parent, const Message& parent_msg);

// Every attached mail of `msg`, depth-first, each with its own parent (for attached_context).
struct AttachedMail {
  const Message* message;
  const Message* parent;
};
std::vector<AttachedMail> attached_mails(const Message& msg);

// `a@x;b@y` style joins, de-duplicated case-insensitively, header order.
std::string join_addresses(const std::vector<const std::vector<Address>*>& lists, std::string_view sep);

}  // namespace emailv2::mime
