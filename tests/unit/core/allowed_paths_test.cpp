#include "core/allowed_paths.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_env.h"

namespace emailv2::allowed_paths {
namespace {

namespace fs = std::filesystem;

TEST(AllowedPathsIsWithin, SeparatorAwareTable) {
  struct Row {
    const char* path;
    const char* dir;
    bool within;
  };
  const Row rows[] = {
      {"/data/inbox/x", "/data/in", false},  // prefix of a component is not inside
      {"/data/in2", "/data/in", false},
      {"/data", "/data/in", false},
      {"/other/in/x", "/data/in", false},
      {"/data/in", "/data/in", true},
      {"/data/in/", "/data/in", true},
      {"/data/in/x", "/data/in/", true},
      {"/data/in/a/b/c", "/data/in", true},
      {"/x", "/", true},
      {"/", "/", true},
  };
  for (const Row& r : rows) EXPECT_EQ(is_within(r.path, r.dir), r.within) << r.path << " in " << r.dir;
}

TEST(AllowedPathsCheck, EmptyListAllowsEverythingButStillResolves) {
  auto r = check("/tmp/../tmp/./x", {}, "Attachment path");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, fs::weakly_canonical("/tmp/x"));
}

TEST(AllowedPathsCheck, SymlinkOutOfTheAllowedDirectoryIsRefused) {
  testing::TempDir allowed;
  testing::TempDir outside;
  testing::write_file(outside.path() / "secret.txt", "s");
  fs::create_symlink(outside.path() / "secret.txt", allowed.path() / "link.txt");
  testing::write_file(allowed.path() / "ok.txt", "o");
  const std::vector<std::string> list{allowed.path().string()};

  auto good = check(allowed.path() / "ok.txt", list, "Attachment path");
  ASSERT_TRUE(good) << good.error().to_string();

  auto bad = check(allowed.path() / "link.txt", list, "Attachment path");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kPathNotAllowed);
  EXPECT_NE(bad.error().detail().find("which is outside Allowed Paths"), std::string::npos);
  EXPECT_EQ(bad.error().detail().rfind("Attachment path \"", 0), 0u) << bad.error().detail();

  auto dotdot = check(allowed.path() / ".." / outside.path().filename() / "secret.txt", list, "Attachment path");
  ASSERT_FALSE(dotdot);
  EXPECT_EQ(dotdot.error().code(), ErrorCode::kPathNotAllowed);
}

TEST(AllowedPathsCheck, AllowedDirectoryGivenThroughASymlinkIsResolvedToo) {
  testing::TempDir real;
  testing::TempDir links;
  fs::create_symlink(real.path(), links.path() / "alias");
  testing::write_file(real.path() / "f", "x");
  auto r = check(real.path() / "f", {(links.path() / "alias").string() + "/"}, "Attachment path");
  EXPECT_TRUE(r) << r.error().to_string();
}

TEST(AllowedPathsCheck, ControlCharactersAreEscapedInTheMessage) {
  testing::TempDir allowed;
  auto r = check("/etc/pass\nwd", {allowed.path().string()}, "Attachment path");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace emailv2::allowed_paths
