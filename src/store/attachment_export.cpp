#include "store/attachment_export.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "store/content_digest.h"
#include "store/wall_repository.h"

namespace emailv2::store {
namespace {

Error io_error(const std::filesystem::path& path, std::string_view what, int err) {
  return Error(ErrorCode::kIoError, fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(err)));
}

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(io_error(path, "write", errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok();
}

}  // namespace

Result<ExportedAttachment> write_attachment_file(Database& db, AttachmentId id, const std::filesystem::path& out) {
  auto bytes = WallRepository(db).content(id);
  if (!bytes) return fail(bytes.error());
  if (!*bytes) return fail(ErrorCode::kParamInvalid, fmt::format("Attachment {} not found in the case store", id));

  // O_EXCL + O_NOFOLLOW: never overwrite, never write through a link planted at the path.
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return fail(io_error(out, "create", errno));
  Status written = write_all(fd, **bytes, out);
  if (written && ::fsync(fd) != 0) written = fail(io_error(out, "sync", errno));
  if (::close(fd) != 0 && written) written = fail(io_error(out, "close", errno));
  if (!written) {
    ::unlink(out.c_str());  // we created it (O_EXCL), so removing the partial file is safe
    return fail(written.error());
  }
  const ContentDigest d = digest_of(**bytes);
  return ExportedAttachment{out, d.size, d.sha256};
}

}  // namespace emailv2::store

