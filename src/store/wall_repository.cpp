#include "store/wall_repository.h"

#include "store/content_digest.h"
#include "store/statement.h"

namespace emailv2::store {
namespace {

constexpr std::string_view kInfoColumns =
    "id, case_id, alert_id, file_name, name, type, description, size, md5, sha1, sha256, added_by, added_at";

Result<WallAttachmentInfo> read_info(const Statement& s, const std::string& path) {
  WallAttachmentInfo w;
  w.attachment_id = s.column_int(0);
  w.case_id = s.column_int(1);
  w.alert_id = s.column_optional_int(2);
  w.file_name = s.column_text(3);
  w.name = s.column_text(4);
  w.type = s.column_text(5);
  w.description = s.column_text(6);
  w.size = s.column_int(7);
  w.md5 = s.column_text(8);
  w.sha1 = s.column_text(9);
  w.sha256 = s.column_text(10);
  const auto added_by = parse_added_by(s.column_text(11));
  if (!added_by) {
    return fail(ErrorCode::kStoreCorrupt, "case store " + path + ": wall attachment " +
                                              std::to_string(w.attachment_id) + " has an unknown added_by");
  }
  w.added_by = *added_by;
  w.added_at = from_epoch_ms(s.column_int(12));
  return w;
}

}  // namespace

Result<WallAdd> WallRepository::add(WriteTransaction& tx, CaseId case_id, const WallFile& f, TimePoint now) {
  return add(tx, case_id, f, f.alert_id, now);
}

Result<WallAdd> WallRepository::add(WriteTransaction& tx, CaseId case_id, const WallFile& f,
                                    std::optional<AlertId> alert_id, TimePoint now) {
  const ContentDigest d = f.digest ? complete_digest(f.content, *f.digest) : digest_of(f.content);
  auto s = Statement::prepare(
      tx.handle(),
      "INSERT INTO wall_attachment (case_id, alert_id, file_name, name, type, description, size, md5, sha1, sha256, "
      "content, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
      "ON CONFLICT (case_id, sha256, file_name) DO NOTHING");
  if (!s) return fail(s.error());
  s->bind_int(1, case_id).bind_optional_int(2, alert_id).bind_text(3, f.file_name).bind_text(4, f.name);
  s->bind_text(5, f.type).bind_text(6, f.description).bind_int(7, d.size).bind_text(8, d.md5);
  s->bind_text(9, d.sha1).bind_text(10, d.sha256).bind_blob_ref(11, f.content).bind_text(12, to_string(f.added_by));
  s->bind_int(13, epoch_ms(now));
  EMAILV2_TRY(s->run());
  if (tx.handle().changes() == 1) return WallAdd{tx.handle().last_insert_rowid(), true};

  auto existing = Statement::prepare(
      tx.handle(), "SELECT id FROM wall_attachment WHERE case_id = ?1 AND sha256 = ?2 AND file_name = ?3");
  if (!existing) return fail(existing.error());
  existing->bind_int(1, case_id).bind_text(2, d.sha256).bind_text(3, f.file_name);
  auto row = existing->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(ErrorCode::kInternal, "wall attachment insert ignored but no existing row");
  return WallAdd{existing->column_int(0), false};
}

Result<std::vector<WallAttachmentInfo>> WallRepository::list(CaseId case_id) {
  auto s = Statement::prepare(db_.handle(), "SELECT " + std::string(kInfoColumns) +
                                                " FROM wall_attachment WHERE case_id = ?1 ORDER BY id");
  if (!s) return fail(s.error());
  s->bind_int(1, case_id);
  std::vector<WallAttachmentInfo> out;
  for (;;) {
    auto row = s->step();
    if (!row) return fail(row.error());
    if (!*row) return out;
    auto info = read_info(*s, db_.handle().path());
    if (!info) return fail(info.error());
    out.push_back(std::move(*info));
  }
}

Result<std::optional<WallAttachmentInfo>> WallRepository::info(AttachmentId id) {
  auto s = Statement::prepare(db_.handle(), "SELECT " + std::string(kInfoColumns) + " FROM wall_attachment WHERE id = ?1");
  if (!s) return fail(s.error());
  s->bind_int(1, id);
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<WallAttachmentInfo>();
  auto info = read_info(*s, db_.handle().path());
  if (!info) return fail(info.error());
  return std::optional<WallAttachmentInfo>(std::move(*info));
}

Result<std::optional<std::string>> WallRepository::content(AttachmentId id) {
  auto s = Statement::prepare(db_.handle(), "SELECT content FROM wall_attachment WHERE id = ?1");
  if (!s) return fail(s.error());
  s->bind_int(1, id);
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(s->column_blob(0));
}

Result<bool> WallRepository::contains(CaseId case_id, std::string_view file_name, std::string_view sha256) {
  auto s = Statement::prepare(db_.handle(),
                              "SELECT 1 FROM wall_attachment WHERE case_id = ?1 AND sha256 = ?2 AND file_name = ?3");
  if (!s) return fail(s.error());
  s->bind_int(1, case_id).bind_text(2, sha256).bind_text(3, file_name);
  return s->step();
}

}  // namespace emailv2::store
