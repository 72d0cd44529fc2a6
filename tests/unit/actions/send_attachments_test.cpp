// Attachment files of the sending actions (CONTRACT §3.0 "Attachment paths", §2 Allowed Paths): hostile rows first.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions/outgoing_attachments.h"
#include "core/text.h"
#include "support/test_env.h"

namespace emailv2::actions {
namespace {

namespace fs = std::filesystem;

class SendAttachments : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_file(dir_.path() / "ok.txt", "hello");
    testing::write_file(outside_.path() / "secret.txt", "top secret");
  }
  AttachmentPolicy policy(std::vector<std::string> allowed = {}, std::uint64_t max = 1024) {
    AttachmentPolicy p;
    p.max_bytes = max;
    p.allowed_paths = std::move(allowed);
    return p;
  }
  std::string in(const std::string& name) const { return (dir_.path() / name).string(); }
  testing::TempDir dir_;
  testing::TempDir outside_;
};

TEST_F(SendAttachments, HostileRows) {
  fs::create_directory(dir_.path() / "sub");
  ASSERT_EQ(::mkfifo(in("pipe").c_str(), 0600), 0);
  fs::create_symlink(outside_.path() / "secret.txt", dir_.path() / "escape.txt");
  fs::create_symlink(dir_.path() / "nowhere", dir_.path() / "dangling.txt");
  testing::write_file(dir_.path() / "big.bin", std::string(1025, 'b'));
  testing::write_file(dir_.path() / "limit.bin", std::string(1024, 'b'));
  const std::vector<std::string> allowed{dir_.path().string()};
  struct Row {
    std::string path;
    ErrorCode code;
    std::string detail_tail;  // what the message ends with
  };
  const std::vector<Row> rows{
      {in("missing.txt"), ErrorCode::kIoError, ": No such file or directory"},
      {in("sub"), ErrorCode::kIoError, ": not a regular file"},
      {in("pipe"), ErrorCode::kIoError, ": not a regular file"},  // never blocks on a FIFO
      {"/dev/zero", ErrorCode::kPathNotAllowed, "which is outside Allowed Paths"},
      {in("escape.txt"), ErrorCode::kPathNotAllowed, "which is outside Allowed Paths"},
      {in("../") + outside_.path().filename().string() + "/secret.txt", ErrorCode::kPathNotAllowed,
       "which is outside Allowed Paths"},
      {in("dangling.txt"), ErrorCode::kIoError, ": a symbolic link that cannot be resolved"},
      {in("big.bin"), ErrorCode::kIoError, ": larger than Max Message Size (0 MiB)"},
      {in("ok.txt") + "/x", ErrorCode::kIoError, ""},
      {std::string("/tmp/a\0b", 8), ErrorCode::kIoError, ": the path contains a NUL character"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(text::echo_value(row.path));
    auto r = load_attachment(row.path, policy(allowed));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), row.code) << r.error().to_string();
    if (row.code == ErrorCode::kIoError) {
      EXPECT_EQ(r.error().detail().rfind("cannot read attachment " + text::echo_value(row.path), 0), 0u)
          << r.error().detail();
    }
    EXPECT_TRUE(r.error().detail().ends_with(row.detail_tail)) << r.error().detail();
  }
  auto at_limit = load_attachment(in("limit.bin"), policy(allowed));
  ASSERT_TRUE(at_limit) << at_limit.error().to_string();
  EXPECT_EQ(at_limit->data.size(), 1024u);
}

TEST_F(SendAttachments, UnreadableFileIsIoError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads mode-000 files";
  testing::write_file(dir_.path() / "locked.txt", "x");
  ::chmod(in("locked.txt").c_str(), 0);
  auto r = load_attachment(in("locked.txt"), policy());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(), "IO_ERROR: cannot read attachment " + in("locked.txt") + ": Permission denied");
}

TEST_F(SendAttachments, SymlinkInsideAllowedPathsIsFollowedAndNamedAsGiven) {
  fs::create_symlink(dir_.path() / "ok.txt", dir_.path() / "alias.txt");
  auto r = load_attachment(in("alias.txt"), policy({dir_.path().string()}));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->file_name, "alias.txt");
  EXPECT_EQ(r->data, "hello");
  EXPECT_EQ(r->content_type, "application/octet-stream");
  EXPECT_FALSE(r->is_inline);
}

TEST_F(SendAttachments, NoAllowedPathsMeansUnrestricted) {
  auto r = load_attachment((outside_.path() / "secret.txt").string(), policy());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->data, "top secret");
}

TEST_F(SendAttachments, ListStopsAtTheFirstFailureInOrder) {
  auto r = load_attachments({in("ok.txt"), in("missing-1"), in("missing-2")}, policy());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail().find("missing-1"), std::string::npos);
  auto good = load_attachments({in("ok.txt"), in("ok.txt")}, policy());
  ASSERT_TRUE(good);
  EXPECT_EQ(good->size(), 2u);  // the same file twice is two attachments, as asked
}

TEST_F(SendAttachments, EmptyFileIsAnEmptyAttachment) {
  testing::write_file(dir_.path() / "empty", "");
  auto r = load_attachment(in("empty"), policy());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->data.empty());
  EXPECT_EQ(r->file_name, "empty");
}

TEST_F(SendAttachments, PolicyFromConfiguration) {
  mail::IntegrationConfig c;
  c.max_message_mib = 3;
  c.allowed_paths = {"/srv/a", "/srv/b"};
  const AttachmentPolicy p = AttachmentPolicy::from(c);
  EXPECT_EQ(p.max_bytes, 3u * 1024 * 1024);
  EXPECT_EQ(p.allowed_paths, c.allowed_paths);
}

}  // namespace
}  // namespace emailv2::actions
