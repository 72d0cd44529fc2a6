#include "mime/outlook/msg_reader.h"

#include <algorithm>
#include <array>

#include "core/text.h"
#include "mime/outlook/code_page.h"
#include "mime/outlook/compound_file.h"
#include "mime/outlook/compound_writer.h"
#include "mime/outlook/compressed_rtf.h"
#include "mime/outlook/mapi_properties.h"
#include "mime/outlook/outlook_limits.h"
#include "mime/outlook/rtf_decapsulate.h"
#include "mime/outlook/transport_headers.h"

namespace emailv2::mime::outlook {
namespace {

constexpr std::string_view kPropertiesStream = "__properties_version1.0";
constexpr std::string_view kRecipientPrefix = "__recip_version1.0_#";
constexpr std::string_view kAttachmentPrefix = "__attach_version1.0_#";
constexpr std::string_view kEmbeddedStorage = "__substg1.0_3701000D";
constexpr std::string_view kNameIdStorage = "__nameid_version1.0";
constexpr std::size_t kTopLevelHeader = 32;
constexpr std::size_t kEmbeddedHeader = 24;
constexpr std::size_t kChildHeader = 8;

// Variable-size properties the reader uses; other __substg1.0_ streams are never read.
constexpr std::array kWanted{
    prop::kMessageClass,        prop::kSubject,           prop::kSentRepresentingName,
    prop::kSentRepresentingEmailAddress, prop::kTransportMessageHeaders, prop::kSenderName,
    prop::kSenderEmailAddress,  prop::kBody,              prop::kRtfCompressed,
    prop::kHtml,                prop::kInternetMessageId, prop::kInReplyToId,
    prop::kDisplayName,         prop::kAddressType,       prop::kEmailAddress,
    prop::kAttachDataBinary,    prop::kAttachExtension,   prop::kAttachFilename,
    prop::kAttachLongFilename,  prop::kAttachMimeTag,     prop::kAttachContentId,
    prop::kSmtpAddress,         prop::kSenderSmtpAddress, prop::kSentRepresentingSmtpAddress};

bool wanted(std::uint16_t id) { return std::find(kWanted.begin(), kWanted.end(), id) != kWanted.end(); }

class Warnings {
 public:
  explicit Warnings(std::vector<std::string>& out) : out_(out) {}
  void add(std::string warning) {
    if (out_.size() < limits::kMaxWarnings) {
      out_.push_back(std::move(warning));
    } else {
      ++dropped_;
    }
  }
  // Records how many warnings the cap dropped; call once, last.
  void finish() {
    if (dropped_ > 0) out_.push_back(std::to_string(dropped_) + " more .msg warnings dropped");
    dropped_ = 0;
  }
  Warnings(const Warnings&) = delete;
  Warnings& operator=(const Warnings&) = delete;

 private:
  std::vector<std::string>& out_;
  std::size_t dropped_ = 0;
};

bool has_suffix_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && text::iequals_ascii(s.substr(s.size() - suffix.size()), suffix);
}

bool looks_like_smtp(std::string_view address) {
  return address.find('@') != std::string_view::npos && address.front() != '/';
}

class MsgParser {
 public:
  explicit MsgParser(const CompoundFile& file) : file_(file) {}

  OutlookMessage parse(const CfbEntry& storage, std::size_t header_size, std::size_t depth,
                       std::uint32_t inherited_code_page) {
    OutlookMessage msg;
    Warnings warnings(msg.warnings);
    PropertyBag bag = load_bag(storage, header_size, warnings, "message");
    msg.code_page = choose_code_page(bag, inherited_code_page, warnings);
    bool lossy = false;
    const std::uint32_t cp = msg.code_page;
    msg.message_class = bag.text(prop::kMessageClass, cp, &lossy).value_or("");
    msg.subject = bag.text(prop::kSubject, cp, &lossy).value_or("");
    msg.transport_headers = bag.text(prop::kTransportMessageHeaders, cp, &lossy).value_or("");
    read_identity(bag, msg, warnings, lossy);
    read_sender(bag, msg, warnings, lossy);
    read_date(bag, msg, warnings);
    read_bodies(bag, msg, warnings, lossy);
    read_recipients(storage, msg, warnings, lossy);
    read_attachments(storage, msg, warnings, depth);
    if (lossy) warnings.add("some 8-bit text was not valid in code page " + std::to_string(cp));
    warnings.finish();
    return msg;
  }

