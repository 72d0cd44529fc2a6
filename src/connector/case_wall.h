#pragma once
// The case wall of an ingested message (CONTRACT §5.4): byte-exact files with their original names as metadata.
// Pure; the store computes size and digests from the bytes.

#include <string>
#include <string_view>
#include <vector>

#include "mime/message.h"
#include "store/case_repository.h"

namespace emailv2::connector {

inline constexpr std::string_view kDescAttachment = "Original email attachment";
inline constexpr std::string_view kDescAttachedMail = "Attached email file";
inline constexpr std::string_view kDescOriginal = "Original email";
inline constexpr std::string_view kDescOverLimit = "Original email headers (the message is over the size limit)";
inline constexpr std::string_view kDescFetchFailed = "Original email, partial (the fetch failed)";
inline constexpr std::size_t kOriginalNameChars = 100;

// A wall file: file_name as given, name = stem, type = extension with its dot ("" when none), added by the connector.
store::WallFile wall_file(std::string_view file_name, std::string content, std::string_view description);

// The original message's file name: `<raw_subject NFC, cut to 100 characters, sanitised per §6.4>.eml`, or
// `Undefined_{UUIDv5 of "<sha256>/original"}.eml` when the subject is empty or blank.
std::string original_eml_name(std::string_view raw_subject, std::string_view sha256_hex);

// One wall file per entry of msg.attachments, in order (parallel to it): non-mail files are described
// `Original email attachment`, attached mail files `Attached email file`. alert_index = 0 (the original alert).
std::vector<store::NewWallFile> attachment_files(const mime::Message& msg);
// The same, moving each attachment's bytes out of `msg` instead of copying them (msg.attachments[i].data is left
// empty; everything else in msg is untouched).
std::vector<store::NewWallFile> take_attachment_files(mime::Message& msg);

}  // namespace emailv2::connector
