#include "mime/outlook/compressed_rtf.h"

#include <array>
#include <cstdint>

#include "mime/outlook/byte_reader.h"
#include "mime/outlook/outlook_limits.h"

namespace emailv2::mime::outlook {
namespace {

constexpr std::uint32_t kTypeCompressed = 0x75465A4C;    // "LZFu"
constexpr std::uint32_t kTypeUncompressed = 0x414C454D;  // "MELA"
constexpr std::size_t kHeaderBytes = 16;
constexpr std::size_t kDictionarySize = 4096;
constexpr std::string_view kInitialDictionary =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
    "\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
    "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

const std::array<std::uint32_t, 256>& crc_table() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

// The LZ77 loop: control bytes hold 8 flags (LSB first); a set flag is a 2-byte big-endian reference
// (12-bit dictionary offset, 4-bit length - 2), a clear flag a literal. A reference to the write position ends.
void inflate(std::string_view data, std::size_t limit, DecompressedRtf& out) {
  std::array<char, kDictionarySize> dictionary{};
  std::copy(kInitialDictionary.begin(), kInitialDictionary.end(), dictionary.begin());
  std::size_t write = kInitialDictionary.size();
  std::size_t in = 0;
  auto emit = [&](char c) {
    out.rtf += c;
    dictionary[write] = c;
    write = (write + 1) % kDictionarySize;
  };
  while (in < data.size()) {
    const auto control = static_cast<unsigned char>(data[in++]);
    for (int bit = 0; bit < 8; ++bit) {
      if (out.rtf.size() >= limit) return;
      if ((control & (1u << bit)) == 0) {
        if (in >= data.size()) return;
        emit(data[in++]);
        continue;
      }
      if (in + 2 > data.size()) {
        out.warnings.push_back("compressed RTF: reference cut off at the end of the data");
        return;
      }
      const std::uint32_t token = (static_cast<unsigned char>(data[in]) << 8) | static_cast<unsigned char>(data[in + 1]);
      in += 2;
      const std::size_t offset = token >> 4;
      const std::size_t length = (token & 0xF) + 2;
      if (offset == write) return;  // end marker
      for (std::size_t k = 0; k < length && out.rtf.size() < limit; ++k) emit(dictionary[(offset + k) % kDictionarySize]);
    }
  }
  out.warnings.push_back("compressed RTF: no end marker");
}

}  // namespace

std::uint32_t rtf_crc32(std::string_view bytes) {
  const auto& table = crc_table();
  std::uint32_t crc = 0;
  for (char c : bytes) crc = table[(crc ^ static_cast<unsigned char>(c)) & 0xFF] ^ (crc >> 8);
  return crc;
}

Result<DecompressedRtf> decompress_rtf(std::string_view compressed) {
  if (compressed.size() < kHeaderBytes) return fail(ErrorCode::kProtocolError, "compressed RTF: header cut off");
  ByteReader header(compressed);
  const std::uint32_t comp_size = header.u32_at(0);
  const std::uint32_t raw_size = header.u32_at(4);
  const std::uint32_t type = header.u32_at(8);
  const std::uint32_t crc = header.u32_at(12);
  DecompressedRtf out;
  std::string_view data = compressed.substr(kHeaderBytes);
  const std::size_t declared_data = comp_size >= 12 ? comp_size - 12u : 0;
  if (declared_data < data.size()) {
    data = data.substr(0, declared_data);
  } else if (declared_data > data.size()) {
    out.warnings.push_back("compressed RTF: shorter than its declared size");
  }
  const std::size_t limit = std::min<std::size_t>(raw_size, limits::kMaxRtfBytes);
  if (raw_size > limits::kMaxRtfBytes) out.warnings.push_back("compressed RTF: declared size over the cap, cut");
  if (type == kTypeUncompressed) {
    out.rtf.assign(data.substr(0, std::min(limit, data.size())));
    return out;
  }
  if (type != kTypeCompressed) return fail(ErrorCode::kProtocolError, "compressed RTF: unknown compression type");
  if (rtf_crc32(data) != crc) out.warnings.push_back("compressed RTF: CRC mismatch");
  out.rtf.reserve(std::min<std::size_t>(limit, 16 * data.size() + 64));
  inflate(data, limit, out);
  if (out.rtf.size() < raw_size && raw_size <= limits::kMaxRtfBytes) {
    out.warnings.push_back("compressed RTF: fewer bytes than declared");
  }
  return out;
}

}  // namespace emailv2::mime::outlook
