#include "mime/outlook/compound_writer.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/text.h"
#include "mime/outlook/code_page.h"
#include "mime/outlook/outlook_limits.h"

namespace emailv2::mime::outlook {
namespace {

constexpr std::uint32_t kSector = 512;
constexpr std::uint32_t kMiniSector = 64;
constexpr std::uint32_t kMiniCutoff = 4096;
constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr std::uint32_t kFreeSector = 0xFFFFFFFF;
constexpr std::uint32_t kFatSector = 0xFFFFFFFD;
constexpr std::uint32_t kDifatSector = 0xFFFFFFFC;
constexpr std::uint32_t kNoStream = 0xFFFFFFFF;
constexpr std::uint32_t kEntriesPerFatSector = kSector / 4;
constexpr std::uint32_t kHeaderDifat = 109;

struct FlatEntry {
  const CfbNode* node = nullptr;
  std::string utf16_name;
  std::uint8_t type = 0;
  std::uint32_t left = kNoStream, right = kNoStream, child = kNoStream;
  std::uint32_t start = kEndOfChain;
  std::uint64_t size = 0;
  bool in_mini = false;
};

void put_u16(std::string& out, std::size_t at, std::uint32_t v) {
  out[at] = static_cast<char>(v & 0xFF);
  out[at + 1] = static_cast<char>((v >> 8) & 0xFF);
}
void put_u32(std::string& out, std::size_t at, std::uint32_t v) {
  put_u16(out, at, v & 0xFFFF);
  put_u16(out, at + 2, v >> 16);
}

std::uint32_t sectors_for(std::uint64_t bytes, std::uint32_t unit) {
  return static_cast<std::uint32_t>((bytes + unit - 1) / unit);
}

// CFB name order: shorter names first, then code unit by code unit after simple upper-casing.
bool cfb_less(const std::string& a16, const std::string& b16) {
  if (a16.size() != b16.size()) return a16.size() < b16.size();
  for (std::size_t i = 0; i + 1 < a16.size(); i += 2) {
    auto unit = [](const std::string& s, std::size_t k) {
      std::uint32_t u = static_cast<unsigned char>(s[k]) | (static_cast<unsigned char>(s[k + 1]) << 8);
      return (u >= 'a' && u <= 'z') ? u - 32 : u;
    };
    if (unit(a16, i) != unit(b16, i)) return unit(a16, i) < unit(b16, i);
  }
  return false;
}

class Layout {
 public:
  Result<std::string> write(const CfbNode& root) {
    EMAILV2_TRY(flatten(root));
    place_streams();
    return emit();
  }

 private:
  Status flatten(const CfbNode& root) {
    entries_.push_back(FlatEntry{&root, utf8_to_utf16le("Root Entry"), 5});
    std::vector<std::uint32_t> pending{0};
    while (!pending.empty()) {
      const std::uint32_t parent = pending.back();
      pending.pop_back();
      std::vector<std::uint32_t> kids;
      for (const CfbNode& child : entries_[parent].node->children) {
        if (child.name.empty() || utf16_length(child.name) > 31) {
          return fail(ErrorCode::kParamInvalid, "CFB writer: bad entry name " + text::echo_value(child.name));
        }
        FlatEntry e{&child, utf8_to_utf16le(child.name), static_cast<std::uint8_t>(child.is_storage ? 1 : 2)};
        if (!child.is_storage) e.size = child.data.size();
        kids.push_back(static_cast<std::uint32_t>(entries_.size()));
        entries_.push_back(std::move(e));
        if (child.is_storage) pending.push_back(kids.back());
      }
      std::sort(kids.begin(), kids.end(),
                [&](std::uint32_t a, std::uint32_t b) { return cfb_less(entries_[a].utf16_name, entries_[b].utf16_name); });
      entries_[parent].child = balance(kids, 0, kids.size());
    }
    return ok();
  }

  // Builds a balanced binary tree over sorted ids [lo, hi); returns its root. Depth is log2(n).
  std::uint32_t balance(const std::vector<std::uint32_t>& ids, std::size_t lo, std::size_t hi) {
    if (lo >= hi) return kNoStream;
    const std::size_t mid = lo + (hi - lo) / 2;
    entries_[ids[mid]].left = balance(ids, lo, mid);
    entries_[ids[mid]].right = balance(ids, mid + 1, hi);
    return ids[mid];
  }

