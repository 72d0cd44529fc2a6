#pragma once
// Shared between the parser's files (parse_message.cpp, message_parts.cpp, attached_mail.cpp); not a public API.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mime/message.h"

namespace emailv2::mime::tnef {
struct TnefContent;
}

namespace emailv2::mime::detail {

// A message embedded in a TNEF attachment, waiting to become an attached mail (`index`: 1-based attachment entry).
struct TnefMail {
  std::size_t index = 0;
  std::shared_ptr<const tnef::TnefContent> content;
};

struct ParseContext {
  std::size_t mail_depth = 0;          // 0 = the message itself; attached mails are 1..kAttachedMailDepth
  std::size_t* attached_count = nullptr;  // attached mails created so far in the whole tree
  std::string known_sha256;               // SHA-256 of the bytes when the caller already has it (attached mails)
};

Message parse_rfc822(std::string_view raw, ParseContext& ctx);
Message parse_msg(std::string_view bytes, ParseContext& ctx);

// Builds one attachment entry: hashes, and the §4.2 name rules (RFC 2231/2047 name, ".<subtype>" when it has no
// dot, deterministic names for unnamed parts from `message_sha256` and `part_path`).
Attachment make_attachment(std::string name, std::string content_type, std::string disposition,
                           std::string content_id, std::string data, const std::string& message_sha256,
                           const std::string& part_path);

// True for the attached-mail rule of §4.2 (message/rfc822, text/calendar, final extension .eml/.msg/.ics).
bool is_attached_mail(std::string_view content_type, std::string_view name);

// After bodies and attachments are set: data-URI images of the html body become attachments, then body (text_body,
// else the rendered html), url_N and is_forward.
void finish_message(Message& msg);

// Parses every is_email attachment of `msg` into msg.attached, then the TNEF-embedded messages, within the depth
// and count caps.
void parse_attached_mails(Message& msg, ParseContext& ctx, const std::vector<TnefMail>& tnef_mails = {});

// Control characters escaped (\r \n \t \0 \xNN), for names kept as metadata.
std::string escape_controls(std::string_view s);

}  // namespace emailv2::mime::detail