 private:
  PropertyBag load_bag(const CfbEntry& storage, std::size_t header_size, Warnings& warnings, std::string_view what) {
    PropertyBag bag;
    if (const CfbEntry* stream = file_.child(storage, kPropertiesStream)) {
      auto bytes = file_.read_stream(*stream);
      if (bytes) {
        parse_fixed_properties(*bytes, header_size, bag);
      } else {
        warnings.add(std::string(what) + " properties unreadable: " + bytes.error().detail());
      }
    } else {
      warnings.add(std::string(what) + " has no property stream");
    }
    for (std::uint32_t id : storage.children) {
      const CfbEntry& child = file_.entry(id);
      std::uint16_t prop_id = 0, type = 0;
      if (child.type != CfbEntryType::kStream || !parse_substg_name(child.name, prop_id, type)) continue;
      if (!wanted(prop_id)) continue;
      auto bytes = file_.read_stream(child);
      if (!bytes) {
        warnings.add(std::string(what) + " property " + child.name + " unreadable: " + bytes.error().detail());
        continue;
      }
      bag.set(MapiProperty{prop_id, type, 0, std::move(*bytes)});
    }
    return bag;
  }

  static std::uint32_t choose_code_page(const PropertyBag& bag, std::uint32_t inherited, Warnings& warnings) {
    if (auto cp = bag.u32(prop::kMessageCodePage); cp && *cp != 0) return *cp;
    if (auto cp = bag.u32(prop::kInternetCodePage); cp && *cp != 0) {
      // PR_INTERNET_CPID is the code page of the internet body (often a 7-bit one such as ISO-2022-JP); 8-bit
      // properties are in the writer's ANSI code page of the same script.
      const std::uint32_t ansi = ansi_code_page_for(*cp);
      if (ansi != 0 && ansi != *cp) {
        warnings.add("no PR_MESSAGE_CODEPAGE: 8-bit text read as code page " + std::to_string(ansi) +
                     " (the ANSI code page of PR_INTERNET_CPID " + std::to_string(*cp) + ")");
      }
      return ansi != 0 ? ansi : *cp;
    }
    if (inherited != 0) return inherited;
    warnings.add("no PR_MESSAGE_CODEPAGE or PR_INTERNET_CPID: 8-bit text read as windows-1252");
    return kCodePageWindows1252;
  }

  static void read_identity(const PropertyBag& bag, OutlookMessage& msg, Warnings& warnings, bool& lossy) {
    msg.message_id = std::string(text::trim(bag.text(prop::kInternetMessageId, msg.code_page, &lossy).value_or("")));
    msg.in_reply_to = std::string(text::trim(bag.text(prop::kInReplyToId, msg.code_page, &lossy).value_or("")));
    if (msg.transport_headers.empty()) return;
    msg.header_date = header_field(msg.transport_headers, "Date");
    if (msg.message_id.empty()) {
      msg.message_id = header_field(msg.transport_headers, "Message-ID");
      if (!msg.message_id.empty()) warnings.add("message_id from the transport headers");
    }
    if (msg.in_reply_to.empty()) msg.in_reply_to = header_field(msg.transport_headers, "In-Reply-To");
  }

