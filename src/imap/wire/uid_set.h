#pragma once
// Sets of UIDs (or sequence numbers) as IMAP writes them: "1:5,7,9:12" (RFC 3501 §9 sequence-set, without "*").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace emailv2::imap::wire {

struct UidRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;  // first <= last
  bool operator==(const UidRange&) const = default;
};

class UidSet {
 public:
  UidSet() = default;
  // Sorts, removes duplicates and 0, and merges adjacent numbers into ranges.
  static UidSet from(std::vector<std::uint32_t> uids);
  // Parses "1:5,7,9:12" (a range may be written high:low). nullopt on anything else, including "*" and 0.
  static std::optional<UidSet> parse(std::string_view text);

  bool empty() const { return ranges_.empty(); }
  std::uint64_t size() const;  // number of UIDs
  bool contains(std::uint32_t uid) const;
  const std::vector<UidRange>& ranges() const { return ranges_; }
  // Every UID in ascending order; stops after `max` of them (a hostile "1:4294967295" is not expanded).
  std::vector<std::uint32_t> expand(std::size_t max = 1'000'000) const;
  // The compressed wire form, "1:5,7,9:12"; empty string for an empty set.
  std::string to_string() const;
  bool operator==(const UidSet&) const = default;

 private:
  void normalise();
  std::vector<UidRange> ranges_;
};

}  // namespace emailv2::imap::wire
