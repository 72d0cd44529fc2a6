#include "mime/outlook/compound_file.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/text.h"
#include "mime/outlook/byte_reader.h"
#include "mime/outlook/code_page.h"
#include "mime/outlook/outlook_limits.h"

namespace emailv2::mime::outlook {
namespace {

constexpr std::array<unsigned char, 8> kSignature{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
constexpr std::uint32_t kMaxRegularSector = 0xFFFFFFFA;
constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr std::uint32_t kFreeSector = 0xFFFFFFFF;
constexpr std::uint32_t kNoStream = 0xFFFFFFFF;
constexpr std::size_t kHeaderDifatEntries = 109;
constexpr std::size_t kDirectoryEntryBytes = 128;

tl::unexpected<Error> corrupt(std::string reason) { return fail(ErrorCode::kProtocolError, "CFB: " + reason); }

std::string entry_name(std::string_view raw, std::uint16_t length_bytes) {
  if (length_bytes < 2 || length_bytes > 64 || length_bytes % 2 != 0) return {};
  return utf16le_to_utf8(raw.substr(0, length_bytes - 2u));
}

}  // namespace

Result<CompoundFile> CompoundFile::open(std::string_view bytes) {
  if (bytes.size() > limits::kMaxCompoundFileBytes) return fail(ErrorCode::kSizeLimit, "CFB: file too large");
  CompoundFile file;
  file.bytes_ = bytes;
  file.read_budget_ = bytes.size() * limits::kReadBudgetFileMultiple + limits::kReadBudgetFloorBytes;
  EMAILV2_TRY(file.load_header());
  EMAILV2_TRY(file.load_fat());
  EMAILV2_TRY(file.load_directory());
  EMAILV2_TRY(file.build_tree());
  EMAILV2_TRY(file.load_mini_stream());
  return file;
}

Status CompoundFile::load_header() {
  if (bytes_.size() < 512) return corrupt("file shorter than its 512-byte header");
  if (!std::equal(kSignature.begin(), kSignature.end(), bytes_.begin(),
                  [](unsigned char a, char b) { return a == static_cast<unsigned char>(b); })) {
    return corrupt("bad signature");
  }
  ByteReader header(bytes_.substr(0, 512));
  major_version_ = header.u16_at(0x1A);
  const std::uint16_t sector_shift = header.u16_at(0x1E);
  const std::uint16_t mini_shift = header.u16_at(0x20);
  if (sector_shift != 9 && sector_shift != 12) return corrupt("unsupported sector size");
  if (mini_shift != 6) return corrupt("unsupported mini sector size");
  sector_size_ = 1u << sector_shift;
  mini_sector_size_ = 1u << mini_shift;
  if (bytes_.size() < sector_size_) return corrupt("file shorter than one sector");
  fat_sector_count_ = header.u32_at(0x2C);
  first_directory_sector_ = header.u32_at(0x30);
  mini_cutoff_ = header.u32_at(0x38);
  if (mini_cutoff_ != 4096) return corrupt("mini stream cutoff is not 4096");
  first_mini_fat_sector_ = header.u32_at(0x3C);
  mini_fat_sector_count_ = header.u32_at(0x40);
  first_difat_sector_ = header.u32_at(0x44);
  difat_sector_count_ = header.u32_at(0x48);
  const std::size_t body = bytes_.size() - sector_size_;
  sector_count_ = static_cast<std::uint32_t>((body + sector_size_ - 1) / sector_size_);
  return ok();
}

std::string_view CompoundFile::sector(std::uint32_t index) const {
  const std::size_t offset = (static_cast<std::size_t>(index) + 1) * sector_size_;
  if (offset >= bytes_.size()) return {};
  return bytes_.substr(offset, sector_size_);
}

Status CompoundFile::load_fat() {
  std::vector<std::uint32_t> fat_sectors;
  auto add = [&](std::uint32_t id) -> Status {
    if (id == kFreeSector || id == kEndOfChain) return ok();
    if (id >= sector_count_) return corrupt("FAT sector index out of range");
    if (fat_sectors.size() >= sector_count_) return corrupt("more FAT sectors than sectors");
    fat_sectors.push_back(id);
    return ok();
  };
  ByteReader header(bytes_.substr(0, 512));
  for (std::size_t i = 0; i < kHeaderDifatEntries; ++i) EMAILV2_TRY(add(header.u32_at(0x4C + 4 * i)));

  // Extra DIFAT sectors: each holds sector_size/4 - 1 FAT sector ids and the next DIFAT sector's id.
  const std::size_t per_sector = sector_size_ / 4 - 1;
  std::vector<bool> seen(sector_count_, false);
  std::uint32_t next = first_difat_sector_;
  std::size_t steps = 0;
  while (next != kEndOfChain && next != kFreeSector && difat_sector_count_ != 0) {
    if (next >= sector_count_) return corrupt("DIFAT sector index out of range");
    if (seen[next]) return corrupt("DIFAT chain loops");
    seen[next] = true;
    if (++steps > sector_count_) return corrupt("DIFAT chain too long");
    const std::string_view s = sector(next);
    if (s.size() < sector_size_) return corrupt("truncated DIFAT sector");
    ByteReader r(s);
    for (std::size_t i = 0; i < per_sector; ++i) EMAILV2_TRY(add(r.u32_at(4 * i)));
    next = r.u32_at(4 * per_sector);
  }
  if (fat_sectors.empty()) return corrupt("no FAT sectors");
  fat_.reserve(fat_sectors.size() * (sector_size_ / 4));
  for (std::uint32_t id : fat_sectors) {
    const std::string_view s = sector(id);
    ByteReader r(s);
    for (std::size_t i = 0; i < sector_size_ / 4; ++i) {
      fat_.push_back(4 * i + 4 <= s.size() ? r.u32_at(4 * i) : kFreeSector);
    }
  }
  return ok();
}

Status CompoundFile::charge(std::uint64_t bytes) const {
  if (bytes > read_budget_) return fail(ErrorCode::kSizeLimit, "CFB: read budget exhausted (shared sector chains?)");
  read_budget_ -= bytes;
  return ok();
}

template <typename Sink>
Status CompoundFile::walk_chain(const std::vector<std::uint32_t>& fat, std::uint32_t start, std::size_t max_sectors,
                                bool exact, const char* what, Sink sink) const {
  if (visit_mark_.size() < fat.size()) visit_mark_.resize(fat.size(), 0);
  if (++visit_generation_ == 0) {
    std::fill(visit_mark_.begin(), visit_mark_.end(), 0);
    visit_generation_ = 1;
  }
  std::uint32_t current = start;
  std::size_t count = 0;
  while (count < max_sectors) {
    if (current == kEndOfChain) break;
    if (current > kMaxRegularSector || current >= fat.size()) {
      return corrupt(std::string(what) + ": sector index out of range");
    }
    if (visit_mark_[current] == visit_generation_) return corrupt(std::string(what) + ": sector chain loops");
    visit_mark_[current] = visit_generation_;
    EMAILV2_TRY(sink(current));
    ++count;
    current = fat[current];
  }
  if (exact && count < max_sectors) return corrupt(std::string(what) + ": sector chain shorter than its size");
  return ok();
}

Result<std::string> CompoundFile::read_regular(std::uint32_t start, std::uint64_t size, const char* what) const {
  const std::uint64_t capacity = static_cast<std::uint64_t>(sector_count_) * sector_size_;
  if (size > capacity) return corrupt(std::string(what) + ": declared size exceeds the file");
  EMAILV2_TRY(charge(size));
  std::string out;
  out.reserve(static_cast<std::size_t>(size));
  const std::size_t sectors = static_cast<std::size_t>((size + sector_size_ - 1) / sector_size_);
  EMAILV2_TRY(walk_chain(fat_, start, sectors, true, what, [&](std::uint32_t index) -> Status {
    if (index >= sector_count_) return corrupt(std::string(what) + ": sector beyond the end of the file");
    out.append(sector(index));
    return ok();
  }));
  if (out.size() < size) return corrupt(std::string(what) + ": truncated file");
  out.resize(static_cast<std::size_t>(size));
  return out;
}

Result<std::string> CompoundFile::read_mini(std::uint32_t start, std::uint64_t size) const {
  if (size > mini_stream_.size()) return corrupt("stream larger than the mini stream");
  EMAILV2_TRY(charge(size));
  std::string out;
  out.reserve(static_cast<std::size_t>(size));
  const std::size_t sectors = static_cast<std::size_t>((size + mini_sector_size_ - 1) / mini_sector_size_);
  EMAILV2_TRY(walk_chain(mini_fat_, start, sectors, true, "mini stream", [&](std::uint32_t index) -> Status {
    const std::size_t offset = static_cast<std::size_t>(index) * mini_sector_size_;
    if (offset >= mini_stream_.size()) return corrupt("mini sector beyond the mini stream");
    out.append(std::string_view(mini_stream_).substr(offset, mini_sector_size_));
    return ok();
  }));
  if (out.size() < size) return corrupt("truncated mini stream");
  out.resize(static_cast<std::size_t>(size));
  return out;
}

Status CompoundFile::load_directory() {
  std::string raw;
  EMAILV2_TRY(walk_chain(fat_, first_directory_sector_, sector_count_, false, "directory",
                         [&](std::uint32_t index) -> Status {
                           if (index >= sector_count_) return corrupt("directory sector beyond the end of the file");
                           if (raw.size() / kDirectoryEntryBytes >= limits::kMaxDirectoryEntries) {
                             return corrupt("too many directory entries");
                           }
                           const std::string_view s = sector(index);
                           if (s.size() < sector_size_) return corrupt("truncated directory sector");
                           raw.append(s);
                           return ok();
                         }));
  const std::size_t count = raw.size() / kDirectoryEntryBytes;
  if (count == 0) return corrupt("empty directory");
  entries_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view e = std::string_view(raw).substr(i * kDirectoryEntryBytes, kDirectoryEntryBytes);
    ByteReader r(e);
    CfbEntry entry;
    entry.id = static_cast<std::uint32_t>(i);
    entry.name = entry_name(e, r.u16_at(0x40));
    const std::uint8_t type = r.u8_at(0x42);
    entry.type = (type == 1 || type == 2 || type == 5) ? static_cast<CfbEntryType>(type) : CfbEntryType::kUnknown;
    entry.start_sector = r.u32_at(0x74);
    entry.size = r.u64_at(0x78);
    if (major_version_ == 3) entry.size &= 0xFFFFFFFFu;
    entries_.push_back(std::move(entry));
  }
  if (entries_[0].type != CfbEntryType::kRoot) return corrupt("first directory entry is not the root");
  directory_raw_ = std::move(raw);
  return ok();
}

Status CompoundFile::collect_children(CfbEntry& storage, std::vector<bool>& claimed) {
  ByteReader root_reader(std::string_view(directory_raw_).substr(storage.id * kDirectoryEntryBytes));
  const std::uint32_t first = root_reader.u32_at(0x4C);
  if (first == kNoStream) return ok();
  // In-order walk of the red-black sibling tree with an explicit stack; every node may be reached once only.
  std::vector<std::uint32_t> stack;
  std::uint32_t current = first;
  auto sibling = [&](std::uint32_t id, std::size_t offset) {
    return ByteReader(std::string_view(directory_raw_).substr(id * kDirectoryEntryBytes)).u32_at(offset);
  };
  auto claim = [&](std::uint32_t id) -> Status {
    if (id >= entries_.size()) return corrupt("directory entry index out of range");
    if (claimed[id]) return corrupt("directory tree loops or shares an entry");
    claimed[id] = true;
    return ok();
  };
  EMAILV2_TRY(claim(current));
  while (current != kNoStream || !stack.empty()) {
    while (current != kNoStream) {
      stack.push_back(current);
      const std::uint32_t left = sibling(current, 0x44);
      if (left != kNoStream) EMAILV2_TRY(claim(left));
      current = left;
    }
    const std::uint32_t id = stack.back();
    stack.pop_back();
    if (entries_[id].type == CfbEntryType::kStorage || entries_[id].type == CfbEntryType::kStream) {
      storage.children.push_back(id);
      entries_[id].parent = storage.id;
    }
    const std::uint32_t right = sibling(id, 0x48);
    if (right != kNoStream) EMAILV2_TRY(claim(right));
    current = right;
  }
  return ok();
}

Status CompoundFile::build_tree() {
  std::vector<bool> claimed(entries_.size(), false);
  claimed[0] = true;
  std::vector<std::pair<std::uint32_t, std::size_t>> pending{{0, 0}};
  while (!pending.empty()) {
    const auto [id, depth] = pending.back();
    pending.pop_back();
    if (depth > limits::kMaxStorageDepth) return corrupt("storages nested too deep");
    EMAILV2_TRY(collect_children(entries_[id], claimed));
    for (std::uint32_t child_id : entries_[id].children) {
      if (entries_[child_id].type == CfbEntryType::kStorage) pending.emplace_back(child_id, depth + 1);
    }
  }
  return ok();
}

Status CompoundFile::load_mini_stream() {
  // The mini FAT chain; a broken one only matters if a small stream is read, so it fails reads, not open.
  std::vector<std::uint32_t> mini_fat;
  Status fat_status = walk_chain(fat_, first_mini_fat_sector_, sector_count_, false, "mini FAT",
                                 [&](std::uint32_t index) -> Status {
                                   if (index >= sector_count_) return corrupt("mini FAT sector beyond the file");
                                   ByteReader r(sector(index));
                                   for (std::size_t i = 0; i + 4 <= sector(index).size(); i += 4) {
                                     mini_fat.push_back(r.u32_at(i));
                                   }
                                   return ok();
                                 });
  if (!fat_status) return fat_status;
  mini_fat_ = std::move(mini_fat);
  const CfbEntry& root_entry = entries_[0];
  if (root_entry.size == 0 || root_entry.start_sector == kEndOfChain) return ok();
  auto stream = read_regular(root_entry.start_sector, root_entry.size, "mini stream container");
  if (!stream) return tl::unexpected(stream.error());
  mini_stream_ = std::move(*stream);
  return ok();
}

const CfbEntry* CompoundFile::child(const CfbEntry& storage, std::string_view name) const {
  for (std::uint32_t id : storage.children) {
    if (text::iequals_ascii(entries_[id].name, name)) return &entries_[id];
  }
  return nullptr;
}

const CfbEntry* CompoundFile::find(std::string_view path) const {
  const CfbEntry* current = &root();
  while (!path.empty() && current != nullptr) {
    const std::size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (!part.empty()) current = child(*current, part);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return current;
}

Result<std::string> CompoundFile::read_stream(const CfbEntry& stream) const {
  if (stream.type != CfbEntryType::kStream) return corrupt("not a stream: " + text::echo_value(stream.name));
  if (stream.size == 0) return std::string();
  if (stream.size < mini_cutoff_) return read_mini(stream.start_sector, stream.size);
  return read_regular(stream.start_sector, stream.size, "stream");
}

Result<std::string> CompoundFile::read_stream(std::string_view path) const {
  const CfbEntry* e = find(path);
  if (e == nullptr) return corrupt("no such stream: " + text::echo_value(path));
  return read_stream(*e);
}

}  // namespace emailv2::mime::outlook
