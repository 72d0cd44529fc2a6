#pragma once
// Writing attachment files without ever overwriting or following a link (CONTRACT §6.4, §3.9).
//
// A SafeDirectory holds an open directory fd; every file and subdirectory is created relative to it with
// O_NOFOLLOW, so a name can never escape the directory, whatever symlinks are planted in it. Names passed in must
// already be sanitised (core/file_names.h); a name containing '/' or equal to "."/".." is refused (PARAM_INVALID).
//
// write_file(name, bytes):
//  * candidate names are `name`, then `name (2)`, `name (3)`… (file_names::with_clash_suffix);
//  * a candidate taken by a regular, single-linked file with the same SHA-256 is reused (nothing written);
//  * a candidate taken by anything else — other content, a directory, a symlink (even dangling), a hardlinked file,
//    a FIFO — moves on to the next suffix;
//  * bytes go to a temp file (`.emailv2-<uuid>.tmp`, O_CREAT|O_EXCL|O_NOFOLLOW, mode 0640), are fsync'ed, then moved
//    into place with renameat2(RENAME_NOREPLACE) (linkat + unlinkat where the filesystem lacks it), so a name that
//    appears between the check and the move is never overwritten — the next suffix is tried;
//  * the temp file is removed on every error path; errors are IO_ERROR naming the path.
// Not thread-safe per object; several processes writing into one directory are safe (no overwrite, no loss).

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace emailv2 {

// Clash suffixes tried before giving up with IO_ERROR.
constexpr unsigned kMaxClashSuffix = 10'000;

struct WrittenFile {
  std::filesystem::path path;  // directory path / final name
  std::string name;            // final on-disk name (with clash suffix, if any)
  bool reused = false;         // an identical file was already there; nothing was written
};

class SafeDirectory {
 public:
  // Opens `path` (following symlinks in the path the user chose), creating missing components with `mode`
  // when `create` is true. IO_ERROR when it is not a directory or cannot be created/opened.
  static Result<SafeDirectory> open(const std::filesystem::path& path, bool create, mode_t mode = 0750);

  SafeDirectory(SafeDirectory&& other) noexcept;
  SafeDirectory& operator=(SafeDirectory&& other) noexcept;
  SafeDirectory(const SafeDirectory&) = delete;
  SafeDirectory& operator=(const SafeDirectory&) = delete;
  ~SafeDirectory();

  // The subdirectory `name` (mkdirat 0750 when missing, then openat O_DIRECTORY|O_NOFOLLOW). When `name` is taken by
  // something that is not a real directory (a file, a symlink), `name (2)`, `name (3)`… are tried.
  Result<SafeDirectory> subdirectory(std::string_view name) const;

  // Writes `bytes` under `name` by the rules above.
  Result<WrittenFile> write_file(std::string_view name, std::string_view bytes) const;

  const std::filesystem::path& path() const { return path_; }

 private:
  SafeDirectory(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}

  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace emailv2
