#include "imap/body.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace emailv2::imap {
namespace {

std::filesystem::path default_spool_dir() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? std::filesystem::path(tmp) : std::filesystem::path("/tmp");
}

Error io_error(const std::string& what, const std::filesystem::path& path) {
  return Error(ErrorCode::kIoError, what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Body::~Body() {
  if (fd_ >= 0) ::close(fd_);
}

Body::Body(Body&& other) noexcept
    : size_(other.size_), memory_(std::move(other.memory_)), path_(std::move(other.path_)), fd_(other.fd_) {
  other.path_.clear();
  other.size_ = 0;
  other.fd_ = -1;
}

Body& Body::operator=(Body&& other) noexcept {
  if (this != &other) {
    Body dying(std::move(*this));
    size_ = other.size_;
    memory_ = std::move(other.memory_);
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    other.path_.clear();
    other.size_ = 0;
    other.fd_ = -1;
  }
  return *this;
}

Result<std::string> Body::read_all() const {
  if (fd_ < 0) return memory_;
  std::string out(static_cast<std::size_t>(size_), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + got, out.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(io_error("cannot read spool file", path_));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got != out.size()) return fail(ErrorCode::kIoError, "spool file " + path_.string() + " was truncated");
  return out;
}

Result<BodyWriter> BodyWriter::start(std::uint64_t declared, std::size_t memory_limit,
                                     const std::filesystem::path& spool_dir) {
  BodyWriter w;
  if (declared <= memory_limit) {
    w.body_.memory_.reserve(static_cast<std::size_t>(declared));
    return w;
  }
  const std::filesystem::path dir = spool_dir.empty() ? default_spool_dir() : spool_dir;
  std::string pattern = (dir / "emailv2-imap-XXXXXX").string();
  w.fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (w.fd_ < 0) return fail(io_error("cannot create spool file in", dir));
  w.body_.path_ = pattern;
  // Unlinked at once: the bytes live only as long as the descriptor, so no crash can leave them on disk.
  if (::unlink(pattern.c_str()) != 0) return fail(io_error("cannot unlink spool file", pattern));
  return w;
}

BodyWriter::BodyWriter(BodyWriter&& other) noexcept : body_(std::move(other.body_)), fd_(other.fd_) {
  other.fd_ = -1;
}

BodyWriter& BodyWriter::operator=(BodyWriter&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    body_ = std::move(other.body_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

BodyWriter::~BodyWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status BodyWriter::append(std::string_view chunk) {
  body_.size_ += chunk.size();
  if (fd_ < 0) {
    body_.memory_.append(chunk);
    return ok();
  }
  while (!chunk.empty()) {
    const ssize_t n = ::write(fd_, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(io_error("cannot write spool file", body_.path_));
    chunk.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok();
}

Result<Body> BodyWriter::finish() {
  body_.fd_ = fd_;  // the Body owns the unlinked file from here on
  fd_ = -1;
  return std::move(body_);
}

}  // namespace emailv2::imap
