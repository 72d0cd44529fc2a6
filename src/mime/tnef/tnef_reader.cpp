#include "mime/tnef/tnef_reader.h"

#include "core/text.h"
#include "mime/outlook/byte_reader.h"
#include "mime/outlook/code_page.h"
#include "mime/outlook/compressed_rtf.h"
#include "mime/outlook/mapi_properties.h"
#include "mime/outlook/outlook_limits.h"
#include "mime/tnef/tnef_attributes.h"

namespace emailv2::mime::tnef {
namespace {

using outlook::ByteReader;
using outlook::PropertyBag;
namespace prop = outlook::prop;
namespace ptype = outlook::ptype;
namespace limits = outlook::limits;

constexpr std::size_t kSignatureBytes = 6;       // signature u32 + legacy key u16
constexpr std::size_t kAttributeHeaderBytes = 9;  // level u8 + id u32 + length u32
constexpr std::size_t kObjectInterfaceIdBytes = 16;

struct PendingAttachment {
  std::string title;
  std::string data;
  bool has_data = false;
  PropertyBag bag;
};

class TnefParser {
 public:
  explicit TnefParser(std::size_t depth) : depth_(depth) {}

  TnefContent parse(ByteReader& r) {
    std::size_t attributes = 0;
    while (!r.at_end()) {
      if (r.remaining() < kAttributeHeaderBytes) {
        warn("trailing bytes after the last attribute");
        break;
      }
      if (++attributes > limits::kMaxTnefAttributes) {
        warn("too many attributes; the rest ignored");
        content_.truncated = true;
        break;
      }
      const std::uint8_t level = r.u8();
      const std::uint32_t id = r.u32();
      const std::uint32_t length = r.u32();
      if (level != kLevelMessage && level != kLevelAttachment) {
        warn("garbage after the attributes (bad level byte)");
        break;
      }
      if (length > r.remaining()) {
        warn("attribute 0x" + hex(id) + " cut off");
        handle(level, id, r.take(r.remaining()));
        break;
      }
      const std::string_view data = r.take(length);
      if (r.remaining() < 2) {
        warn("attribute 0x" + hex(id) + " has no checksum");
      } else if (checksum(data) != r.u16()) {
        warn("attribute 0x" + hex(id) + " checksum mismatch");
      }
      handle(level, id, data);
    }
    finish_attachment();
    finish_message();
    return std::move(content_);
  }

