#pragma once
// Outgoing mail per CONTRACT §3.0 "Outgoing MIME": headers in order (Date, From, To, Cc, Subject, Message-ID,
// In-Reply-To, References, MIME-Version), multipart/mixed ⊃ related ⊃ alternative (text/plain rendered from the HTML,
// text/html as given), <cstImage> inline images, base64 attachments with RFC 2231 + RFC 2047 names, QP UTF-8 text,
// CRLF, lines ≤ 998 bytes, single-child containers collapsed. Bcc never appears in the headers.
//
// Errors: PARAM_INVALID when CR, LF or NUL appears in any value that would become a header (subject, names,
// addresses, file names, Content-IDs, Message-IDs) — nothing is emitted; PARAM_MISSING without From address or
// recipients.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace emailv2::mime {

struct OutgoingAttachment {
  std::string file_name;                       // UTF-8 (a path's basename); "" allowed for inline images
  std::string data;                            // raw bytes
  std::string content_type = "application/octet-stream";
  std::optional<std::string> content_id;       // without <>; set for inline parts (cid: links)
  bool is_inline = false;                      // goes to multipart/related with Content-Disposition: inline
};

struct OutgoingMail {
  std::string from_name;     // Sender's Display Name (may be non-ASCII)
  std::string from_address;  // Sender's Address
  std::vector<std::string> to, cc, bcc;  // addr-specs
  std::string subject;
  std::string html;          // Content (HTML), sent as given
  std::vector<OutgoingAttachment> attachments;  // forwarded parts first, then local files
  std::optional<std::string> in_reply_to;       // "<id>"
  std::optional<std::string> references;        // "<a> <b>"
};

struct BuildOptions {
  std::int64_t now_ms = 0;            // the Date header instant
  int utc_offset_minutes = 0;
  std::string message_id_random;      // 32 lower-case hex; "" = from OpenSSL RAND_bytes
};

struct BuiltMessage {
  std::string bytes;                 // the whole message, CRLF line ends
  std::string message_id;            // "<hex.epoch@domain>"
  std::string date_header;
  std::int64_t date_ms = 0;
  std::vector<std::string> envelope_recipients;  // To ∪ Cc ∪ Bcc, de-duplicated case-insensitively, in order
  bool needs_smtputf8 = false;       // a non-ASCII address
};

Result<BuiltMessage> build_message(const OutgoingMail& mail, const BuildOptions& options);

}  // namespace emailv2::mime
