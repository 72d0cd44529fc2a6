#include "core/safe_file_writer.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>

#include "core/file_names.h"
#include "core/unique_fd.h"

namespace emailv2 {
namespace {

namespace fs = std::filesystem;

tl::unexpected<Error> io_error(const std::string& what, const fs::path& path, int err) {
  return fail(ErrorCode::kIoError, what + " " + path.string() + ": " + std::strerror(err));
}

bool valid_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

using Digest = std::array<unsigned char, 32>;

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// SHA-256 of `bytes`, or of everything readable from `fd` when bytes is null. False on any failure.
bool sha256(const std::string_view* bytes, int fd, Digest& out) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return false;
  if (bytes != nullptr) {
    if (EVP_DigestUpdate(ctx.get(), bytes->data(), bytes->size()) != 1) return false;
  } else {
    std::array<char, 65536> buf{};
    for (;;) {
      const ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      if (n == 0) break;
      if (EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n)) != 1) return false;
    }
  }
  unsigned int len = 0;
  return EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1 && len == out.size();
}

// Whether `name` in dirfd is a regular, single-linked file whose content hashes to `want`. Opened with
// O_NOFOLLOW|O_NONBLOCK so a symlink or FIFO planted there is neither followed nor blocks us.
bool same_regular_file(int dirfd, const std::string& name, std::size_t size, const Digest& want) {
  UniqueFd fd(::openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return false;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) return false;
  if (static_cast<std::size_t>(st.st_size) != size) return false;
  Digest have{};
  return sha256(nullptr, fd.get(), have) && have == want;
}

Status write_all(int fd, std::string_view bytes, const fs::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot write", path, errno);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd) != 0) return io_error("cannot fsync", path, errno);
  return ok();
}

// Moves tmp to name without ever replacing an existing entry. Returns false (errno EEXIST) when name is taken.
bool move_no_replace(int dirfd, const std::string& tmp, const std::string& name) {
  if (::renameat2(dirfd, tmp.c_str(), dirfd, name.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  if (::linkat(dirfd, tmp.c_str(), dirfd, name.c_str(), 0) != 0) return false;
  ::unlinkat(dirfd, tmp.c_str(), 0);
  return true;
}

// The temp file, removed when the object dies unless it was moved into place.
class TempFile {
 public:
  TempFile(int dirfd, std::string name) : dirfd_(dirfd), name_(std::move(name)) {}
  ~TempFile() {
    if (!moved_) ::unlinkat(dirfd_, name_.c_str(), 0);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& name() const { return name_; }
  void mark_moved() { moved_ = true; }

 private:
  int dirfd_;
  std::string name_;
  bool moved_ = false;
};

Status create_missing_dirs(const fs::path& path, mode_t mode) {
  fs::path prefix;
  for (const fs::path& part : path) {
    prefix /= part;
    if (::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) return io_error("cannot create", prefix, errno);
  }
  return ok();
}

}  // namespace

Result<SafeDirectory> SafeDirectory::open(const fs::path& path, bool create, mode_t mode) {
  if (path.empty()) return fail(ErrorCode::kIoError, "empty directory path");
  if (create) EMAILV2_TRY(create_missing_dirs(path, mode));
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open directory", path, errno);
  return SafeDirectory(fd, path);
}

SafeDirectory::SafeDirectory(SafeDirectory&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

SafeDirectory& SafeDirectory::operator=(SafeDirectory&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

SafeDirectory::~SafeDirectory() {
  if (fd_ >= 0) ::close(fd_);
}

Result<SafeDirectory> SafeDirectory::subdirectory(std::string_view name) const {
  if (!valid_name(name)) return fail(ErrorCode::kParamInvalid, "unsafe directory name");
  for (unsigned n = 1; n <= kMaxClashSuffix; ++n) {
    const std::string candidate = file_names::with_clash_suffix(name, n);
    if (::mkdirat(fd_, candidate.c_str(), 0750) != 0 && errno != EEXIST) {
      return io_error("cannot create directory", path_ / candidate, errno);
    }
    const int fd = ::openat(fd_, candidate.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) return SafeDirectory(fd, path_ / candidate);
    if (errno != ELOOP && errno != ENOTDIR) return io_error("cannot open directory", path_ / candidate, errno);
  }
  return fail(ErrorCode::kIoError, "no free directory name for " + (path_ / std::string(name)).string());
}

Result<WrittenFile> SafeDirectory::write_file(std::string_view name, std::string_view bytes) const {
  if (!valid_name(name)) return fail(ErrorCode::kParamInvalid, "unsafe file name");
  Digest want{};
  if (!sha256(&bytes, -1, want)) return fail(ErrorCode::kInternal, "SHA-256 failed");

  TempFile tmp(fd_, ".emailv2-" + file_names::random_uuid() + ".tmp");
  {
    UniqueFd fd(::openat(fd_, tmp.name().c_str(), O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0640));
    if (fd.get() < 0) {
      tmp.mark_moved();  // never created: nothing of ours to remove
      return io_error("cannot create", path_ / tmp.name(), errno);
    }
    EMAILV2_TRY(write_all(fd.get(), bytes, path_ / tmp.name()));
  }
  for (unsigned n = 1; n <= kMaxClashSuffix; ++n) {
    const std::string candidate = file_names::with_clash_suffix(name, n);
    struct stat st {};
    if (::fstatat(fd_, candidate.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
      if (same_regular_file(fd_, candidate, bytes.size(), want)) return WrittenFile{path_ / candidate, candidate, true};
      continue;
    }
    if (errno != ENOENT) return io_error("cannot inspect", path_ / candidate, errno);
    if (move_no_replace(fd_, tmp.name(), candidate)) {
      tmp.mark_moved();
      ::fsync(fd_);
      return WrittenFile{path_ / candidate, candidate, false};
    }
    if (errno != EEXIST) return io_error("cannot move into place", path_ / candidate, errno);
  }
  return fail(ErrorCode::kIoError, "no free file name for " + (path_ / std::string(name)).string());
}

}  // namespace emailv2
