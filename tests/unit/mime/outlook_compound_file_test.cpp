// CFB reader and writer: round trips through the writer, then hostile containers built by patching valid ones.
#include <gtest/gtest.h>

#include <string>

#include "mime/outlook/byte_reader.h"
#include "mime/outlook/compound_file.h"
#include "mime/outlook/compound_writer.h"

namespace emailv2::mime::outlook {
namespace {

constexpr std::uint32_t kEnd = 0xFFFFFFFE;

CfbNode stream(std::string name, std::string data) { return CfbNode{std::move(name), false, std::move(data), {}}; }
CfbNode storage(std::string name, std::vector<CfbNode> children) {
  return CfbNode{std::move(name), true, {}, std::move(children)};
}

std::string sample_file() {
  CfbNode root = storage("Root Entry", {stream("small", "hello"), stream("big", std::string(10000, 'b')),
                                        storage("sub", {stream("inner", "x"), stream("empty", "")})});
  auto bytes = write_compound_file(root);
  EXPECT_TRUE(bytes.has_value());
  return bytes.value_or("");
}

void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
std::uint32_t get_u32(const std::string& s, std::size_t at) { return ByteReader(s).u32_at(at); }
std::size_t sector_offset(std::uint32_t sector) { return (static_cast<std::size_t>(sector) + 1) * 512; }

// The directory entry offset of the entry named `name` (UTF-16 compare on the ASCII name).
std::size_t dir_entry_offset(const std::string& file, std::string_view name) {
  const std::uint32_t dir = get_u32(file, 0x30);
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t at = sector_offset(dir) + i * 128;
    bool same = file[at + 2 * name.size()] == '\0';
    for (std::size_t k = 0; k < name.size() && same; ++k) same = file[at + 2 * k] == name[k];
    if (same) return at;
  }
  ADD_FAILURE() << "no entry " << name;
  return 0;
}

TEST(CompoundFile, WriterOutputReadsBack) {
  const std::string bytes = sample_file();
  auto file = CompoundFile::open(bytes);
  ASSERT_TRUE(file) << file.error().to_string();
  EXPECT_EQ(file->read_stream("small").value(), "hello");
  EXPECT_EQ(file->read_stream("big").value(), std::string(10000, 'b'));
  EXPECT_EQ(file->read_stream("SUB/Inner").value(), "x");  // names compare case-insensitively
  EXPECT_EQ(file->read_stream("sub/empty").value(), "");
  EXPECT_EQ(file->root().children.size(), 3u);
  EXPECT_EQ(file->find("sub/nothing"), nullptr);
  EXPECT_FALSE(file->read_stream("sub"));  // a storage is not a stream
}

TEST(CompoundFile, CopyStorageRoundTripsThroughTheWriter) {
  const std::string bytes = sample_file();
  auto file = CompoundFile::open(bytes);
  ASSERT_TRUE(file);
  auto tree = copy_storage(*file, *file->find("sub"));
  ASSERT_TRUE(tree);
  auto rewritten = write_compound_file(*tree);
  ASSERT_TRUE(rewritten);
  auto again = CompoundFile::open(*rewritten);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->read_stream("inner").value(), "x");
  // Deterministic: the same tree gives the same bytes (so embedded messages hash the same on every run).
  EXPECT_EQ(*rewritten, write_compound_file(*tree).value());
}

TEST(CompoundFile, ManyChildrenAndLargeFilesUseBalancedTreesAndDifat) {
  std::vector<CfbNode> children;
  for (int i = 0; i < 300; ++i) children.push_back(stream("s" + std::to_string(i), std::string(50, static_cast<char>('a' + i % 26))));
  // 8 MiB of regular sectors needs > 109 FAT sectors, so extra DIFAT sectors.
  children.push_back(stream("huge", std::string(8 * 1024 * 1024, 'h')));
  auto bytes = write_compound_file(storage("Root Entry", std::move(children)));
  ASSERT_TRUE(bytes);
  EXPECT_GT(get_u32(*bytes, 0x48), 0u) << "expected DIFAT sectors";
  auto file = CompoundFile::open(*bytes);
  ASSERT_TRUE(file) << file.error().to_string();
  EXPECT_EQ(file->root().children.size(), 301u);
  EXPECT_EQ(file->read_stream("s299").value(), std::string(50, static_cast<char>('a' + 299 % 26)));
  EXPECT_EQ(file->read_stream("huge").value().size(), 8u * 1024 * 1024);
}

TEST(CompoundFile, WriterRejectsBadNames) {
  EXPECT_FALSE(write_compound_file(storage("r", {stream(std::string(32, 'n'), "")})));
  EXPECT_FALSE(write_compound_file(storage("r", {stream("", "")})));
  EXPECT_TRUE(write_compound_file(storage("r", {stream(std::string(31, 'n'), "")})));
}

// Hostile rows: each patch turns the valid sample into a specific corruption.
struct HostileCase {
  const char* name;
  void (*patch)(std::string&);
  bool open_fails;      // false: open succeeds but reading "big" must fail
};

