#pragma once
// TNEF attribute ids (MS-OXTNEF 2.1.3.1: id in the low word, type in the high word) and the decoder of the
// MAPI property lists carried by attMAPIProps and attAttachment.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mime/outlook/mapi_properties.h"

namespace emailv2::mime::tnef {

namespace att {
constexpr std::uint32_t kFrom = 0x00008000;
constexpr std::uint32_t kSubject = 0x00018004;
constexpr std::uint32_t kDateSent = 0x00038005;
constexpr std::uint32_t kDateReceived = 0x00038006;
constexpr std::uint32_t kMessageClass = 0x00078008;
constexpr std::uint32_t kMessageId = 0x00018009;
constexpr std::uint32_t kBody = 0x0002800C;
constexpr std::uint32_t kAttachData = 0x0006800F;
constexpr std::uint32_t kAttachTitle = 0x00018010;
constexpr std::uint32_t kAttachMetaFile = 0x00068011;
constexpr std::uint32_t kAttachRendData = 0x00069002;
constexpr std::uint32_t kMapiProps = 0x00069003;
constexpr std::uint32_t kRecipTable = 0x00069004;
constexpr std::uint32_t kAttachment = 0x00069005;
constexpr std::uint32_t kTnefVersion = 0x00089006;
constexpr std::uint32_t kOemCodepage = 0x00069007;
}  // namespace att

constexpr std::uint8_t kLevelMessage = 1;
constexpr std::uint8_t kLevelAttachment = 2;

// Decodes an attMAPIProps / attAttachment value into `bag` (named properties are skipped, multi-valued ones
// ignored, single-valued variable ones keep their first value). Returns false, with a reason in `error`, when the
// list is malformed; properties decoded before that point stay in the bag.
bool decode_mapi_properties(std::string_view data, outlook::PropertyBag& bag, std::string& error);

}  // namespace emailv2::mime::tnef
