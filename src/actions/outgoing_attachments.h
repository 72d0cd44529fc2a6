#pragma once
// Local files attached by the sending actions (CONTRACT §3.0 "Attachment paths", §2 Allowed Paths). Every path is
// checked and read BEFORE any connection is opened, so an unreadable file means nothing is sent [fix] (O skipped
// unreadable files silently and sent the mail anyway).
//
// For each path, in order (the first failure wins and nothing else is read):
//  1. Allowed Paths (when configured): the path must resolve, after symlinks, inside one of them, else
//     PATH_NOT_ALLOWED (exit 64) — see core/allowed_paths.h.
//  2. It is opened read-only without following a final symlink (the resolved path has none), without blocking on a
//     FIFO, and must be a regular file no larger than Max Message Size.
//  3. Its bytes are read whole; the file name is the path's last component (UTF-8 as on disk).
// Errors other than 1: IO_ERROR `cannot read attachment <path>: <reason>` with <path> as the user gave it (control
// characters escaped) and <reason> one of: the OS error text (e.g. "No such file or directory", "Permission
// denied"), "not a regular file", "larger than Max Message Size (<n> MiB)".

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "mail/integration_config.h"
#include "mime/build_message.h"

namespace emailv2::actions {

struct AttachmentPolicy {
  std::uint64_t max_bytes = 50ULL * 1024 * 1024;  // Max Message Size in bytes
  std::vector<std::string> allowed_paths;         // empty: unrestricted

  static AttachmentPolicy from(const mail::IntegrationConfig& config);
};

// One file, checked and read per the rules above.
Result<mime::OutgoingAttachment> load_attachment(const std::string& path, const AttachmentPolicy& policy);

// Every path in order; the first error stops the whole list.
Result<std::vector<mime::OutgoingAttachment>> load_attachments(const std::vector<std::string>& paths,
                                                               const AttachmentPolicy& policy);

}  // namespace emailv2::actions
