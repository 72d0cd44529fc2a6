#pragma once
// Reader for Compound File Binary (CFB / OLE2, MS-CFB) containers, the format of Outlook .msg files.
//
// Contract:
//  * `open` takes a view of the whole file; the bytes must outlive the CompoundFile (it keeps views into them).
//  * Every sector index, chain and size is bounds-checked. Sector chains are cycle-checked; a directory whose
//    sibling tree loops or shares nodes is refused; storage nesting is capped (outlook_limits.h). Hostile input
//    yields an Error (kProtocolError with a short reason), never a crash, an unbounded allocation or a hang.
//  * All stream reads of one CompoundFile share a byte budget (a multiple of the file size), so the total work is
//    linear in the input even when a hostile file points many streams at the same sectors.
//  * Not thread-safe: reads use a mutable scratch area for cycle detection.
//  * Errors: kProtocolError ("CFB: <reason>") for anything malformed, kSizeLimit when the file or the read budget
//    is too large.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace emailv2::mime::outlook {

enum class CfbEntryType : std::uint8_t { kUnknown = 0, kStorage = 1, kStream = 2, kRoot = 5 };

struct CfbEntry {
  std::uint32_t id = 0;              // index in the directory
  std::string name;                  // UTF-8 (names are UTF-16 on disk)
  CfbEntryType type = CfbEntryType::kUnknown;
  std::uint32_t start_sector = 0;
  std::uint64_t size = 0;            // stream size (root: mini stream size)
  std::vector<std::uint32_t> children;  // storages and root: child entry ids, in directory-tree order
  std::uint32_t parent = 0xFFFFFFFF; // root: none
};

class CompoundFile {
 public:
  static Result<CompoundFile> open(std::string_view bytes);

  const CfbEntry& root() const { return entries_[0]; }
  const CfbEntry& entry(std::uint32_t id) const { return entries_[id]; }
  std::size_t entry_count() const { return entries_.size(); }

  // The child of a storage with this name (ASCII case-insensitive, as CFB compares names), or nullptr.
  const CfbEntry* child(const CfbEntry& storage, std::string_view name) const;
  // Looks up "a/b/c" from the root; nullptr when any part is missing.
  const CfbEntry* find(std::string_view path) const;

  // The bytes of a stream entry. Errors when the entry is not a stream, its chain is broken or cyclic, or the
  // read budget is spent.
  Result<std::string> read_stream(const CfbEntry& stream) const;
  Result<std::string> read_stream(std::string_view path) const;

  std::uint32_t sector_size() const { return sector_size_; }

 private:
  CompoundFile() = default;

  Status load_header();
  Status load_fat();
  Status load_directory();
  Status load_mini_stream();
  Status build_tree();
  Status collect_children(CfbEntry& storage, std::vector<bool>& claimed);

  // Follows a chain from `start` in `fat`, calling `sink(sector_index)` for each sector, at most `max_sectors`.
  // Fails on an out-of-range index, a cycle, or (when `exact`) a chain shorter than max_sectors.
  template <typename Sink>
  Status walk_chain(const std::vector<std::uint32_t>& fat, std::uint32_t start, std::size_t max_sectors,
                    bool exact, const char* what, Sink sink) const;
  Result<std::string> read_regular(std::uint32_t start, std::uint64_t size, const char* what) const;
  Result<std::string> read_mini(std::uint32_t start, std::uint64_t size) const;
  Status charge(std::uint64_t bytes) const;
  std::string_view sector(std::uint32_t index) const;

  std::string_view bytes_;
  std::uint16_t major_version_ = 3;
  std::uint32_t sector_size_ = 512;
  std::uint32_t mini_sector_size_ = 64;
  std::uint32_t mini_cutoff_ = 4096;
  std::uint32_t sector_count_ = 0;  // sectors present in the file after the header
  std::uint32_t first_directory_sector_ = 0;
  std::uint32_t first_mini_fat_sector_ = 0;
  std::uint32_t mini_fat_sector_count_ = 0;
  std::uint32_t first_difat_sector_ = 0;
  std::uint32_t difat_sector_count_ = 0;
  std::uint32_t fat_sector_count_ = 0;
  std::vector<std::uint32_t> fat_;
  std::vector<std::uint32_t> mini_fat_;
  std::string mini_stream_;
  std::vector<CfbEntry> entries_;
  std::string directory_raw_;  // the directory sectors, for sibling links while the tree is built
  mutable std::vector<std::uint32_t> visit_mark_;
  mutable std::uint32_t visit_generation_ = 0;
  mutable std::uint64_t read_budget_ = 0;
};

}  // namespace emailv2::mime::outlook
