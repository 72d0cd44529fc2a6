#pragma once
// Where the bytes of an outgoing message come from during DATA. The session pulls chunks, so a large message (spooled
// to a file by the MIME builder) is never held in memory whole.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace emailv2::smtp {

class MessageSource {
 public:
  virtual ~MessageSource() = default;
  // Total bytes the source will yield (before CRLF normalisation and dot-stuffing): used for SIZE= and the limits.
  virtual std::uint64_t size() const = 0;
  // Copies the next 1..buffer.size() bytes; returns 0 at the end. Errors: IO_ERROR.
  virtual Result<std::size_t> read(std::span<char> buffer) = 0;
};

// Bytes owned elsewhere; the view must outlive the send() call.
class StringMessageSource final : public MessageSource {
 public:
  explicit StringMessageSource(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  Result<std::size_t> read(std::span<char> buffer) override;

 private:
  std::string_view bytes_;
  std::size_t offset_ = 0;
};

// A regular file, read sequentially. open() fails with IO_ERROR naming the path.
class FileMessageSource final : public MessageSource {
 public:
  static Result<std::unique_ptr<FileMessageSource>> open(const std::filesystem::path& path);
  ~FileMessageSource() override;
  FileMessageSource(const FileMessageSource&) = delete;
  FileMessageSource& operator=(const FileMessageSource&) = delete;
  std::uint64_t size() const override { return size_; }
  Result<std::size_t> read(std::span<char> buffer) override;

 private:
  FileMessageSource(std::FILE* file, std::uint64_t size, std::filesystem::path path)
      : file_(file), size_(size), path_(std::move(path)) {}
  std::FILE* file_;
  std::uint64_t size_;
  std::filesystem::path path_;
};

}  // namespace emailv2::smtp
