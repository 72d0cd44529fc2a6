// Attached mails (CONTRACT §4.2): .eml/message/rfc822 through the RFC 5322 parser, Outlook .msg through the CFB
// reader (mime/outlook), .ics VEVENTs; depth-first within the depth and count caps.
#include <memory>

#include "core/limits.h"
#include "core/text.h"
#include "mime/digest.h"
#include "mime/ics.h"
#include "mime/mime_tree.h"
#include "mime/outlook/msg_reader.h"
#include "mime/parse_internal.h"
#include "mime/parse_message.h"
#include "mime/tnef/tnef_reader.h"

namespace emailv2::mime::detail {
namespace {

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && text::iequals_ascii(s.substr(s.size() - suffix.size()), suffix);
}

void add_recipients(const outlook::OutlookMessage& om, outlook::RecipientKind kind, std::vector<Address>& out) {
  for (const auto& r : om.recipients)
    if (r.kind == kind && !r.address.empty()) out.push_back({r.display_name, r.address});
}

Message from_outlook(const outlook::OutlookMessage& om, std::string_view bytes, ParseContext& ctx);
std::vector<Message> parse_one(const Attachment& a, ParseContext& ctx, std::vector<std::string>& warnings);

void outlook_attachments(const outlook::OutlookMessage& om, Message& msg, ParseContext& ctx) {
  std::size_t k = 0;
  for (const auto& oa : om.attachments) {
    std::string type = oa.mime_tag.empty() ? std::string(oa.is_message ? "application/vnd.ms-outlook"
                                                                       : "application/octet-stream")
                                           : text::to_lower_ascii(oa.mime_tag);
    std::string name = oa.name;
    if (oa.is_message && !name.empty() && !ends_with_ci(name, ".msg")) name += ".msg";
    Attachment a = make_attachment(name, type, oa.content_id.empty() ? "attachment" : "inline", oa.content_id,
                                   oa.data, msg.sha256, std::to_string(++k));
    if (oa.is_message) a.is_email = true;
    msg.attachments.push_back(std::move(a));
    (void)ctx;
  }
}

Message from_outlook(const outlook::OutlookMessage& om, std::string_view bytes, ParseContext& ctx) {
  Message msg;
  msg.size = bytes.size();
  msg.sha256 = sha256_hex(bytes);
  msg.parse_warnings = om.warnings;
  msg.truncated = om.truncated;
  if (!om.message_id.empty()) msg.message_id = om.message_id;
  msg.raw_subject = om.subject;
  if (!om.from_address.empty()) msg.from.push_back({om.from_name, om.from_address});
  add_recipients(om, outlook::RecipientKind::kTo, msg.to);
  add_recipients(om, outlook::RecipientKind::kCc, msg.cc);
  add_recipients(om, outlook::RecipientKind::kBcc, msg.bcc);
  msg.date_ms = om.date_ms;
  if (!om.header_date.empty()) msg.date_header = om.header_date;
  if (!om.date_ms) msg.parse_warnings.push_back("no submit or delivery time in the .msg");
  if (!om.in_reply_to.empty()) msg.in_reply_to = om.in_reply_to;
  if (!om.transport_headers.empty()) {
    MimeTree headers = read_mime_tree(om.transport_headers + "\r\n\r\n");
    msg.headers = std::move(headers.headers);
    for (const HeaderField& h : msg.headers) {
      if (text::iequals_ascii(h.name, "References") && msg.references.empty()) msg.references = h.value;
      if (text::iequals_ascii(h.name, "Reply-To") && msg.reply_to.empty())
        msg.reply_to.push_back({"", std::string(text::trim(h.value))});
    }
  }
  msg.text_body = om.text_body;
  msg.html_body = om.html_body;
  outlook_attachments(om, msg, ctx);
  finish_message(msg);
  // Embedded messages were already read by the .msg reader: convert them instead of re-reading the bytes.
  if (ctx.mail_depth >= limits::kAttachedMailDepth) return msg;
  ParseContext child{ctx.mail_depth + 1, ctx.attached_count, {}};
  std::size_t index = 0;
  for (const auto& oa : om.attachments) {
    ++index;
    const Attachment& carrier = msg.attachments[index - 1];
    if (!oa.is_message && !carrier.is_email) continue;
    if (*ctx.attached_count >= limits::kAttachedMailsPerMessage) {
      msg.truncated = true;
      break;
    }
    std::vector<Message> kids;
    if (oa.is_message) {
      ++*ctx.attached_count;
      kids.push_back(oa.message ? from_outlook(*oa.message, oa.data, child) : parse_msg(oa.data, child));
      --*ctx.attached_count;
    } else {
      kids = parse_one(carrier, child, msg.parse_warnings);  // .eml / .ics attached by value
    }
    for (Message& kid : kids) {
      if (*ctx.attached_count >= limits::kAttachedMailsPerMessage) {
        msg.truncated = true;
        break;
      }
      ++*ctx.attached_count;
      kid.attachment_index = index;
      msg.attached.push_back(std::move(kid));
    }
  }
  return msg;
}

std::vector<Message> from_ics(const Attachment& a, std::vector<std::string>& parent_warnings) {
  std::vector<Message> out;
  std::vector<std::string> warnings;
  const std::vector<IcsEvent> events = parse_ics(a.data, warnings);
  for (const std::string& w : warnings) parent_warnings.push_back(a.name + ": " + w);
  for (const IcsEvent& e : events) {
    Message m;
    m.size = a.data.size();
    m.sha256 = a.sha256;
    if (!e.uid.empty()) m.message_id = "<" + e.uid + ">";
    m.raw_subject = e.summary;
    if (!e.organizer.empty()) m.from.push_back({"", e.organizer});
    for (const std::string& at : e.attendees) m.to.push_back({"", at});
    m.date_ms = e.start_ms;
    if (!e.dtstart.empty()) m.date_header = e.dtstart;
    m.text_body = e.description;
    finish_message(m);
    for (const std::string& u : e.urls)
      if (m.urls.size() < limits::kUrlsPerMessage) m.urls.push_back(u);
    out.push_back(std::move(m));
  }
  return out;
}

bool is_calendar(const Attachment& a) { return a.content_type == "text/calendar" || ends_with_ci(a.name, ".ics"); }

// A message embedded in a TNEF stream: subject, bodies and its attachments (its own embedded messages stay data).
Message from_tnef(const tnef::TnefContent& tc, const Attachment& carrier) {
  Message m;
  m.size = carrier.data.size();
  m.sha256 = carrier.sha256;
  m.raw_subject = tc.subject;
  m.text_body = tc.text_body;
  m.html_body = tc.html_body;
  m.parse_warnings = tc.warnings;
  m.truncated = tc.truncated;
  std::size_t k = 0;
  for (const auto& ta : tc.attachments) {
    std::string type = ta.mime_tag.empty() ? std::string("application/octet-stream") : text::to_lower_ascii(ta.mime_tag);
    Attachment a = make_attachment(ta.name, type, "attachment", ta.content_id, ta.data, m.sha256,
                                   "tnef" + std::to_string(++k));
    if (ta.is_message) a.is_email = false;
    m.attachments.push_back(std::move(a));
  }
  finish_message(m);
  return m;
}

// The attached mail(s) one is_email attachment holds; `ctx` is the child's context.
std::vector<Message> parse_one(const Attachment& a, ParseContext& ctx, std::vector<std::string>& warnings) {
  std::vector<Message> kids;
  if (is_calendar(a)) return from_ics(a, warnings);
  ++*ctx.attached_count;  // reserves the slot of this mail while its own attached mails are parsed
  kids.push_back(looks_like_cfb(a.data) ? parse_msg(a.data, ctx) : parse_rfc822(a.data, ctx));
  --*ctx.attached_count;
  return kids;
}

}  // namespace

