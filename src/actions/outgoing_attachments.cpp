#include "actions/outgoing_attachments.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/allowed_paths.h"
#include "core/limits.h"
#include "core/text.h"
#include "core/unique_fd.h"

namespace emailv2::actions {
namespace {

Error cannot_read(const std::string& path, std::string_view reason) {
  return Error(ErrorCode::kIoError, "cannot read attachment " + text::echo_value(path) + ": " + std::string(reason));
}

Result<std::string> read_whole(int fd, const std::string& path, std::uint64_t expected, std::uint64_t max_bytes) {
  std::string data;
  data.reserve(static_cast<std::size_t>(expected));
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(cannot_read(path, std::strerror(errno)));
    if (n == 0) return data;
    data.append(buffer, static_cast<std::size_t>(n));
    // The file may grow between fstat and read: the limit holds for what is actually read.
    if (data.size() > max_bytes) {
      return fail(
          cannot_read(path, "larger than Max Message Size (" + std::to_string(max_bytes / limits::kMiB) + " MiB)"));
    }
  }
}

}  // namespace

AttachmentPolicy AttachmentPolicy::from(const mail::IntegrationConfig& config) {
  AttachmentPolicy p;
  p.max_bytes = static_cast<std::uint64_t>(config.max_message_mib) * limits::kMiB;
  p.allowed_paths = config.allowed_paths;
  return p;
}

Result<mime::OutgoingAttachment> load_attachment(const std::string& path, const AttachmentPolicy& policy) {
  if (path.find('\0') != std::string::npos) return fail(cannot_read(path, "the path contains a NUL character"));
  auto resolved = allowed_paths::check(path, policy.allowed_paths, "Attachment path");
  if (!resolved) {
    if (resolved.error().code() == ErrorCode::kPathNotAllowed) return fail(resolved.error());
    return fail(cannot_read(path, resolved.error().detail()));
  }
  UniqueFd fd(::open(resolved->c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0)
    return fail(cannot_read(path, errno == ELOOP ? "a symbolic link that cannot be resolved" : std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(cannot_read(path, std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) return fail(cannot_read(path, "not a regular file"));
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > policy.max_bytes) {
    return fail(cannot_read(
        path, "larger than Max Message Size (" + std::to_string(policy.max_bytes / limits::kMiB) + " MiB)"));
  }
  auto data = read_whole(fd.get(), path, size, policy.max_bytes);
  if (!data) return fail(data.error());
  mime::OutgoingAttachment a;
  a.file_name = resolved->filename().string();
  if (const auto given = std::filesystem::path(path).filename().string(); !given.empty()) a.file_name = given;
  a.data = std::move(*data);
  return a;
}

Result<std::vector<mime::OutgoingAttachment>> load_attachments(const std::vector<std::string>& paths,
                                                               const AttachmentPolicy& policy) {
  std::vector<mime::OutgoingAttachment> out;
  out.reserve(paths.size());
  for (const std::string& path : paths) {
    auto a = load_attachment(path, policy);
    if (!a) return fail(a.error());
    out.push_back(std::move(*a));
  }
  return out;
}

}  // namespace emailv2::actions
