// Attachment naming and hashing, data-URI images, and the derived fields (body, URLs, forward) of a Message.
#include <algorithm>

#include "core/text.h"
#include "mime/digest.h"
#include "mime/forward.h"
#include "mime/html_text.h"
#include "mime/parse_internal.h"
#include "mime/urls.h"

namespace emailv2::mime::detail {
namespace {

std::string subtype_of(std::string_view content_type) {
  const std::size_t slash = content_type.find('/');
  std::string sub = slash == std::string_view::npos ? std::string("bin") : std::string(content_type.substr(slash + 1));
  return sub.empty() ? std::string("bin") : sub;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && text::iequals_ascii(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace

std::string escape_controls(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\0') out += "\\0";
    else if (b < 0x20 || b == 0x7F) {
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool is_attached_mail(std::string_view content_type, std::string_view name) {
  return content_type == "message/rfc822" || content_type == "message/global" || content_type == "text/calendar" ||
         ends_with_ci(name, ".eml") || ends_with_ci(name, ".msg") || ends_with_ci(name, ".ics");
}

Attachment make_attachment(std::string name, std::string content_type, std::string disposition,
                           std::string content_id, std::string data, const std::string& message_sha256,
                           const std::string& part_path) {
  Attachment a;
  const std::string subtype = subtype_of(content_type);
  name = escape_controls(text::trim(name));
  if (!name.empty()) {
    if (name.find('.') == std::string::npos) name += "." + subtype;
  } else if (text::istarts_with_ascii(content_type, "image/") && !content_id.empty()) {
    name = escape_controls(content_id) + "." + subtype;
  } else {
    const std::string uuid = uuid_v5(message_sha256 + "/" + part_path);
    name = "Undefined_" + uuid + "." + (content_type == "message/rfc822" ? std::string("eml") : subtype);
  }
  a.name = std::move(name);
  a.content_type = std::move(content_type);
  a.disposition = std::move(disposition);
  if (!content_id.empty()) a.content_id = std::move(content_id);
  const Digests d = digests_of(data);
  a.md5 = d.md5;
  a.sha1 = d.sha1;
  a.sha256 = d.sha256;
  a.data = std::move(data);
  a.part_path = part_path;
  a.is_email = is_attached_mail(a.content_type, a.name);
  return a;
}

void finish_message(Message& msg) {
  const HtmlScan scan = scan_html(msg.html_body, msg.text_body.empty());  // the text is only the body's fallback
  std::size_t n = 0;
  for (const std::string& link : scan.links) {
    // data:image/<t>;base64,<payload> in the decoded HTML → an inline attachment named {UUID}.<t>
    if (!text::istarts_with_ascii(link, "data:image/")) continue;
    const std::size_t comma = link.find(',');
    const std::size_t semi = link.find(';');
    if (comma == std::string::npos || semi == std::string::npos || semi > comma) continue;
    if (!text::iequals_ascii(text::trim(std::string_view(link).substr(semi + 1, comma - semi - 1)), "base64")) continue;
    std::string data;
    if (!text::base64_decode(std::string_view(link).substr(comma + 1), data)) {
      msg.parse_warnings.push_back("data-URI image with invalid base64 skipped");
      continue;
    }
    const std::string type = text::to_lower_ascii(std::string_view(link).substr(5, semi - 5));
    const std::string path = "html:" + std::to_string(++n);
    const std::string uuid = uuid_v5(msg.sha256 + "/" + path);
    std::string subtype = type.substr(6);
    Attachment a = make_attachment(uuid + "." + subtype, type, "inline", "", std::move(data), msg.sha256, path);
    msg.attachments.push_back(std::move(a));
  }
  msg.body = !msg.text_body.empty() ? msg.text_body : scan.text;
  UrlList urls = extract_urls(msg.body, scan.links);
  if (urls.truncated) {
    msg.truncated = true;
    msg.parse_warnings.push_back("more than 1000 URLs: the rest ignored");
  }
  msg.urls = std::move(urls.urls);
  msg.is_forward = detect_forward(msg.raw_subject, msg.text_body);
}

}  // namespace emailv2::mime::detail
