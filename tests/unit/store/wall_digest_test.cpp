// WallFile::digest: precomputed hashes are stored as given (no re-hashing), missing ones are computed.

#include "store/content_digest.h"
#include "store/wall_repository.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::create_case;
using testing::kT0;
using testing::open_or_die;

WallFile file(std::string content, std::optional<ContentDigest> digest) {
  WallFile f;
  f.file_name = "a.bin";
  f.name = "a";
  f.type = ".bin";
  f.description = "Original email attachment";
  f.content = std::move(content);
  f.digest = std::move(digest);
  return f;
}

WallAttachmentInfo add_and_read(Database& db, CaseId c, const WallFile& f) {
  auto tx = db.begin_write();
  EXPECT_TRUE(tx);
  auto added = WallRepository(db).add(*tx, c, f, kT0);
  EXPECT_TRUE(added) << added.error().to_string();
  EXPECT_TRUE(tx->commit());
  auto info = WallRepository(db).info(added ? added->attachment_id : 0);
  EXPECT_TRUE(info && *info);
  return info && *info ? **info : WallAttachmentInfo{};
}

TEST(WallDigest, CompleteDigestKeepsGivenFieldsAndComputesTheRest) {
  const std::string bytes("\0abc\xff", 5);
  const ContentDigest full = digest_of(bytes);
  EXPECT_EQ(complete_digest(bytes, ContentDigest{}).sha256, full.sha256);
  EXPECT_EQ(complete_digest(bytes, ContentDigest{}).md5, full.md5);
  EXPECT_EQ(complete_digest(bytes, ContentDigest{}).sha1, full.sha1);
  const ContentDigest partial = complete_digest(bytes, ContentDigest{999, "", "", "given-sha256"});
  EXPECT_EQ(partial.size, 5);  // size always from the bytes
  EXPECT_EQ(partial.md5, full.md5);
  EXPECT_EQ(partial.sha1, full.sha1);
  EXPECT_EQ(partial.sha256, "given-sha256");
}

TEST(WallDigest, PrecomputedDigestIsStoredWithoutRehashing) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  const CaseId c = create_case(db, 1).case_id;
  // Deliberately not the bytes' hashes: proves the repository used them instead of hashing again.
  const auto info = add_and_read(db, c, file("abc", ContentDigest{3, "m", "s1", "s256"}));
  EXPECT_EQ(info.md5, "m");
  EXPECT_EQ(info.sha1, "s1");
  EXPECT_EQ(info.sha256, "s256");
  EXPECT_EQ(info.size, 3);
}

TEST(WallDigest, AbsentOrEmptyDigestIsComputedFromTheBytes) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  const CaseId c = create_case(db, 1).case_id;
  const std::string bytes = "abc";
  const ContentDigest want = digest_of(bytes);
  for (const auto& digest : {std::optional<ContentDigest>(), std::optional<ContentDigest>(ContentDigest{})}) {
    WallFile f = file(bytes, digest);
    f.file_name = digest ? "empty.bin" : "absent.bin";
    const auto info = add_and_read(db, c, f);
    EXPECT_EQ(info.md5, "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(info.sha1, want.sha1);
    EXPECT_EQ(info.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(info.size, 3);
  }
}

}  // namespace
}  // namespace emailv2::store
