#pragma once
// The MIME structure of one message as plain values: its header fields and its leaf parts in MIME order, with the
// transfer-decoded bytes of each. This is the seam between GMime (gmime_tree.cpp, the only GObject code of the
// parser) and our derivation rules (parse_message.cpp).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mime/message.h"

namespace emailv2::mime {

struct MimeLeaf {
  std::string path;            // IMAP-style part number: "1", "2.1", …
  std::string content_type;    // raw Content-Type value, unfolded ("" when the part has none)
  std::string default_type;    // GMime's effective type when the header is missing or invalid, e.g. "text/plain"
  std::string disposition;     // raw Content-Disposition, unfolded
  std::string content_id;      // raw Content-ID, unfolded
  std::string parent_type;     // lower-case type of the enclosing multipart ("" at the top)
  bool is_message = false;     // message/rfc822 (and message/global, message/news): data = the embedded message
  bool opaque = false;         // a subtree beyond limits::kMimeDepth, kept whole
  std::string data;            // transfer-decoded bytes
};

struct MimeTree {
  bool parsed = false;                // false: GMime produced no message (data then is the whole input)
  std::vector<HeaderField> headers;   // top-level header fields in order (raw values, unfolded)
  std::string top_content_type;       // raw top-level Content-Type (message charset lookup)
  std::vector<MimeLeaf> leaves;
  std::vector<std::string> warnings;  // GMime's MIME defects and our caps
  bool truncated = false;
};

// Never fails; caps: limits::kMimeDepth, limits::kMimeParts, limits::kHeaderSectionBytes.
MimeTree read_mime_tree(std::string_view raw);

}  // namespace emailv2::mime
