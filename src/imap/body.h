#pragma once
// A fetched message body (a FETCH literal): in memory up to limits::kImapLiteralMemoryBytes, else in a spool file
// that is unlinked as soon as it is created and lives on only through the Body's open descriptor: it disappears
// when the Body dies or the process does (even by SIGKILL), and mail content is never left behind in the spool
// directory. Filled chunk by chunk as the literal arrives (BodyWriter), so memory stays flat however large the
// message.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/limits.h"
#include "core/result.h"

namespace emailv2::imap {

class Body {
 public:
  Body() = default;
  ~Body();
  Body(Body&&) noexcept;
  Body& operator=(Body&&) noexcept;
  Body(const Body&) = delete;
  Body& operator=(const Body&) = delete;

  std::uint64_t size() const { return size_; }
  bool spooled() const { return fd_ >= 0; }
  // The bytes when in memory (empty when spooled).
  const std::string& memory() const { return memory_; }
  // The name the spool file had when it was created (already unlinked: for messages only).
  const std::filesystem::path& path() const { return path_; }
  // All bytes, read back from the spool when needed. IO_ERROR on a read failure.
  Result<std::string> read_all() const;

 private:
  friend class BodyWriter;
  std::uint64_t size_ = 0;
  std::string memory_;
  std::filesystem::path path_;
  int fd_ = -1;  // the unlinked spool file, read with pread
};

// Writes one Body. `declared` is the literal size, already checked against the literal cap: above
// `memory_limit` the bytes go to a spool file in `spool_dir` (default: $TMPDIR or /tmp).
class BodyWriter {
 public:
  static Result<BodyWriter> start(std::uint64_t declared,
                                  std::size_t memory_limit = limits::kImapLiteralMemoryBytes,
                                  const std::filesystem::path& spool_dir = {});
  BodyWriter(BodyWriter&&) noexcept;
  BodyWriter& operator=(BodyWriter&&) noexcept;
  ~BodyWriter();

  Status append(std::string_view chunk);  // IO_ERROR (disk full...) with the spool path
  Result<Body> finish();

 private:
  BodyWriter() = default;
  Body body_;
  int fd_ = -1;
};

}  // namespace emailv2::imap
