#pragma once
// The case wall (`wall_attachment`, CONTRACT §5.4/§5.6): byte-exact files attached to a case. A file is on a case
// at most once per (case, sha256, file_name): adding it again is reported as not new and changes nothing.
// Size, MD5, SHA-1 and SHA-256 are computed here from the bytes, so metadata and content cannot disagree — unless
// the caller supplies WallFile::digest, hashes it already computed of the SAME bytes (the MIME layer's), which are
// then stored as given (no re-hashing); tests check such callers against digest_of.

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/content_digest.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::store {

struct WallFile {
  std::optional<AlertId> alert_id;  // the alert it came from, if any
  std::string file_name;            // as in the message (verbatim metadata; sanitised only on disk)
  std::string name;                 // stem
  std::string type;                 // extension with dot, "" when none
  std::string description;          // "Original email attachment", "Email attachment (<id>)", ...
  std::string content;              // the bytes
  AddedBy added_by = AddedBy::kConnector;
  // Optional precomputed hashes of `content` (lower-case hex). Each non-empty one is stored as given, each empty one
  // is computed; size is always content.size(). Absent: all computed (complete_digest, store/content_digest.h).
  std::optional<ContentDigest> digest;
};

struct WallAttachmentInfo {  // metadata, no content
  AttachmentId attachment_id = 0;
  CaseId case_id = 0;
  std::optional<AlertId> alert_id;
  std::string file_name;
  std::string name;
  std::string type;
  std::string description;
  std::int64_t size = 0;
  std::string md5;     // lower-case hex
  std::string sha1;
  std::string sha256;
  AddedBy added_by = AddedBy::kConnector;
  TimePoint added_at;
};

struct WallAdd {
  AttachmentId attachment_id = 0;  // the new row, or the one already there
  bool added = false;              // false: (case, sha256, file_name) was already on the wall
};

class WallRepository {
 public:
  explicit WallRepository(Database& db) : db_(db) {}

  // STORE_ERROR when the case does not exist (foreign key).
  Result<WallAdd> add(WriteTransaction& tx, CaseId case_id, const WallFile& file, TimePoint now);
  // The same with `alert_id` in place of file.alert_id (a case's files name their alert by index until it exists):
  // the bytes are bound where they are, never copied.
  Result<WallAdd> add(WriteTransaction& tx, CaseId case_id, const WallFile& file, std::optional<AlertId> alert_id,
                      TimePoint now);
  // Metadata of a case's wall, in insertion order.
  Result<std::vector<WallAttachmentInfo>> list(CaseId case_id);
  Result<std::optional<WallAttachmentInfo>> info(AttachmentId id);
  // The bytes of one attachment; nullopt when there is no such id.
  Result<std::optional<std::string>> content(AttachmentId id);
  // Whether a file with this name and SHA-256 is already on the case (Save's "not added again").
  Result<bool> contains(CaseId case_id, std::string_view file_name, std::string_view sha256);

 private:
  Database& db_;
};

}  // namespace emailv2::store
