// RFC 5322 / MIME mail → Message: header fields decoded by our own parsers, parts classified per CONTRACT §4.2.
#include "mime/parse_message.h"

#include <algorithm>
#include <array>

#include "core/limits.h"
#include "core/text.h"
#include "mime/address.h"
#include "mime/charset.h"
#include "mime/content_type.h"
#include "mime/date.h"
#include "mime/digest.h"
#include "mime/encoded_words.h"
#include "mime/header_text.h"
#include "mime/mime_tree.h"
#include "mime/parse_internal.h"
#include "mime/tnef/tnef_reader.h"

namespace emailv2::mime {
namespace detail {
namespace {

constexpr std::array<std::string_view, 4> kReportParts{"message/delivery-status", "message/disposition-notification",
                                                       "message/feedback-report", "text/rfc822-headers"};

// CR, LF and other C0 controls in a decoded one-line value (an encoded word can carry them) become spaces.
std::string one_line(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = ' ';
  return s;
}

void add_addresses(std::vector<Address>& to, std::string_view value, Message& msg) {
  AddressList list = parse_address_list(value, msg.parse_warnings);
  if (list.truncated) {
    msg.truncated = true;
    msg.parse_warnings.push_back("more than " + std::to_string(limits::kAddressesPerHeader) +
                                 " addresses in one header: the rest ignored");
  }
  for (Address& a : list.addresses) {
    a.name = one_line(std::move(a.name));
    a.address = one_line(std::move(a.address));
    to.push_back(std::move(a));
  }
}

void read_headers(const std::vector<HeaderField>& headers, Message& msg) {
  bool have_date = false;
  bool have_subject = false;
  bool have_irt = false;
  bool have_refs = false;
  for (const HeaderField& h : headers) {
    const std::string name = text::to_lower_ascii(h.name);
    if (name == "message-id") {
      if (!msg.message_id && !text::trim(h.value).empty()) msg.message_id = std::string(text::trim(h.value));
    } else if (name == "date") {
      if (have_date) continue;
      have_date = true;
      msg.date_header = h.value;
      if (auto d = parse_date(h.value)) {
        msg.date_ms = to_epoch_ms(*d);
        if (!d->zone_known) msg.parse_warnings.push_back("Date without a known time zone: read as UTC");
      } else {
        msg.parse_warnings.push_back("invalid Date header \"" + text::server_text(h.value) + "\"");
      }
    } else if (name == "subject") {
      if (have_subject) continue;
      have_subject = true;
      msg.raw_subject = one_line(decode_encoded_words(h.value, msg.parse_warnings));
    } else if (name == "from") {
      add_addresses(msg.from, h.value, msg);
    } else if (name == "to") {
      add_addresses(msg.to, h.value, msg);
    } else if (name == "cc") {
      add_addresses(msg.cc, h.value, msg);
    } else if (name == "bcc") {
      add_addresses(msg.bcc, h.value, msg);
    } else if (name == "reply-to") {
      add_addresses(msg.reply_to, h.value, msg);
    } else if (name == "in-reply-to") {
      if (have_irt) continue;
      have_irt = true;
      msg.in_reply_to = first_angle_token(h.value);
    } else if (name == "references") {
      if (have_refs) continue;
      have_refs = true;
      msg.references = h.value;
    }
  }
  if (!have_date) msg.parse_warnings.push_back("no Date header");
}

// Bodies use LF line ends whatever the wire used (CRLF), so regexes over them see one convention.
std::string crlf_to_lf(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t from = 0;
  for (std::size_t cr = s.find('\r'); cr != std::string_view::npos; cr = s.find('\r', cr + 1)) {
    if (cr + 1 < s.size() && s[cr + 1] == '\n') {
      out.append(s.substr(from, cr - from));  // runs copied whole; the CR of each CRLF dropped
      from = cr + 1;
    }
  }
  out.append(s.substr(from));
  return out;
}

void append(std::string& body, const std::string& part) {
  if (!body.empty()) body.push_back('\n');
  body += part;
}

void add_tnef(Message& msg, const std::string& data, const std::string& path, std::vector<TnefMail>& tnef_mails) {
  auto content = tnef::read_tnef(data);
  if (!content) {
    msg.parse_warnings.push_back("TNEF part " + path + " unreadable: " + content.error().detail());
    return;
  }
  for (const std::string& w : content->warnings) msg.parse_warnings.push_back("TNEF part " + path + ": " + w);
  if (content->truncated) msg.truncated = true;
  if (msg.text_body.empty() && msg.html_body.empty() && content->html_body.empty())
    msg.text_body = content->text_body;
  if (msg.html_body.empty()) msg.html_body = content->html_body;
  std::size_t k = 0;
  for (const auto& ta : content->attachments) {
    std::string type = ta.mime_tag.empty() ? std::string("application/octet-stream") : text::to_lower_ascii(ta.mime_tag);
    std::string name = ta.name;
    if (ta.is_message && name.find('.') == std::string::npos) name += name.empty() ? "" : ".msg";
    Attachment a = make_attachment(name, type, "attachment", ta.content_id, ta.data, msg.sha256,
                                   path + ".tnef" + std::to_string(++k));
    if (ta.is_message) a.is_email = false;  // not a file our dispatcher reads: converted from `ta.message` later
    msg.attachments.push_back(std::move(a));
    if (ta.is_message && ta.message) tnef_mails.push_back({msg.attachments.size(), ta.message});
  }
}

void read_parts(MimeTree& tree, Message& msg, std::vector<TnefMail>& tnef_mails) {
  std::vector<std::string>& w = msg.parse_warnings;
  const std::string message_charset = parse_content_type(tree.top_content_type, w).params.get("charset");
  for (MimeLeaf& leaf : tree.leaves) {
    ContentType ct = parse_content_type(leaf.content_type, w);
    if (ct.type.empty()) {
      const std::size_t slash = leaf.default_type.find('/');
      ct.type = leaf.default_type.substr(0, slash);
      ct.subtype = slash == std::string::npos ? "octet-stream" : leaf.default_type.substr(slash + 1);
    }
    const Disposition disp = parse_disposition(leaf.disposition, w);
    std::string name = disp.params.get("filename");
    if (name.empty()) name = ct.params.get("name");
    const std::string mime = leaf.is_message ? std::string("message/rfc822") : ct.mime_type();
    const bool named = !text::trim(name).empty();
    const bool textual = mime == "text/plain" || mime == "text/html";
    const bool report = leaf.parent_type == "multipart/report" &&
                        std::find(kReportParts.begin(), kReportParts.end(), mime) != kReportParts.end();
    if (!leaf.opaque && !leaf.is_message && !named && disp.kind != "attachment" && (textual || report)) {
      std::string charset = ct.params.get("charset");
      if (charset.empty()) charset = message_charset;
      const std::string decoded = to_utf8(leaf.data, charset, w, "part " + leaf.path);
      append(mime == "text/html" ? msg.html_body : msg.text_body, crlf_to_lf(decoded));
      continue;
    }
    std::string cid(text::trim(leaf.content_id));
    if (cid.size() >= 2 && cid.front() == '<' && cid.back() == '>') cid = cid.substr(1, cid.size() - 2);
    Attachment a = make_attachment(name, leaf.opaque ? ct.mime_type() : mime, disp.kind, cid, std::move(leaf.data),
                                   msg.sha256, leaf.path);
    const bool tnef = mime == "application/ms-tnef" || text::iequals_ascii(a.name, "winmail.dat");
    msg.attachments.push_back(std::move(a));
    if (tnef) add_tnef(msg, msg.attachments.back().data, leaf.path, tnef_mails);
  }
}

}  // namespace

Message parse_rfc822(std::string_view raw, ParseContext& ctx) {
  Message msg;
  msg.size = raw.size();
  msg.sha256 = ctx.known_sha256.empty() ? sha256_hex(raw) : ctx.known_sha256;
  MimeTree tree = read_mime_tree(raw);
  msg.headers = std::move(tree.headers);
  msg.truncated = tree.truncated;
  msg.parse_warnings = std::move(tree.warnings);
  read_headers(msg.headers, msg);
  std::vector<TnefMail> tnef_mails;
  read_parts(tree, msg, tnef_mails);
  finish_message(msg);
  parse_attached_mails(msg, ctx, tnef_mails);
  return msg;
}

}  // namespace detail

bool looks_like_cfb(std::string_view bytes) {
  return bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

Message parse_message(std::string_view raw) {
  std::size_t count = 0;
  detail::ParseContext ctx{0, &count, {}};
  return detail::parse_rfc822(raw, ctx);
}

Message parse_outlook_msg(std::string_view bytes) {
  std::size_t count = 0;
  detail::ParseContext ctx{0, &count, {}};
  return detail::parse_msg(bytes, ctx);
}

Message parse_mail_file(std::string_view bytes) {
  return looks_like_cfb(bytes) ? parse_outlook_msg(bytes) : parse_message(bytes);
}

}  // namespace emailv2::mime
