#pragma once
// MAPI property tags used by the .msg and TNEF readers, a property bag, and the decoding of the fixed-size entries
// of a .msg `__properties_version1.0` stream (MS-OXMSG 2.4). Pure code over bytes.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace emailv2::mime::outlook {

namespace ptype {
constexpr std::uint16_t kInt16 = 0x0002;
constexpr std::uint16_t kInt32 = 0x0003;
constexpr std::uint16_t kFloat = 0x0004;
constexpr std::uint16_t kDouble = 0x0005;
constexpr std::uint16_t kCurrency = 0x0006;
constexpr std::uint16_t kAppTime = 0x0007;
constexpr std::uint16_t kError = 0x000A;
constexpr std::uint16_t kBoolean = 0x000B;
constexpr std::uint16_t kObject = 0x000D;
constexpr std::uint16_t kInt64 = 0x0014;
constexpr std::uint16_t kString8 = 0x001E;
constexpr std::uint16_t kUnicode = 0x001F;
constexpr std::uint16_t kSysTime = 0x0040;
constexpr std::uint16_t kClsid = 0x0048;
constexpr std::uint16_t kServerId = 0x00FB;
constexpr std::uint16_t kRestriction = 0x00FD;
constexpr std::uint16_t kRuleAction = 0x00FE;
constexpr std::uint16_t kBinary = 0x0102;
constexpr std::uint16_t kMultiValued = 0x1000;
}  // namespace ptype

namespace prop {
constexpr std::uint16_t kMessageClass = 0x001A;
constexpr std::uint16_t kSubject = 0x0037;
constexpr std::uint16_t kClientSubmitTime = 0x0039;
constexpr std::uint16_t kSentRepresentingName = 0x0042;
constexpr std::uint16_t kSentRepresentingEmailAddress = 0x0065;
constexpr std::uint16_t kTransportMessageHeaders = 0x007D;
constexpr std::uint16_t kSenderName = 0x0C1A;
constexpr std::uint16_t kSenderEmailAddress = 0x0C1F;
constexpr std::uint16_t kRecipientType = 0x0C15;
constexpr std::uint16_t kMessageDeliveryTime = 0x0E06;
constexpr std::uint16_t kBody = 0x1000;
constexpr std::uint16_t kRtfCompressed = 0x1009;
constexpr std::uint16_t kHtml = 0x1013;
constexpr std::uint16_t kInternetMessageId = 0x1035;
constexpr std::uint16_t kInReplyToId = 0x1042;
constexpr std::uint16_t kDisplayName = 0x3001;
constexpr std::uint16_t kAddressType = 0x3002;
constexpr std::uint16_t kEmailAddress = 0x3003;
constexpr std::uint16_t kAttachDataBinary = 0x3701;  // PR_ATTACH_DATA_BIN / PR_ATTACH_DATA_OBJ (type 000D)
constexpr std::uint16_t kAttachEncoding = 0x3702;
constexpr std::uint16_t kAttachExtension = 0x3703;
constexpr std::uint16_t kAttachFilename = 0x3704;
constexpr std::uint16_t kAttachMethod = 0x3705;
constexpr std::uint16_t kAttachLongFilename = 0x3707;
constexpr std::uint16_t kAttachPathname = 0x3708;
constexpr std::uint16_t kAttachLongPathname = 0x370D;
constexpr std::uint16_t kAttachMimeTag = 0x370E;
constexpr std::uint16_t kAttachContentId = 0x3712;
constexpr std::uint16_t kAttachContentLocation = 0x3713;
constexpr std::uint16_t kAttachFlags = 0x3714;
constexpr std::uint16_t kSmtpAddress = 0x39FE;
constexpr std::uint16_t kInternetCodePage = 0x3FDE;
constexpr std::uint16_t kMessageCodePage = 0x3FFD;
constexpr std::uint16_t kSenderSmtpAddress = 0x5D01;
constexpr std::uint16_t kSentRepresentingSmtpAddress = 0x5D02;
constexpr std::uint16_t kAttachmentHidden = 0x7FFE;
}  // namespace prop

namespace attach_method {
constexpr std::uint32_t kNone = 0;
constexpr std::uint32_t kByValue = 1;
constexpr std::uint32_t kByReference = 2;
constexpr std::uint32_t kByRefResolve = 3;
constexpr std::uint32_t kByRefOnly = 4;
constexpr std::uint32_t kEmbeddedMessage = 5;
constexpr std::uint32_t kOle = 6;
constexpr std::uint32_t kByWebReference = 7;
}  // namespace attach_method

// One single-valued property. Fixed-size types keep their 8 value bytes in `fixed` (little-endian);
// variable-size types (strings, binary, object) keep their bytes in `bytes`.
struct MapiProperty {
  std::uint16_t id = 0;
  std::uint16_t type = 0;
  std::uint64_t fixed = 0;
  std::string bytes;
};

// Properties by id. When a string property exists both as PT_UNICODE and PT_STRING8, PT_UNICODE wins.
class PropertyBag {
 public:
  void set(MapiProperty property);
  const MapiProperty* find(std::uint16_t id) const;
  bool has(std::uint16_t id) const { return find(id) != nullptr; }
  std::size_t size() const { return properties_.size(); }

  // A string property as UTF-8: PT_UNICODE decoded from UTF-16LE, PT_STRING8 from `code_page`, PT_BINARY taken as
  // bytes in `code_page`. `lossy` (optional) is set when bytes had to be replaced or the code page was unknown.
  std::optional<std::string> text(std::uint16_t id, std::uint32_t code_page, bool* lossy = nullptr) const;
  // A non-empty text value, else nullopt.
  std::optional<std::string> non_empty_text(std::uint16_t id, std::uint32_t code_page, bool* lossy = nullptr) const;
  std::optional<std::uint32_t> u32(std::uint16_t id) const;
  // PT_SYSTIME as milliseconds since the Unix epoch.
  std::optional<std::int64_t> epoch_ms(std::uint16_t id) const;
  // The raw bytes of a variable-size property.
  const std::string* bytes(std::uint16_t id) const;

 private:
  std::map<std::uint16_t, MapiProperty> properties_;
};

// True for the types whose value lives in the 8 bytes of a property-stream entry.
bool is_fixed_size_type(std::uint16_t type);
// Byte width of a fixed-size type's value in TNEF encoding (before padding to 4), or 0 for variable types.
std::size_t fixed_type_width(std::uint16_t type);

// FILETIME (100 ns ticks since 1601-01-01 UTC) to milliseconds since the Unix epoch.
std::int64_t filetime_to_epoch_ms(std::uint64_t filetime);

// Adds the fixed-size properties of a `__properties_version1.0` stream whose header is `header_size` bytes
// (32 top-level message, 24 embedded message, 8 recipient or attachment). Returns the number of entries read.
std::size_t parse_fixed_properties(std::string_view stream, std::size_t header_size, PropertyBag& bag);

// Parses `__substg1.0_TTTTTTTT` (T = hex tag, id then type). False for any other name, incl. multi-value items.
bool parse_substg_name(std::string_view name, std::uint16_t& id, std::uint16_t& type);

}  // namespace emailv2::mime::outlook
