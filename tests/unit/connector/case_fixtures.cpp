#include "case_fixtures.h"

#include <cstdio>

#include "core/text.h"
#include "mime/outlook/code_page.h"
#include "mime/outlook/compound_writer.h"

namespace emailv2::connector::test {
namespace {

using mime::outlook::CfbNode;

std::string le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (std::size_t i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return s;
}

std::string substg(std::uint16_t id, std::uint16_t type) {
  char name[32];
  std::snprintf(name, sizeof name, "__substg1.0_%04X%04X", id, type);
  return name;
}

CfbNode stream(std::string name, std::string data) { return CfbNode{std::move(name), false, std::move(data), {}}; }

CfbNode unicode(std::uint16_t id, std::string_view utf8) {
  return stream(substg(id, 0x001F), mime::outlook::utf8_to_utf16le(utf8));
}

// The property stream: a header of `header_size` bytes, then 16-byte entries for fixed-size properties.
CfbNode properties(std::size_t header_size, const std::string& entries) {
  return stream("__properties_version1.0", std::string(header_size, '\0') + entries);
}

std::string int32_entry(std::uint16_t id, std::uint32_t v) {
  return le32(static_cast<std::uint32_t>(id) << 16 | 0x0003) + le32(6) + le32(v) + le32(0);
}

}  // namespace

std::string outlook_msg_bytes() {
  CfbNode attach{"__attach_version1.0_#00000000", true, "", {}};
  attach.children = {properties(8, int32_entry(0x3705, 1)), unicode(0x3707, "payload.txt"),
                     stream(substg(0x3701, 0x0102), "click https://evil.example/x\n"), unicode(0x370E, "text/plain")};
  CfbNode root{"Root Entry", true, "", {}};
  root.children = {properties(32, ""),
                   unicode(0x0037, "Urgent: wire transfer"),
                   unicode(0x5D01, "ceo@fraud.example"),
                   unicode(0x1035, "<msg-1@fraud.example>"),
                   unicode(0x1000, "Please wire 10,000 EUR today. Details: https://fraud.example/wire"),
                   attach};
  auto bytes = mime::outlook::write_compound_file(root);
  return bytes ? *bytes : std::string();
}

std::string mail_with_msg_attachment() {
  const std::string b64 = text::base64_encode(outlook_msg_bytes());
  std::string wrapped;
  for (std::size_t i = 0; i < b64.size(); i += 76) wrapped += b64.substr(i, 76) + "\r\n";
  return "Message-ID: <report-msg@corp.example>\r\n"
         "Date: Thu, 29 Aug 2019 11:00:00 +0000\r\n"
         "From: erin@corp.example\r\n"
         "To: soc@corp.example\r\n"
         "Subject: Suspicious Outlook message\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
         "--m\r\nContent-Type: text/plain\r\n\r\nForwarding the .msg as an attachment.\r\n"
         "--m\r\nContent-Type: application/vnd.ms-outlook; name=\"Suspicious.msg\"\r\n"
         "Content-Disposition: attachment; filename=\"Suspicious.msg\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         wrapped + "--m--\r\n";
}

}  // namespace emailv2::connector::test
