// CONTRACT §6.4 writer: every file lands inside the directory, nothing outside is created or modified, nothing is
// overwritten, links are never written through, temp files never remain.
#include "core/safe_file_writer.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/file_names.h"
#include "support/test_env.h"

namespace emailv2 {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

// Every regular file/link/dir below root with its content (links: "->target"), for before/after comparisons.
std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string rel = fs::relative(e.path(), root).string();
    if (e.is_symlink()) {
      out[rel] = "->" + fs::read_symlink(e.path()).string();
    } else if (e.is_regular_file()) {
      out[rel] = read_file(e.path());
    } else {
      out[rel] = "<dir>";
    }
  }
  return out;
}

std::vector<std::string> hostile_names() {
  std::vector<std::string> v = {
      "../../x", "../x", "..", ".", "", "/", "/etc/passwd", "/tmp/evil", "..\\..\\x", "..\\", "\\\\server\\share",
      std::string("a\0b", 3), std::string("\0", 1), "a\rb", "a\nb", "\r\n", "invoice\xE2\x80\xAE" "fdp.exe",
      "\xE2\x81\xA6x\xE2\x81\xA9", "CON", "con.txt", "nul.tar.gz", "PRN", "AUX.doc", "COM1", "LPT9.txt", "-rf",
      "--", "...", " . ", "a:b", "*", "?", "\"", "<>", "|", "\x7f", "\x01\x02", "\xff\xfe", "~", "~root",
      "$HOME", "`id`", "$(id)", "a;rm -rf ~", "outside", "link", "hard", "dangling", "dir", "fifo",
      std::string(10'000, 'A'), std::string(10'000, '.'), std::string(10'000, '/'), "\xE2\x82\xAC" + std::string(300, 'x'),
      std::string(300, 'x') + ".txt", "a." + std::string(300, 'e'), ".bashrc", ".ssh", "authorized_keys",
  };
  for (int i = 0; v.size() < 220; ++i) {
    const std::string n = std::to_string(i);
    v.push_back("../" + n);
    v.push_back("/abs/" + n + ".txt");
    v.push_back("..\\" + n + ".exe");
    v.push_back("con." + n);
    v.push_back(std::string(1, static_cast<char>(i % 32)) + n);
  }
  return v;
}

class SafeFileWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    outside_ = tmp_.path() / "outside";
    target_ = tmp_.path() / "target";
    fs::create_directories(outside_);
    fs::create_directories(target_);
    write_file(outside_ / "victim", "original");
    // Pre-planted traps inside the target directory.
    fs::create_symlink(outside_ / "victim", target_ / "link");
    fs::create_symlink(outside_ / "nonexistent", target_ / "dangling");
    fs::create_symlink(outside_, target_ / "outside");
    fs::create_hard_link(outside_ / "victim", target_ / "hard");
    fs::create_directory(target_ / "dir");
    ASSERT_EQ(::mkfifo((target_ / "fifo").c_str(), 0600), 0);
  }

  TempDir tmp_;
  fs::path outside_;
  fs::path target_;
};

TEST_F(SafeFileWriterTest, HostileNamesAllLandInsideAndNothingOutsideChanges) {
  const auto outside_before = snapshot(outside_);
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir) << dir.error().to_string();
  const auto names = hostile_names();
  ASSERT_GE(names.size(), 200u);
  std::set<std::string> written;
  std::size_t i = 0;
  for (const std::string& raw : names) {
    const std::string content = "content " + std::to_string(i++);
    auto w = dir->write_file(file_names::sanitise(raw), content);
    ASSERT_TRUE(w) << w.error().to_string();
    EXPECT_EQ(w->path.parent_path(), target_);
    EXPECT_FALSE(w->reused);
    EXPECT_TRUE(written.insert(w->name).second) << "name reused: " << w->name;
    struct stat st {};
    ASSERT_EQ(::lstat(w->path.c_str(), &st), 0) << w->path;
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_nlink, 1u);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
    EXPECT_EQ(read_file(w->path), content);
  }
  EXPECT_EQ(snapshot(outside_), outside_before);
  EXPECT_EQ(read_file(outside_ / "victim"), "original");
  EXPECT_FALSE(fs::exists(outside_ / "nonexistent"));
  for (const auto& e : fs::directory_iterator(target_)) {
    EXPECT_EQ(e.path().filename().string().rfind(".emailv2-", 0), std::string::npos) << "temp left: " << e.path();
  }
  // The traps are untouched.
  EXPECT_TRUE(fs::is_symlink(target_ / "link"));
  EXPECT_TRUE(fs::is_symlink(target_ / "dangling"));
  EXPECT_TRUE(fs::is_directory(target_ / "dir"));
  EXPECT_TRUE(fs::is_empty(target_ / "dir"));
}

TEST_F(SafeFileWriterTest, LinksAndOtherEntriesGetTheNextSuffixEvenWithSameContent) {
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir);
  for (const std::string name : {"link", "dangling", "hard", "dir", "fifo", "outside"}) {
    auto w = dir->write_file(name, "original");  // same bytes as the link targets
    ASSERT_TRUE(w) << w.error().to_string();
    EXPECT_EQ(w->name, name + " (2)");
    EXPECT_FALSE(w->reused);
  }
  EXPECT_EQ(read_file(outside_ / "victim"), "original");
  EXPECT_FALSE(fs::exists(outside_ / "nonexistent"));
}

