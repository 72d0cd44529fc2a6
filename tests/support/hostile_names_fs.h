#pragma once
// The filesystem half of the hostile-names suite (issue 8 "Filesystem"): plant symlinks, hardlinks, FIFOs, files and
// directories in and beside a target directory, snapshot trees WITHOUT following links, and after a run prove
// 0 escapes (nothing new or changed outside the target), 0 overwrites (every planted entry byte-identical), 0 symlink
// follows (no link target changed, every new entry a single-linked regular file or a real directory).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace emailv2::testing::hostile {

namespace fs = std::filesystem;

struct Entry {
  char type = '?';      // 'f' regular, 'd' directory, 'l' symlink, 'p' FIFO, '?' other
  std::string content;  // regular files
  std::string link;     // symlink target
  nlink_t nlink = 0;
  ino_t inode = 0;
  bool operator==(const Entry&) const = default;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every entry below `root` (relative path → Entry), via lstat: links are recorded, never followed.
inline std::map<std::string, Entry> snapshot(const fs::path& root) {
  std::map<std::string, Entry> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    Entry e;
    e.nlink = st.st_nlink;
    e.inode = st.st_ino;
    if (S_ISREG(st.st_mode)) {
      e.type = 'f';
      e.content = slurp(it->path());
    } else if (S_ISDIR(st.st_mode)) {
      e.type = 'd';
    } else if (S_ISLNK(st.st_mode)) {
      e.type = 'l';
      e.link = fs::read_symlink(it->path()).string();
    } else if (S_ISFIFO(st.st_mode)) {
      e.type = 'p';
    }
    out[fs::relative(it->path(), root).string()] = e;
  }
  return out;
}

inline void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

// Plants, in `dir`, an entry under each name of `names` (cycling through the kinds: symlink to a file outside,
// dangling symlink, symlink to the outside directory, hardlink to an outside file, FIFO, real directory, regular file
// with other content), plus `.emailv2-planted.tmp`. `outside` receives the link targets.
inline void plant(const fs::path& dir, const fs::path& outside, const std::vector<std::string>& names) {
  fs::create_directories(dir);
  fs::create_directories(outside);
  write_bytes(outside / "sentinel.txt", "SENTINEL");
  write_bytes(dir / ".emailv2-planted.tmp", "planted temp");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const fs::path at = dir / names[i];
    if (fs::exists(fs::symlink_status(at))) continue;
    const std::string tag = std::to_string(i);
    switch (i % 7) {
      case 0:
        write_bytes(outside / ("target-" + tag), "TARGET " + tag);
        fs::create_symlink(outside / ("target-" + tag), at);
        break;
      case 1:
        fs::create_symlink(outside / ("dangling-" + tag), at);
        break;
      case 2:
        fs::create_directory_symlink(outside, at);
        break;
      case 3:
        write_bytes(outside / ("hard-" + tag), "HARD " + tag);
        fs::create_hard_link(outside / ("hard-" + tag), at);
        break;
      case 4:
        ::mkfifo(at.c_str(), 0600);
        break;
      case 5:
        fs::create_directory(at);
        break;
      default:
        write_bytes(at, "PLANTED " + tag);
        break;
    }
  }
}

// The checks after a run. `root` is the target directory (its `before` snapshot taken after planting), `outside`
// the sibling that holds link targets, `parent` the directory holding both (nothing new may appear there).
// `allowed_contents` are the bytes the run may write. Returns the new regular files (relative path → content).
inline std::map<std::string, std::string> expect_contained(const fs::path& root,
                                                           const std::map<std::string, Entry>& root_before,
                                                           const fs::path& outside,
                                                           const std::map<std::string, Entry>& outside_before,
                                                           const fs::path& parent,
                                                           const std::set<std::string>& parent_before,
                                                           const std::set<std::string>& allowed_contents) {
  std::map<std::string, std::string> created;
  EXPECT_EQ(snapshot(outside), outside_before) << "something outside the target directory changed";
  std::set<std::string> parent_now;
  for (const auto& e : fs::directory_iterator(parent)) parent_now.insert(e.path().filename().string());
  EXPECT_EQ(parent_now, parent_before) << "an entry appeared beside the target directory";
  for (const char* escape : {"/tmp/emailv2-hostile-escape.txt", "/tmp/emailv2-hostile-abs.txt", "/escape.txt"}) {
    EXPECT_FALSE(fs::exists(fs::symlink_status(escape))) << escape;
  }
  const auto now = snapshot(root);
  for (const auto& [rel, entry] : root_before) {
    const auto it = now.find(rel);
    if (it == now.end()) {
      ADD_FAILURE() << "planted entry removed: " << rel;
      continue;
    }
    Entry expected = entry;
    Entry actual = it->second;
    if (entry.type == 'd') expected.nlink = actual.nlink = 0;  // a planted directory may gain subdirectories
    EXPECT_EQ(actual, expected) << "planted entry changed (overwrite or follow): " << rel;
  }
  for (const auto& [rel, entry] : now) {
    if (root_before.count(rel) != 0) continue;
    const std::string leaf = fs::path(rel).filename().string();
    EXPECT_FALSE(leaf.rfind(".emailv2-", 0) == 0 && leaf.size() > 4 && leaf.substr(leaf.size() - 4) == ".tmp")
        << "temp file left: " << rel;
    if (entry.type == 'd') continue;
    EXPECT_EQ(entry.type, 'f') << "new entry is not a regular file: " << rel;
    EXPECT_EQ(entry.nlink, 1u) << "new file is hardlinked: " << rel;
    EXPECT_EQ(allowed_contents.count(entry.content), 1u) << "unexpected bytes in " << rel;
    EXPECT_LE(leaf.size(), 200u + 13u) << rel;
    created[rel] = entry.content;
  }
  return created;
}

inline std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

}  // namespace emailv2::testing::hostile
