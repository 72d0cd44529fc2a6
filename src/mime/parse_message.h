#pragma once
// The parser: raw mail bytes → mime::Message (CONTRACT §4.1/§4.2, limits §6.3). Never fails and never throws: every
// fallback is a line in Message::parse_warnings, every cap hit sets Message::truncated. Linear in the input size;
// nothing is fetched from the network.
//
// Attached mails (message/rfc822, .eml, .msg, .ics/text/calendar, TNEF embedded messages) are parsed depth-first
// into Message::attached, depth ≤ limits::kAttachedMailDepth, ≤ limits::kAttachedMailsPerMessage in total; their
// own attachments appear only in their own Message.

#include <string_view>

#include "mime/message.h"

namespace emailv2::mime {

// RFC 5322 / MIME bytes (a .eml, an IMAP BODY[] literal, or only the header bytes of an over-limit message).
Message parse_message(std::string_view raw);

// An Outlook .msg file (CFB). A file that cannot be read yields a Message with parse_error set (and the hashes).
Message parse_outlook_msg(std::string_view bytes);

// Sniffs the bytes: a CFB signature → parse_outlook_msg, else parse_message (for `emailv2 parse FILE`).
Message parse_mail_file(std::string_view bytes);

bool looks_like_cfb(std::string_view bytes);

}  // namespace emailv2::mime
