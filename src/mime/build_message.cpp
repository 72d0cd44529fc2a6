#include "mime/build_message.h"

#include <openssl/rand.h>

#include <array>
#include <unordered_set>

#include "core/text.h"
#include "mime/charset.h"
#include "mime/compose.h"
#include "mime/date.h"
#include "mime/encoded_words.h"
#include "mime/encoding.h"
#include "mime/html_text.h"

namespace emailv2::mime {
namespace {

struct Part {
  std::string headers;  // folded header lines, CRLF-terminated
  std::string body;     // encoded body, CRLF-terminated (leaf) or empty (multipart)
  std::vector<Part> children;
  std::string subtype;  // multipart subtype when children are set
};

Status check_header_value(std::string_view what, std::string_view value) {
  if (text::has_line_breaks_or_nul(value))
    return fail(ErrorCode::kParamInvalid, std::string(what) + " contains CR, LF or NUL: " + text::echo_value(value));
  return ok();
}

Status check_address(std::string_view what, std::string_view addr) {
  EMAILV2_TRY(check_header_value(what, addr));
  if (addr.empty() || addr.find_first_of("<>,; \t\"") != std::string_view::npos || addr.find('@') == std::string_view::npos)
    return fail(ErrorCode::kParamInvalid, "invalid address in " + std::string(what) + ": " + text::echo_value(addr));
  return ok();
}

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

std::string quoted_name(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string random_hex() {
  std::array<unsigned char, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) return std::string(32, '0');
  return text::hex_lower(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

// RFC 2231 filename*=UTF-8''<pct> (attribute-chars kept, the rest %XX).
std::string rfc2231_value(std::string_view utf8) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "UTF-8''";
  for (char c : utf8) {
    const auto b = static_cast<unsigned char>(c);
    const bool keep = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                      std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
    if (keep) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
  }
  return out;
}

std::string name_param(std::string_view utf8) {
  return needs_encoding(utf8) ? "\"" + encode_words(utf8) + "\"" : quoted_name(utf8);
}

Part text_part(std::string_view subtype, std::string_view text) {
  Part p;
  p.headers = "Content-Type: text/" + std::string(subtype) + "; charset=\"utf-8\"\r\n" +
              "Content-Transfer-Encoding: quoted-printable\r\n";
  p.body = qp_encode(text);
  return p;
}

Part file_part(const OutgoingAttachment& a) {
  Part p;
  std::string ct = "Content-Type: " + a.content_type;
  std::string disp = a.is_inline ? "inline" : "attachment";
  if (!a.file_name.empty()) {
    ct += "; name=" + name_param(a.file_name);
    disp += "; filename*=" + rfc2231_value(a.file_name);
  }
  p.headers = fold_header("Content-Type", ct.substr(14)) + "Content-Transfer-Encoding: base64\r\n" +
              fold_header("Content-Disposition", disp);
  if (a.content_id) p.headers += fold_header("Content-ID", "<" + *a.content_id + ">");
  p.body = base64_lines(a.data);
  return p;
}

Part container(std::string subtype, std::vector<Part> children) {
  if (children.size() == 1) return std::move(children.front());  // single-child containers collapse
  Part p;
  p.subtype = std::move(subtype);
  p.children = std::move(children);
  return p;
}

void serialise(const Part& p, std::string& out, unsigned& boundary_counter, const std::string& seed) {
  if (p.children.empty()) {
    out += p.headers;
    out += "\r\n";
    out += p.body;
    return;
  }
  const std::string boundary = "=_emailv2_" + seed.substr(0, 16) + "_" + std::to_string(++boundary_counter);
  out += "Content-Type: multipart/" + p.subtype + "; boundary=\"" + boundary + "\"\r\n\r\n";
  for (const Part& c : p.children) {
    out += "--" + boundary + "\r\n";
    serialise(c, out, boundary_counter, seed);
  }
  out += "--" + boundary + "--\r\n";
}

std::string address_list(const std::vector<std::string>& addrs) {
  std::string out;
  for (const std::string& a : addrs) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

}  // namespace

Result<BuiltMessage> build_message(const OutgoingMail& mail, const BuildOptions& options) {
  if (mail.from_address.empty()) return fail(ErrorCode::kParamMissing, "Missing mandatory parameter Sender's Address");
  if (mail.to.empty() && mail.cc.empty() && mail.bcc.empty())
    return fail(ErrorCode::kParamMissing, "Missing mandatory parameter Recipients");
  EMAILV2_TRY(check_address("Sender's Address", mail.from_address));
  EMAILV2_TRY(check_header_value("Sender's Display Name", mail.from_name));
  EMAILV2_TRY(check_header_value("Subject", mail.subject));
  for (const auto* list : {&mail.to, &mail.cc, &mail.bcc})
    for (const std::string& a : *list) EMAILV2_TRY(check_address("Recipients", a));
  if (mail.in_reply_to) EMAILV2_TRY(check_header_value("In-Reply-To", *mail.in_reply_to));
  if (mail.references) EMAILV2_TRY(check_header_value("References", *mail.references));
  for (const OutgoingAttachment& a : mail.attachments) {
    EMAILV2_TRY(check_header_value("attachment name", a.file_name));
    EMAILV2_TRY(check_header_value("attachment content type", a.content_type));
    if (a.content_id) EMAILV2_TRY(check_header_value("Content-ID", *a.content_id));
  }

  BuiltMessage built;
  const std::string rnd = options.message_id_random.empty() ? random_hex() : options.message_id_random;
  const std::string domain = mail.from_address.substr(mail.from_address.rfind('@') + 1);
  built.message_id = "<" + rnd + "." + std::to_string(options.now_ms / 1000) + "@" + domain + ">";
  built.date_ms = options.now_ms;
  built.date_header = format_rfc5322_date(options.now_ms, options.utc_offset_minutes);
  std::unordered_set<std::string> seen;
  for (const auto* list : {&mail.to, &mail.cc, &mail.bcc})
    for (const std::string& a : *list)
      if (seen.insert(text::to_lower_ascii(a)).second) built.envelope_recipients.push_back(a);
  for (const std::string& a : built.envelope_recipients) built.needs_smtputf8 |= !is_ascii(a);
  built.needs_smtputf8 |= !is_ascii(mail.from_address);

  std::string& out = built.bytes;
  out += fold_header("Date", built.date_header);
  std::string from;
  if (!mail.from_name.empty()) from = (needs_encoding(mail.from_name) ? encode_words(mail.from_name)
                                                                        : quoted_name(mail.from_name)) + " ";
  out += fold_header("From", from + "<" + mail.from_address + ">");
  if (!mail.to.empty()) out += fold_header("To", address_list(mail.to));
  if (!mail.cc.empty()) out += fold_header("Cc", address_list(mail.cc));
  out += fold_header("Subject", needs_encoding(mail.subject) ? encode_words(mail.subject) : mail.subject);
  out += fold_header("Message-ID", built.message_id);
  if (mail.in_reply_to) out += fold_header("In-Reply-To", *mail.in_reply_to);
  if (mail.references) out += fold_header("References", *mail.references);
  out += "MIME-Version: 1.0\r\n";

  std::vector<Part> alternative;
  alternative.push_back(text_part("plain", html_to_text(mail.html)));
  alternative.push_back(text_part("html", mail.html));
  std::vector<Part> related;
  related.push_back(container("alternative", std::move(alternative)));
  for (const OutgoingAttachment& img : cst_images(mail.html)) related.push_back(file_part(img));
  std::vector<Part> mixed;
  for (const OutgoingAttachment& a : mail.attachments)
    if (a.is_inline && a.content_id) related.push_back(file_part(a));
  mixed.push_back(container("related", std::move(related)));
  for (const OutgoingAttachment& a : mail.attachments)
    if (!(a.is_inline && a.content_id)) mixed.push_back(file_part(a));
  unsigned counter = 0;
  serialise(container("mixed", std::move(mixed)), out, counter, rnd);
  return built;
}

}  // namespace emailv2::mime
