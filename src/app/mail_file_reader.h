#pragma once
// Reads a local mail file for `parse` with the message-size rule of CONTRACT §6.3: a file up to `max_bytes` is read
// whole; a larger one is never loaded — only its header section (at most the §6.3 header cap plus one read block)
// is read, and the caller builds a headers-only Mail Object with `over_limit: true`, exactly as the actions do for an
// oversized message on the server. Memory stays bounded whatever the file's size.
//
// Errors: IO_ERROR `cannot read "<path>": <reason>` (missing, unreadable, not a regular file), SIZE_LIMIT for an
// oversized Outlook .msg (a compound file has no header section to fall back to).

#include <cstddef>
#include <string>

#include "core/result.h"

namespace emailv2::app {

struct MailFile {
  std::string bytes;           // the whole file, or its header section when over_limit
  std::size_t file_size = 0;   // the size on disk
  bool over_limit = false;
};

Result<MailFile> read_mail_file(const std::string& path, std::size_t max_bytes);

// The header section of `prefix`: the bytes up to and including the first empty line (CRLF or LF), or all of
// `prefix` when it holds no empty line.
std::string header_section(std::string_view prefix);

}  // namespace emailv2::app
