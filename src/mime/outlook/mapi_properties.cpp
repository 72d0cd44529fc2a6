#include "mime/outlook/mapi_properties.h"

#include "core/text.h"
#include "mime/outlook/byte_reader.h"
#include "mime/outlook/code_page.h"

namespace emailv2::mime::outlook {
namespace {

constexpr std::string_view kSubstgPrefix = "__substg1.0_";
constexpr std::int64_t kFiletimeTicksPerMs = 10'000;
constexpr std::int64_t kUnixEpochAsFiletimeMs = 11'644'473'600'000;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void PropertyBag::set(MapiProperty property) {
  auto it = properties_.find(property.id);
  if (it != properties_.end() && it->second.type == ptype::kUnicode && property.type == ptype::kString8) return;
  properties_[property.id] = std::move(property);
}

const MapiProperty* PropertyBag::find(std::uint16_t id) const {
  auto it = properties_.find(id);
  return it == properties_.end() ? nullptr : &it->second;
}

std::optional<std::string> PropertyBag::text(std::uint16_t id, std::uint32_t code_page, bool* lossy) const {
  const MapiProperty* p = find(id);
  if (p == nullptr) return std::nullopt;
  if (p->type == ptype::kUnicode) return utf16le_to_utf8(p->bytes);
  if (p->type == ptype::kString8 || p->type == ptype::kBinary) {
    DecodedText decoded = decode_code_page(p->bytes, code_page);
    if (lossy != nullptr && (decoded.had_invalid || !decoded.code_page_known)) *lossy = true;
    return std::move(decoded.utf8);
  }
  return std::nullopt;
}

std::optional<std::string> PropertyBag::non_empty_text(std::uint16_t id, std::uint32_t code_page, bool* lossy) const {
  auto value = text(id, code_page, lossy);
  if (!value || text::trim(*value).empty()) return std::nullopt;
  return value;
}

std::optional<std::uint32_t> PropertyBag::u32(std::uint16_t id) const {
  const MapiProperty* p = find(id);
  if (p == nullptr) return std::nullopt;
  if (p->type == ptype::kInt32 || p->type == ptype::kError) return static_cast<std::uint32_t>(p->fixed);
  if (p->type == ptype::kInt16 || p->type == ptype::kBoolean) return static_cast<std::uint32_t>(p->fixed & 0xFFFF);
  return std::nullopt;
}

std::optional<std::int64_t> PropertyBag::epoch_ms(std::uint16_t id) const {
  const MapiProperty* p = find(id);
  if (p == nullptr || p->type != ptype::kSysTime || p->fixed == 0) return std::nullopt;
  return filetime_to_epoch_ms(p->fixed);
}

const std::string* PropertyBag::bytes(std::uint16_t id) const {
  const MapiProperty* p = find(id);
  if (p == nullptr || is_fixed_size_type(p->type)) return nullptr;
  return &p->bytes;
}

bool is_fixed_size_type(std::uint16_t type) { return fixed_type_width(type) != 0; }

std::size_t fixed_type_width(std::uint16_t type) {
  switch (type) {
    case ptype::kInt16:
    case ptype::kBoolean:
      return 2;
    case ptype::kInt32:
    case ptype::kFloat:
    case ptype::kError:
      return 4;
    case ptype::kDouble:
    case ptype::kCurrency:
    case ptype::kAppTime:
    case ptype::kInt64:
    case ptype::kSysTime:
      return 8;
    default:
      return 0;
  }
}

std::int64_t filetime_to_epoch_ms(std::uint64_t filetime) {
  return static_cast<std::int64_t>(filetime / kFiletimeTicksPerMs) - kUnixEpochAsFiletimeMs;
}

std::size_t parse_fixed_properties(std::string_view stream, std::size_t header_size, PropertyBag& bag) {
  if (stream.size() < header_size) return 0;
  ByteReader r(stream.substr(header_size));
  std::size_t count = 0;
  while (r.remaining() >= 16) {
    const std::uint32_t tag = r.u32();
    r.skip(4);  // flags
    const std::uint64_t value = r.u64();
    const auto type = static_cast<std::uint16_t>(tag & 0xFFFF);
    if (!is_fixed_size_type(type)) continue;
    bag.set(MapiProperty{static_cast<std::uint16_t>(tag >> 16), type, value, {}});
    ++count;
  }
  return count;
}

bool parse_substg_name(std::string_view name, std::uint16_t& id, std::uint16_t& type) {
  if (name.size() != kSubstgPrefix.size() + 8 || !text::istarts_with_ascii(name, kSubstgPrefix)) return false;
  std::uint32_t tag = 0;
  for (char c : name.substr(kSubstgPrefix.size())) {
    const int v = hex_value(c);
    if (v < 0) return false;
    tag = (tag << 4) | static_cast<std::uint32_t>(v);
  }
  id = static_cast<std::uint16_t>(tag >> 16);
  type = static_cast<std::uint16_t>(tag & 0xFFFF);
  return (type & ptype::kMultiValued) == 0;
}

}  // namespace emailv2::mime::outlook
