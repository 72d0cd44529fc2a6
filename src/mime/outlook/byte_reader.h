#pragma once
// Little-endian reads over a byte view for the binary Outlook formats (CFB, MAPI property streams, TNEF).
// Two styles: `*_at(offset)` reads at a fixed offset and yields 0 past the end (for fixed-size records whose
// length was checked once); the cursor reads (`u32()`, `take(n)`) advance and set a sticky `failed()` flag instead
// of reading past the end, so a parser checks once after a group of reads (go-imap's sticky-error style).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace emailv2::mime::outlook {

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  std::uint8_t u8_at(std::size_t offset) const {
    return offset < bytes_.size() ? static_cast<std::uint8_t>(bytes_[offset]) : 0;
  }
  std::uint16_t u16_at(std::size_t offset) const {
    return static_cast<std::uint16_t>(u8_at(offset) | (u8_at(offset + 1) << 8));
  }
  std::uint32_t u32_at(std::size_t offset) const {
    return static_cast<std::uint32_t>(u16_at(offset)) | (static_cast<std::uint32_t>(u16_at(offset + 2)) << 16);
  }
  std::uint64_t u64_at(std::size_t offset) const {
    return static_cast<std::uint64_t>(u32_at(offset)) | (static_cast<std::uint64_t>(u32_at(offset + 4)) << 32);
  }

  std::uint8_t u8() { return static_cast<std::uint8_t>(advance(1) ? u8_at(pos_ - 1) : 0); }
  std::uint16_t u16() { return advance(2) ? u16_at(pos_ - 2) : 0; }
  std::uint32_t u32() { return advance(4) ? u32_at(pos_ - 4) : 0; }
  std::uint64_t u64() { return advance(8) ? u64_at(pos_ - 8) : 0; }
  // The next n bytes, or an empty view (and failed()) when fewer remain.
  std::string_view take(std::size_t n) { return advance(n) ? bytes_.substr(pos_ - n, n) : std::string_view{}; }
  void skip(std::size_t n) { advance(n); }
  // Skips to the next multiple of `alignment` counted from `origin`.
  void align(std::size_t origin, std::size_t alignment) {
    const std::size_t used = pos_ - origin;
    if (used % alignment != 0) skip(alignment - used % alignment);
  }

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  bool at_end() const { return pos_ >= bytes_.size(); }
  bool failed() const { return failed_; }

 private:
  bool advance(std::size_t n) {
    if (failed_ || n > bytes_.size() - pos_) {
      failed_ = true;
      return false;
    }
    pos_ += n;
    return true;
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace emailv2::mime::outlook
