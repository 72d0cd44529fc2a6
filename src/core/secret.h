#pragma once
// Secrets (passwords, proxy passwords, OAuth2 tokens). A Secret cannot be formatted or streamed as its value:
// formatting prints "<redacted>", and reveal() is the single, greppable way to reach the bytes (only where they go
// onto an encrypted wire). Creating a Secret registers its forms with the log redactor (core/redactor.h).

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace emailv2 {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value);

  bool empty() const { return value_.empty(); }
  const std::string& reveal() const { return value_; }

 private:
  std::string value_;
};

}  // namespace emailv2

template <>
struct fmt::formatter<emailv2::Secret> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const emailv2::Secret&, Context& ctx) const {
    return fmt::formatter<std::string_view>::format("<redacted>", ctx);
  }
};
