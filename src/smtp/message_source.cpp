#include "smtp/message_source.h"

#include <cerrno>
#include <cstring>
#include <system_error>

namespace emailv2::smtp {

Result<std::size_t> StringMessageSource::read(std::span<char> buffer) {
  const std::size_t n = std::min(buffer.size(), bytes_.size() - offset_);
  bytes_.copy(buffer.data(), n, offset_);
  offset_ += n;
  return n;
}

Result<std::unique_ptr<FileMessageSource>> FileMessageSource::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(ErrorCode::kIoError, "cannot read message " + path.string() + ": not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::kIoError, "cannot read message " + path.string() + ": " + ec.message());
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return fail(ErrorCode::kIoError, "cannot read message " + path.string() + ": " + std::strerror(errno));
  }
  return std::unique_ptr<FileMessageSource>(new FileMessageSource(file, size, path));
}

FileMessageSource::~FileMessageSource() {
  std::fclose(file_);
}

Result<std::size_t> FileMessageSource::read(std::span<char> buffer) {
  const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file_);
  if (n == 0 && std::ferror(file_) != 0) {
    return fail(ErrorCode::kIoError, "cannot read message " + path_.string() + ": read error");
  }
  return n;
}

}  // namespace emailv2::smtp