const HostileCase kHostile[] = {
    {"bad signature", [](std::string& f) { f[0] = 'X'; }, true},
    {"truncated header", [](std::string& f) { f.resize(300); }, true},
    {"sector size 2^20", [](std::string& f) { f[0x1E] = 20; }, true},
    {"mini cutoff not 4096", [](std::string& f) { put_u32(f, 0x38, 1); }, true},
    {"FAT sector index out of range", [](std::string& f) { put_u32(f, 0x4C, 0x00FFFFFF); }, true},
    {"directory start out of range", [](std::string& f) { put_u32(f, 0x30, 0x00FFFFFF); }, true},
    {"DIFAT chain loops", [](std::string& f) {
       put_u32(f, 0x48, 1);
       put_u32(f, 0x44, get_u32(f, 0x4C));  // the FAT sector doubles as a DIFAT sector pointing at itself
       const std::uint32_t fat = get_u32(f, 0x4C);
       put_u32(f, sector_offset(fat) + 127 * 4, fat);
     }, true},
    {"directory sibling loop", [](std::string& f) {
       const std::size_t small = dir_entry_offset(f, "small");
       put_u32(f, small + 0x44, 1);  // left sibling -> an ancestor position in the same tree
       put_u32(f, small + 0x48, 1);
     }, true},
    {"directory child points at root", [](std::string& f) {
       put_u32(f, dir_entry_offset(f, "sub") + 0x4C, 0);
     }, true},
    {"FAT cycle in a stream chain", [](std::string& f) {
       const std::size_t big = dir_entry_offset(f, "big");
       const std::uint32_t start = get_u32(f, big + 0x74);
       put_u32(f, sector_offset(get_u32(f, 0x4C)) + 4 * start, start);  // FAT[start] = start
     }, false},
    {"stream sector index out of range", [](std::string& f) {
       put_u32(f, dir_entry_offset(f, "big") + 0x74, 0x00FFFFF0);
     }, false},
    {"huge declared stream size", [](std::string& f) {
       put_u32(f, dir_entry_offset(f, "big") + 0x78, 0xFFFFFF00);
     }, false},
    {"chain shorter than the size", [](std::string& f) {
       const std::size_t big = dir_entry_offset(f, "big");
       const std::uint32_t start = get_u32(f, big + 0x74);
       put_u32(f, sector_offset(get_u32(f, 0x4C)) + 4 * start, kEnd);
     }, false},
    {"truncated file", [](std::string& f) { f.resize(f.size() - 600); }, false},
};

TEST(CompoundFile, HostileContainersFailCleanly) {
  for (const HostileCase& c : kHostile) {
    SCOPED_TRACE(c.name);
    std::string bytes = sample_file();
    c.patch(bytes);
    auto file = CompoundFile::open(bytes);
    if (c.open_fails) {
      EXPECT_FALSE(file);
      continue;
    }
    if (!file) continue;  // failing earlier is also acceptable
    EXPECT_FALSE(file->read_stream("big"));
  }
}

TEST(CompoundFile, EveryPrefixOfAFileIsHandled) {
  const std::string bytes = sample_file();
  for (std::size_t n = 0; n <= bytes.size(); n += 7) {
    auto file = CompoundFile::open(std::string_view(bytes).substr(0, n));
    if (!file) continue;
    (void)file->read_stream("big");
    (void)file->read_stream("sub/inner");
  }
  SUCCEED();
}

TEST(CompoundFile, SingleByteMutationsNeverCrash) {
  const std::string original = sample_file();
  for (std::size_t i = 0; i < 4096 && i < original.size(); i += 3) {
    std::string bytes = original;
    bytes[i] = static_cast<char>(bytes[i] ^ 0xA5);
    auto file = CompoundFile::open(bytes);
    if (!file) continue;
    for (std::uint32_t id = 0; id < file->entry_count(); ++id) (void)file->read_stream(file->entry(id));
  }
  SUCCEED();
}

TEST(CompoundFile, SharedChainsHitTheReadBudget) {
  // 2000 directory entries all pointing at the same 1 MiB chain: each read is valid on its own, the total is not.
  std::vector<CfbNode> children;
  children.push_back(stream("big", std::string(1 << 20, 'z')));
  for (int i = 0; i < 2000; ++i) children.push_back(stream("c" + std::to_string(i), std::string(4096, 'y')));
  auto bytes = write_compound_file(storage("Root Entry", std::move(children)));
  ASSERT_TRUE(bytes);
  std::string f = *bytes;
  const std::uint32_t dir = get_u32(f, 0x30);
  const std::size_t big = dir_entry_offset(f, "big");
  // Point every stream entry at "big"'s chain with big's size.
  std::size_t patched = 0;
  for (std::uint32_t s = dir, guard = 0; s != kEnd && guard < 10000; ++guard) {
    for (std::size_t i = 0; i < 4; ++i) {
      const std::size_t at = sector_offset(s) + i * 128;
      if (f[at + 0x42] != 2) continue;
      put_u32(f, at + 0x74, get_u32(f, big + 0x74));
      put_u32(f, at + 0x78, get_u32(f, big + 0x78));
      ++patched;
    }
    s = get_u32(f, sector_offset(get_u32(f, 0x4C) + s / 128) + 4 * (s % 128));
  }
  ASSERT_GT(patched, 1000u);
  auto file = CompoundFile::open(f);
  ASSERT_TRUE(file);
  std::size_t failures = 0;
  for (std::uint32_t id = 1; id < file->entry_count(); ++id) failures += file->read_stream(file->entry(id)) ? 0 : 1;
  EXPECT_GT(failures, 0u);
}

}  // namespace
}  // namespace emailv2::mime::outlook
