#include "store/wall_repository.h"

#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::create_case;
using testing::kT0;
using testing::open_or_die;

WallFile file(std::string file_name, std::string content, AddedBy by = AddedBy::kSaveEmailAttachmentsToCase) {
  return WallFile{std::nullopt, std::move(file_name), "scan", ".pdf", "Email attachment (<m@lab.test>)",
                  std::move(content), by, std::nullopt};
}

class WallTest : public ::testing::Test {
 protected:
  Result<WallAdd> add(CaseId id, const WallFile& f) {
    auto tx = db_.begin_write();
    if (!tx) return fail(tx.error());
    auto r = wall_.add(*tx, id, f, kT0);
    if (r) EMAILV2_TRY(tx->commit());
    return r;
  }
  TempDir dir_;
  Database db_ = open_or_die(dir_.path() / "store.sqlite");
  WallRepository wall_{db_};
};

TEST_F(WallTest, SameNameAndBytesAreAddedOnce) {
  const CaseId c = create_case(db_, 1).case_id;
  auto first = add(c, file("scan.pdf", "bytes-1"));
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_TRUE(first->added);
  auto again = add(c, file("scan.pdf", "bytes-1", AddedBy::kWaitForEmailFromUser));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->added);
  EXPECT_EQ(again->attachment_id, first->attachment_id);
  // Same bytes under another name, or other bytes under the same name: both new.
  EXPECT_TRUE(add(c, file("copy.pdf", "bytes-1"))->added);
  EXPECT_TRUE(add(c, file("scan.pdf", "bytes-2"))->added);
  // The same file on another case is new there.
  const CaseId other = create_case(db_, 2).case_id;
  EXPECT_TRUE(add(other, file("scan.pdf", "bytes-1"))->added);
  EXPECT_EQ(wall_.list(c)->size(), 4u);  // the sample case's own file + 3
  const std::string sha = (*wall_.info(first->attachment_id))->sha256;
  EXPECT_TRUE(*wall_.contains(c, "scan.pdf", sha));
  EXPECT_FALSE(*wall_.contains(c, "never.pdf", sha));
}

TEST_F(WallTest, HashesAndSizeComeFromTheBytes) {
  const CaseId c = create_case(db_, 1).case_id;
  auto added = add(c, file("abc.txt", "abc"));
  ASSERT_TRUE(added);
  auto info = wall_.info(added->attachment_id);
  ASSERT_TRUE(info && *info);
  EXPECT_EQ((*info)->size, 3);
  EXPECT_EQ((*info)->md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ((*info)->sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ((*info)->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ((*info)->added_by, AddedBy::kSaveEmailAttachmentsToCase);
  EXPECT_EQ((*info)->added_at, kT0);
  EXPECT_EQ((*info)->case_id, c);
}

TEST_F(WallTest, ContentIsByteExactIncludingNulAndEmpty) {
  const CaseId c = create_case(db_, 1).case_id;
  const std::string binary("\0\x01\xff\r\n.\r\n\0", 9);
  auto b = add(c, file("bin.dat", binary));
  auto e = add(c, file("empty.dat", ""));
  ASSERT_TRUE(b && e);
  EXPECT_EQ(**wall_.content(b->attachment_id), binary);
  EXPECT_EQ(**wall_.content(e->attachment_id), "");
  EXPECT_EQ((*wall_.info(e->attachment_id))->sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_FALSE(*wall_.content(987654));
  EXPECT_FALSE(*wall_.info(987654));
}

TEST_F(WallTest, HostileFileNamesAreKeptVerbatim) {
  const CaseId c = create_case(db_, 1).case_id;
  const std::string hostile = std::string("../../etc/passwd\r\n\xe2\x80\xae") + "fdp.exe";
  auto added = add(c, file(hostile, "x"));
  ASSERT_TRUE(added);
  EXPECT_EQ((*wall_.info(added->attachment_id))->file_name, hostile);
}

TEST_F(WallTest, UnknownCaseIsRefused) {
  auto r = add(424242, file("a.pdf", "x"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kStoreError);
}

}  // namespace
}  // namespace emailv2::store
