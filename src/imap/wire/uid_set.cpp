#include "imap/wire/uid_set.h"

#include <algorithm>

namespace emailv2::imap::wire {
namespace {

bool parse_u32(std::string_view s, std::uint32_t& out) {
  if (s.empty() || s.size() > 10) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v == 0 || v > UINT32_MAX) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

}  // namespace

UidSet UidSet::from(std::vector<std::uint32_t> uids) {
  UidSet set;
  for (std::uint32_t u : uids) {
    if (u != 0) set.ranges_.push_back({u, u});
  }
  set.normalise();
  return set;
}

std::optional<UidSet> UidSet::parse(std::string_view text) {
  UidSet set;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    const auto colon = part.find(':');
    UidRange r;
    if (colon == std::string_view::npos) {
      if (!parse_u32(part, r.first)) return std::nullopt;
      r.last = r.first;
    } else {
      if (!parse_u32(part.substr(0, colon), r.first) || !parse_u32(part.substr(colon + 1), r.last)) return std::nullopt;
      if (r.first > r.last) std::swap(r.first, r.last);
    }
    set.ranges_.push_back(r);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) return std::nullopt;  // trailing comma
  }
  if (set.ranges_.empty()) return std::nullopt;
  set.normalise();
  return set;
}

void UidSet::normalise() {
  std::sort(ranges_.begin(), ranges_.end(), [](const UidRange& a, const UidRange& b) { return a.first < b.first; });
  std::vector<UidRange> merged;
  for (const UidRange& r : ranges_) {
    if (!merged.empty() && static_cast<std::uint64_t>(merged.back().last) + 1 >= r.first) {
      merged.back().last = std::max(merged.back().last, r.last);
    } else {
      merged.push_back(r);
    }
  }
  ranges_ = std::move(merged);
}

std::uint64_t UidSet::size() const {
  std::uint64_t n = 0;
  for (const UidRange& r : ranges_) n += static_cast<std::uint64_t>(r.last) - r.first + 1;
  return n;
}

bool UidSet::contains(std::uint32_t uid) const {
  return std::any_of(ranges_.begin(), ranges_.end(), [uid](const UidRange& r) { return uid >= r.first && uid <= r.last; });
}

std::vector<std::uint32_t> UidSet::expand(std::size_t max) const {
  std::vector<std::uint32_t> out;
  for (const UidRange& r : ranges_) {
    for (std::uint64_t u = r.first; u <= r.last; ++u) {
      if (out.size() >= max) return out;
      out.push_back(static_cast<std::uint32_t>(u));
    }
  }
  return out;
}

std::string UidSet::to_string() const {
  std::string out;
  for (const UidRange& r : ranges_) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(r.first);
    if (r.last != r.first) out += ":" + std::to_string(r.last);
  }
  return out;
}

}  // namespace emailv2::imap::wire
