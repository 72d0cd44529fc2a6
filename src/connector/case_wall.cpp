#include "connector/case_wall.h"

#include <tuple>

#include "core/file_names.h"
#include "core/text.h"
#include "mime/charset.h"
#include "mime/digest.h"
#include "mime/nfc.h"

namespace emailv2::connector {
namespace {

// The first `max_chars` code points of valid UTF-8.
std::string_view first_chars(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) return s.substr(0, i);
    ++chars;
  }
  return s;
}

}  // namespace

store::WallFile wall_file(std::string_view file_name, std::string content, std::string_view description) {
  store::WallFile f;
  // Metadata only (the bytes are untouched): invalid UTF-8 becomes U+FFFD so every JSON view can print it.
  f.file_name = mime::is_valid_utf8(file_name) ? std::string(file_name) : mime::sanitize_utf8(file_name);
  std::tie(f.name, f.type) = file_names::stem_and_type(f.file_name);
  f.description = std::string(description);
  f.content = std::move(content);
  f.added_by = store::AddedBy::kConnector;
  return f;
}

std::string original_eml_name(std::string_view raw_subject, std::string_view sha256_hex) {
  const std::string valid = mime::is_valid_utf8(raw_subject) ? std::string(raw_subject) : mime::sanitize_utf8(raw_subject);
  const std::string subject = mime::nfc(text::trim(valid));
  if (!subject.empty()) {
    const std::string cut(text::trim(first_chars(subject, kOriginalNameChars)));
    const std::string name = file_names::sanitise(cut + ".eml");
    // A subject made only of dots/spaces sanitises to "eml"-less noise; keep the .eml extension in every case.
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".eml") == 0) return name;
  }
  return "Undefined_" + mime::uuid_v5(std::string(sha256_hex) + "/original") + ".eml";
}

namespace {

store::NewWallFile attachment_file(const mime::Attachment& a, std::string content) {
  store::NewWallFile f;
  f.alert_index = 0;
  f.file = wall_file(a.name, std::move(content), a.is_email ? kDescAttachedMail : kDescAttachment);
  f.file.digest = store::ContentDigest{0, a.md5, a.sha1, a.sha256};  // MIME hashed these bytes: no re-hashing
  return f;
}

}  // namespace

std::vector<store::NewWallFile> attachment_files(const mime::Message& msg) {
  std::vector<store::NewWallFile> out;
  out.reserve(msg.attachments.size());
  for (const mime::Attachment& a : msg.attachments) out.push_back(attachment_file(a, a.data));
  return out;
}

std::vector<store::NewWallFile> take_attachment_files(mime::Message& msg) {
  std::vector<store::NewWallFile> out;
  out.reserve(msg.attachments.size());
  for (mime::Attachment& a : msg.attachments) out.push_back(attachment_file(a, std::move(a.data)));
  return out;
}

}  // namespace emailv2::connector
