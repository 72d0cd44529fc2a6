#pragma once
// Outlook .msg reader (MS-OXMSG over CFB): the fields of CONTRACT §4.2 ".msg property sources" as plain values.
// No GMime, no dependency on mime::Message: the MIME layer converts an OutlookMessage into its own types.
//
// Contract:
//  * `read_msg(bytes)`: bytes are the whole .msg file; the result owns all its data (nothing points into `bytes`).
//  * Errors (Result) only when the container cannot be read at all (not a CFB file, broken header, FAT or
//    directory: kProtocolError; oversized: kSizeLimit). Everything else — a missing or unreadable property, an
//    unknown code page, a broken attachment or recipient storage, a bad compressed RTF — is a best-effort value plus
//    a line in `warnings` (CONTRACT "parse liberally, report precisely").
//  * Embedded messages are read recursively to depth outlook_limits.h kMaxEmbeddedDepth (3, CONTRACT §6.3); deeper
//    ones stay attachments (bytes present, `message` null) and set `truncated`.
//  * Work is linear in the file size (CompoundFile's read budget).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace emailv2::mime::outlook {

enum class RecipientKind { kTo = 1, kCc = 2, kBcc = 3, kOther = 0 };

struct MsgRecipient {
  RecipientKind kind = RecipientKind::kTo;
  std::string display_name;
  std::string address;  // PR_SMTP_ADDRESS, else PR_EMAIL_ADDRESS (may be an Exchange DN; see warnings)
};

struct OutlookMessage;

struct MsgAttachment {
  std::string name;        // PR_ATTACH_LONG_FILENAME, else PR_ATTACH_FILENAME, else PR_DISPLAY_NAME; embedded
                           // messages: PR_DISPLAY_NAME or the subject, + ".msg"; "" when nothing names it
  std::string mime_tag;    // PR_ATTACH_MIME_TAG ("" when absent)
  std::string content_id;  // PR_ATTACH_CONTENT_ID, as stored (usually without <>)
  std::uint32_t method = 0;  // PR_ATTACH_METHOD (1 by value, 5 embedded message, 6 OLE, …)
  bool hidden = false;       // PR_ATTACHMENT_HIDDEN
  std::string data;          // the file's bytes; embedded message and OLE: the storage written as a .msg/CFB file
  bool is_message = false;   // an embedded message (method 5)
  std::shared_ptr<const OutlookMessage> message;  // its parsed content; null when too deep or unreadable
};

struct OutlookMessage {
  std::string message_class;  // PR_MESSAGE_CLASS, e.g. "IPM.Note"
  std::string subject;        // PR_SUBJECT
  std::string from_address;   // PR_SENDER_SMTP_ADDRESS, PR_SENDER_EMAIL_ADDRESS, PR_SENT_REPRESENTING_SMTP_ADDRESS…
  std::string from_name;      // PR_SENDER_NAME, else PR_SENT_REPRESENTING_NAME
  std::vector<MsgRecipient> recipients;  // recipient table order
  std::optional<std::int64_t> date_ms;   // PR_CLIENT_SUBMIT_TIME, else PR_MESSAGE_DELIVERY_TIME (epoch ms)
  std::string text_body;                 // PR_BODY (else text from the RTF body when that is all there is)
  std::string html_body;                 // PR_HTML, else HTML de-encapsulated from PR_RTF_COMPRESSED
  bool html_from_rtf = false;
  bool text_from_rtf = false;
  std::string rtf_body;                  // decompressed PR_RTF_COMPRESSED ("" when absent)
  std::string transport_headers;         // PR_TRANSPORT_MESSAGE_HEADERS, raw
  std::string message_id;                // PR_INTERNET_MESSAGE_ID, else Message-ID of the transport headers
  std::string header_date;               // Date of the transport headers, raw and unfolded ("" when absent)
  std::string in_reply_to;               // PR_IN_REPLY_TO_ID, else In-Reply-To of the transport headers
  std::uint32_t code_page = 0;           // code page used for PT_STRING8 values
  std::vector<MsgAttachment> attachments;
  std::vector<std::string> warnings;     // every fallback taken
  bool truncated = false;                // a cap was hit (depth, counts)
};

Result<OutlookMessage> read_msg(std::string_view bytes);

// Addresses of one recipient kind, in table order (empty addresses skipped).
std::vector<std::string> recipient_addresses(const OutlookMessage& message, RecipientKind kind);

}  // namespace emailv2::mime::outlook
