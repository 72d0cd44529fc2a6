#include "store/attachment_export.h"

#include <sys/stat.h>

#include "store/wall_repository.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::read_file;
using emailv2::testing::TempDir;
using emailv2::testing::write_file;
using testing::create_case;
using testing::open_or_die;

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    created_ = create_case(db_, 1);
    auto wall = WallRepository(db_).list(created_.case_id);
    ASSERT_TRUE(wall && wall->size() == 1u);
    id_ = (*wall)[0].attachment_id;
  }
  TempDir dir_;
  Database db_ = open_or_die(dir_.path() / "store.sqlite");
  CreatedCase created_;
  AttachmentId id_ = 0;
  const std::string expected_{"%PDF-1.4\0binary\xff", 16};
};

TEST_F(ExportTest, AnExistingFileIsRefusedAndUntouched) {
  const auto out = dir_.path() / "taken.pdf";
  write_file(out, "precious");
  auto r = write_attachment_file(db_, id_, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kIoError);
  EXPECT_NE(r.error().detail().find(out.string()), std::string::npos);
  EXPECT_EQ(read_file(out), "precious");
}

TEST_F(ExportTest, ASymlinkIsRefusedAndItsTargetUntouched) {
  const auto target = dir_.path() / "target.txt";
  write_file(target, "do not overwrite");
  const auto link = dir_.path() / "link.pdf";
  std::filesystem::create_symlink(target, link);
  auto r = write_attachment_file(db_, id_, link);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kIoError);
  EXPECT_EQ(read_file(target), "do not overwrite");
}

TEST_F(ExportTest, ADanglingSymlinkIsRefusedAndNothingIsCreated) {
  const auto target = dir_.path() / "would-be-created.txt";
  const auto link = dir_.path() / "dangling.pdf";
  std::filesystem::create_symlink(target, link);
  auto r = write_attachment_file(db_, id_, link);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kIoError);
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(ExportTest, UnknownAttachmentIsAParameterError) {
  const auto out = dir_.path() / "x.pdf";
  auto r = write_attachment_file(db_, id_ + 100, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kParamInvalid);
  EXPECT_EQ(r.error().detail(), "Attachment " + std::to_string(id_ + 100) + " not found in the case store");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(ExportTest, WritesTheBytesExactlyWithMode0600) {
  const auto out = dir_.path() / "out.pdf";
  auto r = write_attachment_file(db_, id_, out);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(read_file(out), expected_);
  EXPECT_EQ(r->size, 16);
  EXPECT_EQ(r->sha256, (*WallRepository(db_).info(id_))->sha256);
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ExportTest, MissingDirectoryIsAnIoError) {
  auto r = write_attachment_file(db_, id_, dir_.path() / "no" / "such" / "dir.pdf");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kIoError);
}

}  // namespace
}  // namespace emailv2::store
