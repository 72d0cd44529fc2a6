#include "mime/tnef/tnef_attributes.h"

#include "mime/outlook/byte_reader.h"
#include "mime/outlook/outlook_limits.h"

namespace emailv2::mime::tnef {
namespace {

using outlook::ByteReader;
using outlook::MapiProperty;
namespace ptype = outlook::ptype;
namespace limits = outlook::limits;

constexpr std::uint16_t kNamedPropertyFirstId = 0x8000;
constexpr std::uint16_t kTypeNull = 0x0001;

bool is_variable(std::uint16_t base) {
  return base == ptype::kString8 || base == ptype::kUnicode || base == ptype::kBinary || base == ptype::kObject ||
         base == ptype::kServerId || base == ptype::kRestriction || base == ptype::kRuleAction;
}

std::size_t fixed_width(std::uint16_t base) {
  if (base == ptype::kClsid) return 16;
  if (base == kTypeNull) return 4;
  return outlook::fixed_type_width(base);
}

// Reads one value of `base` type; variable values are size-prefixed and padded to 4 bytes.
bool read_value(ByteReader& r, std::uint16_t base, MapiProperty& out) {
  if (is_variable(base)) {
    const std::uint32_t size = r.u32();
    if (r.failed() || size > r.remaining()) return false;
    out.bytes.assign(r.take(size));
    r.align(0, 4);
    return !r.failed();
  }
  const std::size_t width = fixed_width(base);
  if (width == 0) return false;
  const std::string_view raw = r.take(width);
  if (r.failed()) return false;
  ByteReader v(raw);
  out.fixed = width >= 8 ? v.u64_at(0) : width == 4 ? v.u32_at(0) : v.u16_at(0);
  r.align(0, 4);
  return !r.failed();
}

}  // namespace

bool decode_mapi_properties(std::string_view data, outlook::PropertyBag& bag, std::string& error) {
  ByteReader r(data);
  const std::uint32_t count = r.u32();
  if (r.failed()) {
    error = "MAPI property list cut off";
    return false;
  }
  if (count > limits::kMaxMapiPropertiesPerAttribute) {
    error = "too many MAPI properties";
    return false;
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint16_t type = r.u16();
    const std::uint16_t id = r.u16();
    if (id >= kNamedPropertyFirstId) {
      r.skip(16);  // property set GUID
      const std::uint32_t kind = r.u32();
      if (kind == 0) {
        r.skip(4);
      } else {
        const std::uint32_t length = r.u32();
        r.skip(length);
        r.align(0, 4);
      }
    }
    const auto base = static_cast<std::uint16_t>(type & ~ptype::kMultiValued);
    const bool multi = (type & ptype::kMultiValued) != 0;
    std::uint32_t values = 1;
    if (multi || is_variable(base)) values = r.u32();
    if (r.failed()) {
      error = "MAPI property list cut off";
      return false;
    }
    if (values > limits::kMaxMapiValuesPerProperty || values > r.remaining()) {
      error = "MAPI property with an impossible value count";
      return false;
    }
    MapiProperty first{id, base, 0, {}};
    for (std::uint32_t k = 0; k < values; ++k) {
      MapiProperty value{id, base, 0, {}};
      if (!read_value(r, base, value)) {
        error = "MAPI property value malformed (type 0x" + std::to_string(base) + ")";
        return false;
      }
      if (k == 0) first = std::move(value);
    }
    if (!multi && values > 0 && id < kNamedPropertyFirstId) bag.set(std::move(first));
  }
  return true;
}

}  // namespace emailv2::mime::tnef
