#include "mime/compose.h"

#include <re2/re2.h>

#include <array>

#include "core/text.h"
#include "mime/date.h"
#include "mime/header_text.h"
#include "mime/html_text.h"

namespace emailv2::mime {
namespace {

std::string person(const Address& a) {
  if (a.name.empty()) return html_escape(a.address);
  return html_escape(a.name) + " &lt;" + html_escape(a.address) + "&gt;";
}

std::string people(const std::vector<Address>& list) {
  std::string out;
  for (const Address& a : list) {
    if (!out.empty()) out += ", ";
    out += person(a);
  }
  return out;
}

std::string attribute(std::string_view tag, std::string_view name) {
  const re2::RE2 re("(?i)\\b" + std::string(name) + "\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");
  std::string a;
  std::string b;
  if (!re2::RE2::PartialMatch(re2::StringPiece(tag.data(), tag.size()), re, &a, &b)) return {};
  return a.empty() ? b : a;
}

}  // namespace

std::string sniff_image_type(std::string_view bytes) {
  if (bytes.starts_with("\x89PNG")) return "image/png";
  if (bytes.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (bytes.starts_with("GIF8")) return "image/gif";
  return "image/png";
}

std::vector<OutgoingAttachment> cst_images(std::string_view html) {
  static const re2::RE2 tag("(?i)(<cstImage\\b[^>]*>)");
  std::vector<OutgoingAttachment> out;
  re2::StringPiece input(html.data(), html.size());
  std::string t;
  while (re2::RE2::FindAndConsume(&input, tag, &t)) {
    const std::string cid = attribute(t, "cid");
    std::string b64 = attribute(t, "base64Image");
    if (const std::size_t comma = b64.find(','); b64.starts_with("data:") && comma != std::string::npos)
      b64.erase(0, comma + 1);
    OutgoingAttachment a;
    if (cid.empty() || text::has_line_breaks_or_nul(cid) || !text::base64_decode(b64, a.data)) continue;
    a.content_type = sniff_image_type(a.data);
    a.content_id = cid;
    a.is_inline = true;
    out.push_back(std::move(a));
  }
  return out;
}

std::string forward_date(const Message& original) {
  if (!original.date_header) return {};
  const auto d = parse_date(*original.date_header);
  if (!d) return *original.date_header;
  static constexpr std::array<std::string_view, 7> kDays{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::int64_t wd = days_from_civil(d->year, d->month, d->day) % 7;
  if (wd < 0) wd += 7;
  const int h12 = d->hour % 12 == 0 ? 12 : d->hour % 12;
  const int off = d->offset_minutes < 0 ? -d->offset_minutes : d->offset_minutes;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s, %s %d, %d at %d:%02d %s %c%02d%02d",
                std::string(kDays[static_cast<std::size_t>(wd)]).c_str(),
                std::string(kMonths[static_cast<std::size_t>(d->month - 1)]).c_str(), d->day, d->year, h12,
                d->minute, d->hour < 12 ? "AM" : "PM", d->offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::string forward_html(std::string_view content, const Message& original) {
  std::string out(content);
  out += "<br><br>---------- Forwarded message ----------<br>\n";
  out += "From: " + (original.from.empty() ? std::string() : person(original.from.front())) + "<br>\n";
  out += "Date: " + html_escape(forward_date(original)) + "<br>\n";
  out += "Subject: " + html_escape(original.raw_subject) + "<br>\n";
  out += "To: " + people(original.to) + "<br>\n";
  if (!original.cc.empty()) out += "Cc: " + people(original.cc) + "<br>\n";
  out += "<br>\n";
  if (!original.html_body.empty()) {
    out += original.html_body;
  } else {
    const std::string escaped = html_escape(original.text_body);
    for (char c : escaped) {
      if (c == '\n') out += "<br>\n";
      else if (c != '\r') out.push_back(c);
    }
  }
  return out;
}

std::vector<OutgoingAttachment> forward_attachments(const Message& original) {
  std::vector<OutgoingAttachment> out;
  for (const Attachment& a : original.attachments) {
    if (a.part_path.starts_with("html:")) continue;  // data-URI images stay inside the forwarded HTML
    if (a.part_path.find(".tnef") != std::string::npos) continue;  // TNEF contents: winmail.dat itself is carried
    OutgoingAttachment o;
    o.file_name = a.name;
    o.data = a.data;
    o.content_type = a.content_type.empty() ? "application/octet-stream" : a.content_type;
    o.content_id = a.content_id;
    o.is_inline = a.content_id.has_value() && a.disposition != "attachment";
    out.push_back(std::move(o));
  }
  return out;
}

std::string reply_subject(std::string_view raw_subject) {
  if (text::istarts_with_ascii(text::trim(raw_subject), "re:")) return std::string(raw_subject);
  return "Re: " + std::string(raw_subject);
}

ThreadHeaders thread_headers(const Message& original) {
  ThreadHeaders t;
  if (!original.message_id) return t;
  const std::optional<std::string> id = first_angle_token(*original.message_id);
  t.in_reply_to = id.value_or("<" + std::string(text::trim(*original.message_id)) + ">");
  const std::string refs(text::trim(original.references));
  t.references = refs.empty() ? t.in_reply_to : refs + " " + t.in_reply_to;
  return t;
}

}  // namespace emailv2::mime
