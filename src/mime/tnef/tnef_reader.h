#pragma once
// TNEF (winmail.dat, application/ms-tnef; MS-OXTNEF) reader: the attachments packed inside, plus the message-level
// subject and bodies when present. Plain values; the MIME layer turns `attachments` into its own attachments.
//
// Contract:
//  * `read_tnef(bytes)`: bytes are the whole TNEF stream; the result owns its data.
//  * Errors (kProtocolError) only when the signature is wrong or the stream is shorter than its header. A checksum
//    mismatch, an attribute cut off, trailing garbage, an unparsable MAPI property list or an unknown code page is a
//    warning; everything read up to that point is kept.
//  * An embedded message attachment (PR_ATTACH_DATA_OBJ with method 5) keeps its bytes (the embedded TNEF stream,
//    without the 16-byte interface id) in `data` and is read recursively into `message` up to depth 3
//    (CONTRACT §6.3); deeper ones set `truncated`. The 89-byte attAttachData placeholder such attachments carry
//    ("This attachment is a MAPI 1.0 embedded message…") is dropped. Any other PT_OBJECT (OLE, method 6) is kept
//    whole, interface id included, as tnef(1) extracts it.
//  * Work is linear in the input size; counts are capped (outlook_limits.h).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace emailv2::mime::tnef {

struct TnefContent;

struct TnefAttachment {
  std::string name;        // PR_ATTACH_LONG_FILENAME, else attAttachTitle, else PR_ATTACH_FILENAME, else
                           // PR_DISPLAY_NAME; "" when nothing names it (the caller names it per CONTRACT §4.2)
  std::string data;        // attAttachData, else PR_ATTACH_DATA_BIN / PR_ATTACH_DATA_OBJ
  std::string mime_tag;    // PR_ATTACH_MIME_TAG
  std::string content_id;  // PR_ATTACH_CONTENT_ID
  std::uint32_t method = 1;  // PR_ATTACH_METHOD (1 by value, 5 embedded message, 6 OLE)
  bool is_message = false;   // an embedded message object
  std::shared_ptr<const TnefContent> message;  // its content, when is_message and within depth
};

struct TnefContent {
  std::string message_class;  // attMessageClass, e.g. "IPM.Microsoft Mail.Note"
  std::string subject;        // PR_SUBJECT, else attSubject
  std::string text_body;      // PR_BODY, else attBody
  std::string html_body;      // PR_HTML, as UTF-8
  std::string rtf_body;       // PR_RTF_COMPRESSED, decompressed (raw RTF bytes)
  std::uint32_t code_page = 0;  // attOemCodepage (8-bit strings), 1252 when absent
  std::vector<TnefAttachment> attachments;  // in stream order
  std::vector<std::string> warnings;
  bool truncated = false;
};

constexpr std::uint32_t kTnefSignature = 0x223E9F78;

Result<TnefContent> read_tnef(std::string_view bytes);

}  // namespace emailv2::mime::tnef