  static void read_sender(const PropertyBag& bag, OutlookMessage& msg, Warnings& warnings, bool& lossy) {
    static constexpr std::array<std::pair<std::uint16_t, std::string_view>, 4> kSources{{
        {prop::kSenderSmtpAddress, "PR_SENDER_SMTP_ADDRESS"},
        {prop::kSenderEmailAddress, "PR_SENDER_EMAIL_ADDRESS"},
        {prop::kSentRepresentingSmtpAddress, "PR_SENT_REPRESENTING_SMTP_ADDRESS"},
        {prop::kSentRepresentingEmailAddress, "PR_SENT_REPRESENTING_EMAIL_ADDRESS"},
    }};
    std::string first_non_smtp;
    for (std::size_t i = 0; i < kSources.size(); ++i) {
      auto value = bag.non_empty_text(kSources[i].first, msg.code_page, &lossy);
      if (!value) continue;
      std::string address(text::trim(*value));
      if (looks_like_smtp(address)) {
        msg.from_address = std::move(address);
        if (i > 0) warnings.add("from: taken from " + std::string(kSources[i].second));
        break;
      }
      if (first_non_smtp.empty()) first_non_smtp = std::move(address);
    }
    if (msg.from_address.empty() && !msg.transport_headers.empty()) {
      std::string from = header_field(msg.transport_headers, "From");
      std::string token = first_angle_token(from);
      if (token.size() > 2 && token.front() == '<') token = token.substr(1, token.size() - 2);
      if (looks_like_smtp(token)) {
        msg.from_address = token;
        warnings.add("from: taken from the transport headers");
      }
    }
    if (msg.from_address.empty() && !first_non_smtp.empty()) {
      msg.from_address = std::move(first_non_smtp);
      warnings.add("from: no SMTP address, kept a non-SMTP sender address");
    }
    msg.from_name = bag.non_empty_text(prop::kSenderName, msg.code_page, &lossy)
                        .value_or(bag.text(prop::kSentRepresentingName, msg.code_page, &lossy).value_or(""));
  }

  static void read_date(const PropertyBag& bag, OutlookMessage& msg, Warnings& warnings) {
    if (auto submit = bag.epoch_ms(prop::kClientSubmitTime)) {
      msg.date_ms = submit;
    } else if (auto delivery = bag.epoch_ms(prop::kMessageDeliveryTime)) {
      msg.date_ms = delivery;
      warnings.add("date: no PR_CLIENT_SUBMIT_TIME, used PR_MESSAGE_DELIVERY_TIME");
    } else {
      warnings.add("date: no PR_CLIENT_SUBMIT_TIME or PR_MESSAGE_DELIVERY_TIME");
    }
  }

  static void read_bodies(const PropertyBag& bag, OutlookMessage& msg, Warnings& warnings, bool& lossy) {
    msg.text_body = bag.text(prop::kBody, msg.code_page, &lossy).value_or("");
    if (const MapiProperty* html = bag.find(prop::kHtml)) {
      // Binary HTML is in the internet code page; without one, valid UTF-8 is taken as UTF-8.
      std::uint32_t html_cp = msg.code_page;
      if (auto internet = bag.u32(prop::kInternetCodePage); internet && *internet != 0) {
        html_cp = *internet;
      } else if (is_valid_utf8(html->bytes)) {
        html_cp = kCodePageUtf8;
      }
      bool html_lossy = false;
      msg.html_body = bag.text(prop::kHtml, html_cp, &html_lossy).value_or("");
      if (html_lossy) warnings.add("html_body: bytes not valid in code page " + std::to_string(html_cp));
    }
    const std::string* rtf = bag.bytes(prop::kRtfCompressed);
    if (rtf == nullptr) return;
    auto decompressed = decompress_rtf(*rtf);
    if (!decompressed) {
      warnings.add("PR_RTF_COMPRESSED unreadable: " + decompressed.error().detail());
      return;
    }
    for (auto& w : decompressed->warnings) warnings.add(std::move(w));
    msg.rtf_body = std::move(decompressed->rtf);
    if (!msg.html_body.empty() && !text::trim(msg.text_body).empty()) return;
    RtfBody body = rtf_to_body(msg.rtf_body, msg.code_page);
    for (auto& w : body.warnings) warnings.add(std::move(w));
    if (body.kind == RtfBodyKind::kHtml && msg.html_body.empty()) {
      msg.html_body = std::move(body.text);
      msg.html_from_rtf = true;
      warnings.add("html_body de-encapsulated from PR_RTF_COMPRESSED");
    } else if (body.kind != RtfBodyKind::kHtml && text::trim(msg.text_body).empty() && !body.text.empty()) {
      msg.text_body = std::move(body.text);
      msg.text_from_rtf = true;
      warnings.add("text_body taken from PR_RTF_COMPRESSED");
    }
  }