  void place_streams() {
    for (FlatEntry& e : entries_) {
      if (e.type != 2 || e.size == 0) continue;
      if (e.size < kMiniCutoff) {
        e.in_mini = true;
        e.start = static_cast<std::uint32_t>(mini_.size() / kMiniSector);
        mini_.append(e.node->data);
        mini_.resize(mini_.size() + (kMiniSector - mini_.size() % kMiniSector) % kMiniSector, '\0');
        mini_fat_.resize(mini_.size() / kMiniSector, 0);
        for (std::uint32_t s = e.start; s + 1 < mini_fat_.size(); ++s) mini_fat_[s] = s + 1;
        mini_fat_.back() = kEndOfChain;
      }
    }
  }

  std::uint32_t allocate(std::uint32_t count, std::uint32_t mark_chain) {
    const std::uint32_t first = static_cast<std::uint32_t>(fat_.size());
    for (std::uint32_t i = 0; i < count; ++i) {
      fat_.push_back(mark_chain != 0 ? mark_chain : (i + 1 == count ? kEndOfChain : first + i + 1));
    }
    return count == 0 ? kEndOfChain : first;
  }

  Result<std::string> emit() {
    std::uint64_t regular_bytes = 0;
    for (const FlatEntry& e : entries_) {
      if (e.type == 2 && !e.in_mini) regular_bytes += sectors_for(e.size, kSector) * std::uint64_t{kSector};
    }
    if (regular_bytes + mini_.size() > limits::kMaxCompoundFileBytes) {
      return fail(ErrorCode::kSizeLimit, "CFB writer: output too large");
    }
    for (FlatEntry& e : entries_) {
      if (e.type == 2 && !e.in_mini && e.size > 0) e.start = allocate(sectors_for(e.size, kSector), 0);
    }
    const std::uint32_t mini_start = allocate(sectors_for(mini_.size(), kSector), 0);
    const std::uint32_t mini_fat_sectors = sectors_for(mini_fat_.size() * 4, kSector);
    const std::uint32_t mini_fat_start = allocate(mini_fat_sectors, 0);
    const std::uint32_t dir_sectors = sectors_for(entries_.size() * 128, kSector);
    const std::uint32_t dir_start = allocate(dir_sectors, 0);
    const auto data_sectors = static_cast<std::uint32_t>(fat_.size());
    std::uint32_t fat_sectors = 1, difat_sectors = 0;
    for (;;) {
      const std::uint32_t total = data_sectors + fat_sectors + difat_sectors;
      const std::uint32_t need_fat = sectors_for(total, kEntriesPerFatSector);
      const std::uint32_t need_difat = need_fat > kHeaderDifat ? sectors_for(need_fat - kHeaderDifat, 127) : 0;
      if (need_fat == fat_sectors && need_difat == difat_sectors) break;
      fat_sectors = need_fat;
      difat_sectors = need_difat;
    }
    const std::uint32_t fat_start = allocate(fat_sectors, kFatSector);
    const std::uint32_t difat_start = allocate(difat_sectors, kDifatSector);
    entries_[0].start = mini_.empty() ? kEndOfChain : mini_start;
    entries_[0].size = mini_.size();

    std::string out(static_cast<std::size_t>(kSector) * (1 + fat_.size()), '\0');
    write_header(out, fat_sectors, fat_start, dir_start, mini_fat_start, mini_fat_sectors, difat_start, difat_sectors);
    for (const FlatEntry& e : entries_) {
      if (e.type == 2 && !e.in_mini && e.size > 0) out.replace(offset(e.start), e.node->data.size(), e.node->data);
    }
    if (!mini_.empty()) out.replace(offset(mini_start), mini_.size(), mini_);
    for (std::size_t i = 0; i < mini_fat_sectors * kEntriesPerFatSector; ++i) {
      put_u32(out, offset(mini_fat_start) + 4 * i, i < mini_fat_.size() ? mini_fat_[i] : kFreeSector);
    }
    write_directory(out, dir_start, dir_sectors);
    for (std::size_t i = 0; i < std::size_t{fat_sectors} * kEntriesPerFatSector; ++i) {
      put_u32(out, offset(fat_start) + 4 * i, i < fat_.size() ? fat_[i] : kFreeSector);
    }
    for (std::uint32_t d = 0; d < difat_sectors; ++d) {
      const std::size_t base = offset(difat_start + d);
      for (std::uint32_t k = 0; k < 127; ++k) {
        const std::uint32_t index = kHeaderDifat + d * 127 + k;
        put_u32(out, base + 4 * k, index < fat_sectors ? fat_start + index : kFreeSector);
      }
      put_u32(out, base + 4 * 127, d + 1 < difat_sectors ? difat_start + d + 1 : kEndOfChain);
    }
    return out;
  }