Message parse_msg(std::string_view bytes, ParseContext& ctx) {
  auto om = outlook::read_msg(bytes);
  if (om) return from_outlook(*om, bytes, ctx);
  Message msg;
  msg.size = bytes.size();
  msg.sha256 = ctx.known_sha256.empty() ? sha256_hex(bytes) : ctx.known_sha256;
  msg.parse_error = om.error().detail();
  msg.parse_warnings.push_back("Outlook .msg unreadable: " + om.error().detail());
  finish_message(msg);
  return msg;
}

void parse_attached_mails(Message& msg, ParseContext& ctx, const std::vector<TnefMail>& tnef_mails) {
  bool warned = false;
  for (std::size_t i = 0; i < msg.attachments.size(); ++i) {
    const Attachment& a = msg.attachments[i];
    if (!a.is_email) continue;
    if (ctx.mail_depth >= limits::kAttachedMailDepth || *ctx.attached_count >= limits::kAttachedMailsPerMessage) {
      msg.truncated = true;
      if (!warned) msg.parse_warnings.push_back("attached mails beyond depth 3 or 50 per message are not parsed");
      warned = true;
      continue;
    }
    ParseContext child{ctx.mail_depth + 1, ctx.attached_count, a.sha256};
    std::vector<Message> kids = parse_one(a, child, msg.parse_warnings);
    for (Message& k : kids) {
      if (*ctx.attached_count >= limits::kAttachedMailsPerMessage) {
        msg.truncated = true;
        break;
      }
      ++*ctx.attached_count;
      k.attachment_index = i + 1;
      msg.attached.push_back(std::move(k));
    }
  }
  for (const TnefMail& t : tnef_mails) {
    if (ctx.mail_depth >= limits::kAttachedMailDepth || *ctx.attached_count >= limits::kAttachedMailsPerMessage) {
      msg.truncated = true;
      break;
    }
    ++*ctx.attached_count;
    msg.attachments[t.index - 1].is_email = true;  // after the loop above, so its bytes are not re-read as RFC 822
    Message kid = from_tnef(*t.content, msg.attachments[t.index - 1]);
    kid.attachment_index = t.index;
    msg.attached.push_back(std::move(kid));
  }
}

}  // namespace emailv2::mime::detail