  std::vector<const CfbEntry*> children_with_prefix(const CfbEntry& storage, std::string_view prefix) const {
    std::vector<const CfbEntry*> out;
    for (std::uint32_t id : storage.children) {
      const CfbEntry& child = file_.entry(id);
      if (child.type == CfbEntryType::kStorage && text::istarts_with_ascii(child.name, prefix)) out.push_back(&child);
    }
    std::sort(out.begin(), out.end(), [](const CfbEntry* a, const CfbEntry* b) {
      return text::to_lower_ascii(a->name) < text::to_lower_ascii(b->name);
    });
    return out;
  }

  void read_recipients(const CfbEntry& storage, OutlookMessage& msg, Warnings& warnings, bool& lossy) {
    auto storages = children_with_prefix(storage, kRecipientPrefix);
    if (storages.size() > limits::kMaxRecipients) {
      warnings.add("more than " + std::to_string(limits::kMaxRecipients) + " recipients; the rest ignored");
      storages.resize(limits::kMaxRecipients);
      msg.truncated = true;
    }
    for (const CfbEntry* r : storages) {
      PropertyBag bag = load_bag(*r, kChildHeader, warnings, "recipient");
      MsgRecipient recipient;
      const std::uint32_t type = bag.u32(prop::kRecipientType).value_or(1) & 0xF;
      recipient.kind = (type >= 1 && type <= 3) ? static_cast<RecipientKind>(type) : RecipientKind::kOther;
      recipient.display_name = bag.text(prop::kDisplayName, msg.code_page, &lossy).value_or("");
      if (auto smtp = bag.non_empty_text(prop::kSmtpAddress, msg.code_page, &lossy)) {
        recipient.address = std::string(text::trim(*smtp));
      } else if (auto email = bag.non_empty_text(prop::kEmailAddress, msg.code_page, &lossy)) {
        recipient.address = std::string(text::trim(*email));
        if (!looks_like_smtp(recipient.address)) {
          warnings.add("recipient " + text::echo_value(recipient.display_name) + ": no SMTP address");
        }
      } else {
        warnings.add("recipient " + text::echo_value(recipient.display_name) + ": no address");
      }
      msg.recipients.push_back(std::move(recipient));
    }
  }

  void read_attachments(const CfbEntry& storage, OutlookMessage& msg, Warnings& warnings, std::size_t depth) {
    auto storages = children_with_prefix(storage, kAttachmentPrefix);
    if (storages.size() > limits::kMaxAttachments) {
      warnings.add("more than " + std::to_string(limits::kMaxAttachments) + " attachments; the rest ignored");
      storages.resize(limits::kMaxAttachments);
      msg.truncated = true;
    }
    for (const CfbEntry* a : storages) msg.attachments.push_back(read_attachment(*a, msg, warnings, depth));
  }

