#include "actions/attachment_files.h"

#include "core/file_names.h"
#include "mime/nfc.h"

namespace emailv2::actions {

std::string disk_name(std::string_view original_name) { return file_names::sanitise(mime::nfc(original_name)); }

Result<WrittenFile> write_attachment(const SafeDirectory& dir, const mime::Attachment& attachment) {
  return dir.write_file(disk_name(attachment.name), attachment.data);
}

}  // namespace emailv2::actions