  static std::size_t offset(std::uint32_t sector) { return (static_cast<std::size_t>(sector) + 1) * kSector; }

  void write_header(std::string& out, std::uint32_t fat_sectors, std::uint32_t fat_start, std::uint32_t dir_start,
                    std::uint32_t mini_fat_start, std::uint32_t mini_fat_sectors, std::uint32_t difat_start,
                    std::uint32_t difat_sectors) const {
    static constexpr std::array<unsigned char, 8> kSignature{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    for (std::size_t i = 0; i < kSignature.size(); ++i) out[i] = static_cast<char>(kSignature[i]);
    put_u16(out, 0x18, 0x3E);
    put_u16(out, 0x1A, 3);
    put_u16(out, 0x1C, 0xFFFE);
    put_u16(out, 0x1E, 9);
    put_u16(out, 0x20, 6);
    put_u32(out, 0x2C, fat_sectors);
    put_u32(out, 0x30, dir_start);
    put_u32(out, 0x38, kMiniCutoff);
    put_u32(out, 0x3C, mini_fat_sectors == 0 ? kEndOfChain : mini_fat_start);
    put_u32(out, 0x40, mini_fat_sectors);
    put_u32(out, 0x44, difat_sectors == 0 ? kEndOfChain : difat_start);
    put_u32(out, 0x48, difat_sectors);
    for (std::uint32_t i = 0; i < kHeaderDifat; ++i) {
      put_u32(out, 0x4C + 4 * i, i < fat_sectors ? fat_start + i : kFreeSector);
    }
  }

  void write_directory(std::string& out, std::uint32_t dir_start, std::uint32_t dir_sectors) const {
    const std::size_t slots = std::size_t{dir_sectors} * (kSector / 128);
    for (std::size_t i = 0; i < slots; ++i) {
      const std::size_t at = offset(dir_start) + i * 128;
      if (i >= entries_.size()) {
        put_u32(out, at + 0x44, kNoStream);
        put_u32(out, at + 0x48, kNoStream);
        put_u32(out, at + 0x4C, kNoStream);
        continue;
      }
      const FlatEntry& e = entries_[i];
      out.replace(at, e.utf16_name.size(), e.utf16_name);
      put_u16(out, at + 0x40, static_cast<std::uint32_t>(e.utf16_name.size() + 2));
      out[at + 0x42] = static_cast<char>(e.type);
      out[at + 0x43] = 1;  // black
      put_u32(out, at + 0x44, e.left);
      put_u32(out, at + 0x48, e.right);
      put_u32(out, at + 0x4C, e.child);
      put_u32(out, at + 0x74, e.type == 1 ? 0 : e.start);
      put_u32(out, at + 0x78, static_cast<std::uint32_t>(e.size));
    }
  }

  std::vector<FlatEntry> entries_;
  std::string mini_;
  std::vector<std::uint32_t> mini_fat_;
  std::vector<std::uint32_t> fat_;
};

}  // namespace

Result<std::string> write_compound_file(const CfbNode& root) { return Layout().write(root); }

Result<CfbNode> copy_storage(const CompoundFile& file, const CfbEntry& storage) {
  CfbNode root{storage.name, true, {}, {}};
  // Explicit stack of (source entry, destination node) pairs; destinations are stable because each node's
  // children vector is sized before its children are pushed.
  std::vector<std::pair<const CfbEntry*, CfbNode*>> pending{{&storage, &root}};
  while (!pending.empty()) {
    auto [source, target] = pending.back();
    pending.pop_back();
    target->children.reserve(source->children.size());
    for (std::uint32_t id : source->children) {
      const CfbEntry& child = file.entry(id);
      CfbNode node{child.name, child.type == CfbEntryType::kStorage, {}, {}};
      if (!node.is_storage) {
        auto data = file.read_stream(child);
        if (!data) return tl::unexpected(data.error());
        node.data = std::move(*data);
      }
      target->children.push_back(std::move(node));
    }
    for (std::size_t i = 0; i < source->children.size(); ++i) {
      if (target->children[i].is_storage) pending.emplace_back(&file.entry(source->children[i]), &target->children[i]);
    }
  }
  return root;
}

}  // namespace emailv2::mime::outlook
