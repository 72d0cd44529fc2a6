#pragma once
// `emailv2 cases attachment ID --out FILE`: writes one wall attachment's bytes to FILE, which must not exist yet.
// The file is created with open(O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600): an existing file, a dangling
// or live symlink, or anything else at that path is refused (IO_ERROR naming the path) and left untouched. A short
// write (ENOSPC, EIO) removes the partial file and returns IO_ERROR.

#include <filesystem>

#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::store {

struct ExportedAttachment {
  std::filesystem::path path;
  std::int64_t size = 0;
  std::string sha256;
};

// PARAM_INVALID `Attachment <id> not found in the case store` when there is no such attachment.
Result<ExportedAttachment> write_attachment_file(Database& db, AttachmentId id, const std::filesystem::path& out);

}  // namespace emailv2::store
