#pragma once
// The value types every layer above mime/ sees: a parsed mail, its addresses and attachments. No GMime type ever
// appears here. Values own all their bytes; nothing points into the raw message.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace emailv2::mime {

// One mailbox of an address header. `address` is the addr-spec as found (local@domain, never angle brackets);
// `name` is the decoded display name (UTF-8), "" when absent. Groups are flattened into their members.
struct Address {
  std::string name;
  std::string address;

  friend bool operator==(const Address&, const Address&) = default;
};

// One raw header field, in header order. `value` is unfolded (CRLF + WSP → WSP) but not decoded.
struct HeaderField {
  std::string name;
  std::string value;
};

// One entry of the Mail Object's `attachments` (CONTRACT §4.1/§4.2), in MIME order.
struct Attachment {
  std::string name;                       // decoded, never empty (deterministic name for unnamed parts)
  std::string content_type;               // lower-case "type/subtype"
  std::string disposition;                // "attachment", "inline" or "" when the part had none
  std::optional<std::string> content_id;  // without <>, as found
  std::string data;                       // transfer-decoded bytes
  std::string md5, sha1, sha256;          // lower-case hex of `data`
  bool is_email = false;                  // attached mail (.eml, message/rfc822, .msg, .ics)
  std::string part_path;                  // MIME part path, e.g. "1.2"; "html:N" for data-URI images
};

// A parsed mail. Produced by parse_message(); every fallback taken is a line in parse_warnings, never a failure.
struct Message {
  std::optional<std::string> message_id;   // unfolded, trimmed, <> as found
  std::optional<std::string> date_header;  // raw Date, unfolded
  std::optional<std::int64_t> date_ms;     // Date as epoch ms (tz-aware); nullopt when missing/invalid
  std::string raw_subject;                 // decoded, unstripped
  std::vector<Address> from, to, cc, bcc, reply_to;
  std::optional<std::string> in_reply_to;  // first <…> token of In-Reply-To
  std::string references;                  // raw References, unfolded
  std::vector<HeaderField> headers;        // every header field of the top level, in order

  std::string text_body;  // the message's own text/plain parts (+ report parts), decoded, joined "\n"
  std::string html_body;  // the message's own text/html parts, decoded, joined "\n"
  std::string body;       // text_body, else html_body rendered to text

  std::vector<Attachment> attachments;  // MIME order, then data-URI images
  std::vector<std::string> urls;        // §4.2 URL rule, at most limits::kUrlsPerMessage
  bool is_forward = false;

  // Attached mails (depth-first, depth ≤ limits::kAttachedMailDepth, ≤ limits::kAttachedMailsPerMessage in total);
  // attachment_index is the 1-based index of the carrying entry of the *parent's* attachments.
  std::vector<Message> attached;
  std::size_t attachment_index = 0;

  std::size_t size = 0;            // byte length of the raw input
  std::string sha256;              // SHA-256 hex of the raw input
  bool truncated = false;          // a §6.3 cap was hit
  std::optional<std::string> parse_error;  // set when the input could not be read as a mail at all (.msg, .ics)
  std::vector<std::string> parse_warnings;
};

}  // namespace emailv2::mime