  MsgAttachment read_attachment(const CfbEntry& storage, OutlookMessage& msg, Warnings& warnings, std::size_t depth) {
    PropertyBag bag = load_bag(storage, kChildHeader, warnings, "attachment");
    MsgAttachment att;
    bool lossy = false;
    const std::uint32_t cp = msg.code_page;
    att.method = bag.u32(prop::kAttachMethod).value_or(attach_method::kByValue);
    att.mime_tag = std::string(text::trim(bag.text(prop::kAttachMimeTag, cp, &lossy).value_or("")));
    att.content_id = std::string(text::trim(bag.text(prop::kAttachContentId, cp, &lossy).value_or("")));
    att.hidden = bag.u32(prop::kAttachmentHidden).value_or(0) != 0;
    const CfbEntry* object = file_.child(storage, kEmbeddedStorage);
    if (att.method == attach_method::kEmbeddedMessage || (object != nullptr && att.method != attach_method::kOle)) {
      read_embedded(bag, object, att, msg, warnings, depth);
    } else {
      att.name = bag.non_empty_text(prop::kAttachLongFilename, cp, &lossy)
                     .value_or(bag.non_empty_text(prop::kAttachFilename, cp, &lossy)
                                   .value_or(bag.text(prop::kDisplayName, cp, &lossy).value_or("")));
      if (const std::string* data = bag.bytes(prop::kAttachDataBinary)) {
        att.data = *data;
      } else if (object != nullptr) {
        att.data = write_storage(*object, false, warnings);
      } else if (att.method == attach_method::kByValue) {
        warnings.add("attachment " + text::echo_value(att.name) + ": no PR_ATTACH_DATA_BIN");
      } else {
        warnings.add("attachment " + text::echo_value(att.name) + ": by reference (method " +
                     std::to_string(att.method) + "), no data");
      }
    }
    if (att.name.empty()) warnings.add("attachment without a name");
    if (lossy) warnings.add("attachment text not valid in code page " + std::to_string(cp));
    return att;
  }

  void read_embedded(const PropertyBag& bag, const CfbEntry* object, MsgAttachment& att, OutlookMessage& msg,
                     Warnings& warnings, std::size_t depth) {
    att.is_message = true;
    bool lossy = false;
    std::string name = bag.non_empty_text(prop::kDisplayName, msg.code_page, &lossy).value_or("");
    if (object == nullptr || object->type != CfbEntryType::kStorage) {
      warnings.add("embedded message attachment without its storage");
    } else {
      att.data = write_storage(*object, true, warnings);
      if (depth + 1 > limits::kMaxEmbeddedDepth) {
        warnings.add("embedded message deeper than " + std::to_string(limits::kMaxEmbeddedDepth) + " not parsed");
        msg.truncated = true;
      } else {
        auto inner = std::make_shared<OutlookMessage>(parse(*object, kEmbeddedHeader, depth + 1, msg.code_page));
        if (name.empty()) name = inner->subject;
        att.message = std::move(inner);
      }
    }
    name = std::string(text::trim(name));
    if (!name.empty() && !has_suffix_ci(name, ".msg")) name += ".msg";
    att.name = std::move(name);
  }

  // Writes a storage out as a standalone compound file. For an embedded message the property stream header grows
  // from 24 to 32 bytes and the top-level named-property map is copied in, as MS-OXMSG requires of a .msg file.
  std::string write_storage(const CfbEntry& storage, bool as_message, Warnings& warnings) {
    auto tree = copy_storage(file_, storage);
    if (!tree) {
      warnings.add("embedded storage unreadable: " + tree.error().detail());
      return {};
    }
    if (as_message) {
      for (CfbNode& node : tree->children) {
        if (!node.is_storage && text::iequals_ascii(node.name, kPropertiesStream) && node.data.size() >= 24) {
          node.data.insert(24, 8, '\0');
        }
      }
      const CfbEntry* nameid = file_.child(file_.root(), kNameIdStorage);
      if (nameid != nullptr && file_.child(storage, kNameIdStorage) == nullptr) {
        auto names = copy_storage(file_, *nameid);
        if (names) tree->children.push_back(std::move(*names));
      }
    }
    auto bytes = write_compound_file(*tree);
    if (!bytes) {
      warnings.add("embedded storage not writable: " + bytes.error().detail());
      return {};
    }
    return std::move(*bytes);
  }

  const CompoundFile& file_;
};

}  // namespace

Result<OutlookMessage> read_msg(std::string_view bytes) {
  auto file = CompoundFile::open(bytes);
  if (!file) return tl::unexpected(file.error());
  MsgParser parser(*file);
  return parser.parse(file->root(), kTopLevelHeader, 0, 0);
}

std::vector<std::string> recipient_addresses(const OutlookMessage& message, RecipientKind kind) {
  std::vector<std::string> out;
  for (const MsgRecipient& r : message.recipients) {
    if (r.kind == kind && !r.address.empty()) out.push_back(r.address);
  }
  return out;
}

}  // namespace emailv2::mime::outlook
