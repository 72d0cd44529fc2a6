#pragma once
// Writing a mail's attachments to disk (CONTRACT §6.4, §3.9): the one place that turns a mime::Attachment into a
// file, shared by Download Email Attachments and `emailv2 parse --attachments-out`.
//
// The original name stays metadata; the on-disk name is file_names::sanitise(mime::nfc(name)). The file is written
// by SafeDirectory::write_file (relative to the held directory fd, O_NOFOLLOW|O_EXCL temp file + fsync +
// rename-no-replace): nothing is ever overwritten or written through a link, an identical regular file already there
// is reused, any other clash gets ` (2)`, ` (3)`… before the extension. A hostile name can never leave `dir`.

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/safe_file_writer.h"
#include "mime/message.h"

namespace emailv2::actions {

// The §6.4 on-disk name for an original (metadata) name: NFC, then the sanitiser. Never empty, never "."/"..",
// no '/', no NUL, at most file_names::kMaxNameBytes bytes.
std::string disk_name(std::string_view original_name);

// Writes the attachment's bytes into `dir` under disk_name(attachment.name). IO_ERROR naming the path on failure
// (the temp file is removed).
Result<WrittenFile> write_attachment(const SafeDirectory& dir, const mime::Attachment& attachment);

}  // namespace emailv2::actions