 private:
  static std::string hex(std::uint32_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(8, '0');
    for (int i = 7; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
    return out;
  }

  static std::uint16_t checksum(std::string_view data) {
    std::uint32_t sum = 0;
    for (char c : data) sum += static_cast<unsigned char>(c);
    return static_cast<std::uint16_t>(sum & 0xFFFF);
  }

  void warn(std::string warning) {
    if (content_.warnings.size() < limits::kMaxWarnings) content_.warnings.push_back("TNEF: " + std::move(warning));
  }

  std::uint32_t code_page() const { return code_page_ == 0 ? outlook::kCodePageWindows1252 : code_page_; }

  std::string decode8(std::string_view bytes) {
    outlook::DecodedText decoded = outlook::decode_code_page(bytes, code_page());
    if (decoded.had_invalid || !decoded.code_page_known) lossy_ = true;
    return decoded.utf8;
  }

  void handle(std::uint8_t level, std::uint32_t id, std::string_view data) {
    if (level == kLevelAttachment) {
      handle_attachment(id, data);
      return;
    }
    switch (id) {
      case att::kOemCodepage:
        code_page_ = ByteReader(data).u32_at(0);
        break;
      case att::kMessageClass:
        content_.message_class = decode8(data);
        break;
      case att::kSubject:
        legacy_subject_ = decode8(data);
        break;
      case att::kBody:
        legacy_body_ = decode8(data);
        break;
      case att::kMapiProps:
        decode_props(data, message_bag_, "message");
        break;
      case att::kAttachRendData:  // some writers emit it at message level; it still opens an attachment
        handle_attachment(id, data);
        break;
      default:
        break;
    }
  }

  void handle_attachment(std::uint32_t id, std::string_view data) {
    if (id == att::kAttachRendData) {
      finish_attachment();
      current_ = PendingAttachment{};
      open_ = true;
      return;
    }
    if (!open_) {
      warn("attachment attribute before attAttachRendData");
      current_ = PendingAttachment{};
      open_ = true;
    }
    switch (id) {
      case att::kAttachTitle:
        current_.title = std::string(text::trim(decode8(data)));
        break;
      case att::kAttachData:
        current_.data.assign(data);
        current_.has_data = true;
        break;
      case att::kAttachment:
        decode_props(data, current_.bag, "attachment");
        break;
      default:
        break;
    }
  }

  void decode_props(std::string_view data, PropertyBag& bag, std::string_view what) {
    std::string error;
    if (!decode_mapi_properties(data, bag, error)) warn(std::string(what) + " properties: " + error);
  }

  std::string bag_text(const PropertyBag& bag, std::uint16_t id) {
    auto value = bag.non_empty_text(id, code_page(), &lossy_);
    return value ? std::string(text::trim(*value)) : std::string();
  }

  void finish_attachment() {
    if (!open_) return;
    open_ = false;
    if (content_.attachments.size() >= limits::kMaxAttachments) {
      warn("too many attachments; the rest ignored");
      content_.truncated = true;
      return;
    }
    TnefAttachment out;
    const PropertyBag& bag = current_.bag;
    out.name = bag_text(bag, prop::kAttachLongFilename);
    if (out.name.empty()) out.name = current_.title;
    if (out.name.empty()) out.name = bag_text(bag, prop::kAttachFilename);
    if (out.name.empty()) out.name = bag_text(bag, prop::kDisplayName);
    out.mime_tag = bag_text(bag, prop::kAttachMimeTag);
    out.content_id = bag_text(bag, prop::kAttachContentId);
    out.method = bag.u32(prop::kAttachMethod).value_or(outlook::attach_method::kByValue);
    out.data = std::move(current_.data);
    const outlook::MapiProperty* object = bag.find(prop::kAttachDataBinary);
    if (object != nullptr && (!current_.has_data || out.method == outlook::attach_method::kEmbeddedMessage)) {
      take_object(*object, out);
    }
    if (out.name.empty()) warn("attachment without a name");
    content_.attachments.push_back(std::move(out));
  }

  void take_object(const outlook::MapiProperty& object, TnefAttachment& out) {
    if (object.type != ptype::kObject) {
      out.data = object.bytes;
      return;
    }
    // PT_OBJECT: a 16-byte interface id, then the object. An embedded message is itself a TNEF stream and is
    // kept without the id; any other object (OLE) is kept whole, as other TNEF tools extract it.
    if (out.method != outlook::attach_method::kEmbeddedMessage) {
      out.data = object.bytes;
      return;
    }
    const std::string_view body = std::string_view(object.bytes).substr(
        std::min(object.bytes.size(), kObjectInterfaceIdBytes));
    out.data.assign(body);
    out.is_message = true;
    if (depth_ + 1 > limits::kMaxEmbeddedDepth) {
      warn("embedded message deeper than " + std::to_string(limits::kMaxEmbeddedDepth) + " not parsed");
      content_.truncated = true;
      return;
    }
    ByteReader inner(body);
    if (inner.u32() != kTnefSignature) {
      warn("embedded message object is not a TNEF stream");
      return;
    }
    inner.skip(2);
    auto nested = std::make_shared<TnefContent>(TnefParser(depth_ + 1).parse(inner));
    if (out.name.empty()) {
      out.name = nested->subject.empty() ? std::string() : nested->subject + ".msg";
    }
    out.message = std::move(nested);
  }

  void finish_message() {
    content_.code_page = code_page();
    const PropertyBag& bag = message_bag_;
    content_.subject = bag.text(prop::kSubject, code_page(), &lossy_).value_or(legacy_subject_);
    content_.text_body = bag.text(prop::kBody, code_page(), &lossy_).value_or(legacy_body_);
    if (const outlook::MapiProperty* html = bag.find(prop::kHtml)) {
      std::uint32_t html_cp = bag.u32(prop::kInternetCodePage).value_or(0);
      if (html_cp == 0) html_cp = outlook::is_valid_utf8(html->bytes) ? outlook::kCodePageUtf8 : code_page();
      content_.html_body = bag.text(prop::kHtml, html_cp, &lossy_).value_or("");
    }
    if (const std::string* rtf = bag.bytes(prop::kRtfCompressed)) {
      auto decompressed = outlook::decompress_rtf(*rtf);
      if (decompressed) {
        content_.rtf_body = std::move(decompressed->rtf);
        for (auto& w : decompressed->warnings) warn(std::move(w));
      } else {
        warn("PR_RTF_COMPRESSED unreadable: " + decompressed.error().detail());
      }
    }
    if (lossy_) warn("some 8-bit text was not valid in code page " + std::to_string(code_page()));
  }

  std::size_t depth_;
  TnefContent content_;
  PropertyBag message_bag_;
  PendingAttachment current_;
  bool open_ = false;
  std::uint32_t code_page_ = 0;
  std::string legacy_subject_;
  std::string legacy_body_;
  bool lossy_ = false;
};

}  // namespace

Result<TnefContent> read_tnef(std::string_view bytes) {
  if (bytes.size() < kSignatureBytes) return fail(ErrorCode::kProtocolError, "TNEF: shorter than its header");
  ByteReader r(bytes);
  if (r.u32() != kTnefSignature) return fail(ErrorCode::kProtocolError, "TNEF: bad signature");
  r.skip(2);  // legacy key
  return TnefParser(0).parse(r);
}

}  // namespace emailv2::mime::tnef
