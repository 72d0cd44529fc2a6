#pragma once
// Composition helpers of the sending actions: <cstImage> inline images (O§3.7), the Forward block (CONTRACT §3.3)
// and Thread Reply headers (CONTRACT §3.10).

#include <string>
#include <string_view>
#include <vector>

#include "mime/build_message.h"
#include "mime/message.h"

namespace emailv2::mime {

// Every `<cstImage cid="X" base64Image="…">` of the HTML as an inline part (Content-ID X; type sniffed:
// png/jpeg/gif, else image/png). Tags with a missing cid or invalid base64 are skipped. The HTML is not changed.
std::vector<OutgoingAttachment> cst_images(std::string_view html);

// "image/png", "image/jpeg" or "image/gif" from magic bytes; else "image/png".
std::string sniff_image_type(std::string_view bytes);

// Content + "<br><br>" + the forward block (values HTML-escaped) + the original html_body, or its text_body
// HTML-escaped with newlines → <br> when it has no HTML.
std::string forward_html(std::string_view content, const Message& original);

// "Mon, Aug 26, 2019 at 3:20 AM -0700" of the original's Date header (its own offset); the raw header when it
// does not parse; "" without one.
std::string forward_date(const Message& original);

// The original's direct attachments as outgoing parts (same-name files kept; inline parts keep their Content-ID).
std::vector<OutgoingAttachment> forward_attachments(const Message& original);

// "Re: " + raw_subject unless it already starts with "Re:" (case-insensitive).
std::string reply_subject(std::string_view raw_subject);

struct ThreadHeaders {
  std::string in_reply_to;  // "<orig id>"
  std::string references;   // the original's References + "<orig id>"
};
// Empty strings when the original has no Message-ID.
ThreadHeaders thread_headers(const Message& original);

}  // namespace emailv2::mime