TEST_F(SafeFileWriterTest, SameContentIsReusedDifferentContentGetsNextSuffix) {
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir);
  auto a = dir->write_file("a.txt", "one");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "a.txt");
  auto again = dir->write_file("a.txt", "one");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->reused);
  EXPECT_EQ(again->name, "a.txt");
  auto other = dir->write_file("a.txt", "two");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->name, "a (2).txt");
  auto third = dir->write_file("a.txt", "three");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->name, "a (3).txt");
  auto two_again = dir->write_file("a.txt", "two");
  ASSERT_TRUE(two_again);
  EXPECT_TRUE(two_again->reused);
  EXPECT_EQ(two_again->name, "a (2).txt");
  EXPECT_EQ(read_file(target_ / "a.txt"), "one");
  EXPECT_EQ(read_file(target_ / "a (2).txt"), "two");
  EXPECT_EQ(read_file(target_ / "a (3).txt"), "three");
}

TEST_F(SafeFileWriterTest, SameContentBehindAHardlinkIsNotReused) {
  write_file(outside_ / "same", "payload");
  fs::create_hard_link(outside_ / "same", target_ / "p.bin");
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir);
  auto w = dir->write_file("p.bin", "payload");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->name, "p (2).bin");
  EXPECT_FALSE(w->reused);
}

TEST_F(SafeFileWriterTest, EmptyFileIsWrittenAndReused) {
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir);
  auto w = dir->write_file("empty", "");
  ASSERT_TRUE(w);
  EXPECT_EQ(fs::file_size(w->path), 0u);
  auto again = dir->write_file("empty", "");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->reused);
}

TEST_F(SafeFileWriterTest, UnsanitisedNamesAreRefused) {
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir);
  for (const std::string bad : {"", ".", "..", "../x", "a/b", "/abs"}) {
    auto w = dir->write_file(bad, "x");
    ASSERT_FALSE(w) << bad;
    EXPECT_EQ(w.error().code(), ErrorCode::kParamInvalid);
  }
  EXPECT_FALSE(dir->write_file(std::string("a\0b", 3), "x"));
}

TEST_F(SafeFileWriterTest, SubdirectoryNeverFollowsASymlink) {
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir);
  auto sub = dir->subdirectory("outside");  // a symlink to outside_
  ASSERT_TRUE(sub) << sub.error().to_string();
  EXPECT_EQ(sub->path(), target_ / "outside (2)");
  auto w = sub->write_file("x", "y");
  ASSERT_TRUE(w);
  EXPECT_FALSE(fs::exists(outside_ / "x"));
  auto file_taken = dir->subdirectory("hard");
  ASSERT_TRUE(file_taken);
  EXPECT_EQ(file_taken->path(), target_ / "hard (2)");
  auto existing = dir->subdirectory("dir");
  ASSERT_TRUE(existing);
  EXPECT_EQ(existing->path(), target_ / "dir");
  struct stat st {};
  ASSERT_EQ(::stat((target_ / "outside (2)").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u);
}

TEST_F(SafeFileWriterTest, OpenCreatesMissingDirectoriesWithMode0750) {
  const fs::path p = tmp_.path() / "new" / "deeper";
  auto dir = SafeDirectory::open(p, true);
  ASSERT_TRUE(dir) << dir.error().to_string();
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u & ~[] { const mode_t m = ::umask(0); ::umask(m); return m; }());
}

TEST_F(SafeFileWriterTest, OpenFailsWithIoErrorNamingThePath) {
  auto missing = SafeDirectory::open(tmp_.path() / "missing", false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kIoError);
  EXPECT_NE(missing.error().detail().find("missing"), std::string::npos);
  auto file = SafeDirectory::open(outside_ / "victim", true);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code(), ErrorCode::kIoError);
}

TEST_F(SafeFileWriterTest, WriteErrorIsIoErrorAndLeavesNoTempFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir);
  fs::permissions(target_, fs::perms::owner_read | fs::perms::owner_exec);
  auto w = dir->write_file("x.txt", "data");
  fs::permissions(target_, fs::perms::owner_all);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kIoError);
  EXPECT_NE(w.error().detail().find(target_.string()), std::string::npos);
  EXPECT_FALSE(fs::exists(target_ / "x.txt"));
}

// A write that fails midway (file-size limit: EFBIG, like a full disk) is IO_ERROR and removes the temp file.
TEST_F(SafeFileWriterTest, FailedWriteIsIoErrorAndRemovesTheTempFile) {
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir);
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto w = dir->write_file("too-big.bin", std::string(100'000, 'x'));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kIoError);
  EXPECT_NE(w.error().detail().find(target_.string()), std::string::npos) << w.error().detail();
  EXPECT_FALSE(fs::exists(target_ / "too-big.bin"));
  for (const auto& e : fs::directory_iterator(target_)) {
    EXPECT_EQ(e.path().filename().string().rfind(".emailv2-", 0), std::string::npos) << "temp left: " << e.path();
  }
}

TEST_F(SafeFileWriterTest, OneMebibyteFileLeavesNoTempFile) {
  auto dir = SafeDirectory::open(target_, false);
  ASSERT_TRUE(dir);
  auto w = dir->write_file("big.bin", std::string(1 << 20, 'x'));
  ASSERT_TRUE(w);
  EXPECT_EQ(fs::file_size(w->path), 1u << 20);
  for (const auto& e : fs::directory_iterator(target_)) {
    EXPECT_EQ(e.path().filename().string().rfind(".emailv2-", 0), std::string::npos);
  }
}

}  // namespace
}  // namespace emailv2
