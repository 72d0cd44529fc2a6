#include "app/mail_file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/limits.h"
#include "core/text.h"
#include "core/unique_fd.h"
#include "mime/parse_message.h"

namespace emailv2::app {
namespace {

constexpr std::size_t kReadBlock = 64 * limits::kKiB;

Error read_error(const std::string& path, int err) {
  return Error(ErrorCode::kIoError, "cannot read " + text::echo_value(path) + ": " + std::strerror(err));
}

// Reads up to `want` bytes (fewer at end of file).
Result<std::string> read_up_to(int fd, std::size_t want, const std::string& path) {
  std::string out;
  out.resize(want);
  std::size_t got = 0;
  while (got < want) {
    const ssize_t n = ::read(fd, out.data() + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(read_error(path, errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

}  // namespace

std::string header_section(std::string_view prefix) {
  std::size_t line_start = 0;
  while (line_start < prefix.size()) {
    const std::size_t eol = prefix.find('\n', line_start);
    if (eol == std::string_view::npos) break;
    const std::string_view line = prefix.substr(line_start, eol - line_start);
    if (line.empty() || line == "\r") return std::string(prefix.substr(0, eol + 1));
    line_start = eol + 1;
  }
  return std::string(prefix);
}

Result<MailFile> read_mail_file(const std::string& path, std::size_t max_bytes) {
  const int raw_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (raw_fd < 0) return fail(read_error(path, errno));
  const UniqueFd fd(raw_fd);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(read_error(path, errno));
  if (!S_ISREG(st.st_mode)) {
    return fail(ErrorCode::kIoError, "cannot read " + text::echo_value(path) + ": not a regular file");
  }
  MailFile file;
  file.file_size = static_cast<std::size_t>(st.st_size);
  if (file.file_size <= max_bytes) {
    auto bytes = read_up_to(fd.get(), file.file_size, path);
    if (!bytes) return fail(bytes.error());
    file.bytes = std::move(*bytes);
    return file;
  }
  auto prefix = read_up_to(fd.get(), limits::kHeaderSectionBytes + kReadBlock, path);
  if (!prefix) return fail(prefix.error());
  if (mime::looks_like_cfb(*prefix)) {
    return fail(ErrorCode::kSizeLimit, "File " + text::echo_value(path) + " is " + std::to_string(file.file_size) +
                                           " bytes, over the Max Message Size of " + std::to_string(max_bytes) +
                                           " bytes; an Outlook .msg has no header section to parse alone");
  }
  file.bytes = header_section(*prefix);
  file.over_limit = true;
  return file;
}

}  // namespace emailv2::app
