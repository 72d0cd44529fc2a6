// Fuzzes the builder with hostile field values: it either refuses (CR/LF/NUL) or emits CRLF-only lines ≤ 998
// bytes, and what it emits parses back to the same subject.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/text.h"
#include "mime/build_message.h"
#include "mime/charset.h"
#include "mime/parse_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in = emailv2::mime::sanitize_utf8(std::string(reinterpret_cast<const char*>(data), size));
  const std::size_t cut = in.find('|');
  emailv2::mime::OutgoingMail mail;
  mail.from_address = "a@b.example";
  mail.to = {"c@d.example"};
  mail.subject = in.substr(0, cut);
  mail.from_name = mail.subject;
  mail.html = cut == std::string::npos ? in : in.substr(cut + 1);
  emailv2::mime::OutgoingAttachment att;
  att.file_name = mail.subject;
  att.data = in;
  mail.attachments.push_back(att);
  emailv2::mime::BuildOptions opts;
  opts.now_ms = 1'700'000'000'000;
  const auto built = emailv2::mime::build_message(mail, opts);
  if (!built) return 0;
  const std::string& s = built->bytes;
  std::size_t line = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\n') continue;
    if (i == 0 || s[i - 1] != '\r' || i - 1 - line > 998) std::abort();
    line = i + 1;
  }
  const auto parsed = emailv2::mime::parse_message(s);
  std::string want;
  for (char c : mail.subject) want.push_back(static_cast<unsigned char>(c) < 0x20 && c != '\t' ? ' ' : c);
  // Header values are trimmed when read back: leading/trailing whitespace of a subject is not preserved.
  if (emailv2::text::trim(parsed.raw_subject) != emailv2::text::trim(want) && want.find("=?") == std::string::npos)
    std::abort();
  return 0;
}
