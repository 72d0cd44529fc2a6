#pragma once
// The server's CAPABILITY list, compared case-insensitively ("IMAP4rev1", "AUTH=PLAIN", "MOVE", "UIDPLUS"...).

#include <string>
#include <string_view>
#include <vector>

namespace emailv2::imap {

class Capabilities {
 public:
  Capabilities() = default;
  explicit Capabilities(std::vector<std::string> items) : items_(std::move(items)) {}

  bool has(std::string_view capability) const;
  bool has_auth(std::string_view mechanism) const;  // "AUTH=<mechanism>"
  bool empty() const { return items_.empty(); }
  const std::vector<std::string>& items() const { return items_; }

 private:
  std::vector<std::string> items_;
};

}  // namespace emailv2::imap
