#include "net/socks5.h"

#include <array>

namespace emailv2::net::socks5 {
namespace {

constexpr std::size_t kMaxField = 255;
constexpr std::uint8_t kAuthVersion = 1;
constexpr std::uint8_t kCommandConnect = 1;
constexpr std::uint8_t kAtypIpv4 = 1;
constexpr std::uint8_t kAtypDomain = 3;
constexpr std::uint8_t kAtypIpv6 = 4;

char byte(std::uint8_t b) { return static_cast<char>(b); }
std::uint8_t at(std::string_view s, std::size_t i) { return static_cast<std::uint8_t>(s[i]); }

std::string port_bytes(std::uint16_t port) {
  return {byte(static_cast<std::uint8_t>(port >> 8)), byte(static_cast<std::uint8_t>(port & 0xff))};
}

Reply need(std::size_t n) { return Reply{ParseStatus::kNeedMore, n, 0, {}}; }
Reply error(std::string why) { return Reply{ParseStatus::kError, 0, 0, std::move(why)}; }

// Replies of a fixed two-byte shape: VERSION CODE.
Reply parse_pair(std::string_view bytes, std::uint8_t version, const char* what) {
  if (bytes.empty()) return need(2);
  if (at(bytes, 0) != version) return error(std::string("not a SOCKS5 ") + what + " reply");
  if (bytes.size() < 2) return need(2);
  return Reply{ParseStatus::kDone, 2, at(bytes, 1), {}};
}

}  // namespace

std::string greeting(bool with_auth) {
  if (with_auth) return {byte(kVersion), byte(2), byte(kMethodNone), byte(kMethodUserPass)};
  return {byte(kVersion), byte(1), byte(kMethodNone)};
}

Result<std::string> auth_request(const std::string& username, const Secret& password) {
  const std::string& pass = password.reveal();
  if (username.empty() || username.size() > kMaxField || pass.empty() || pass.size() > kMaxField) {
    return fail(ErrorCode::kConfigInvalid, "SOCKS5 Proxy Username and Proxy Password must be 1 to 255 bytes each");
  }
  std::string out{byte(kAuthVersion), byte(static_cast<std::uint8_t>(username.size()))};
  out += username;
  out += byte(static_cast<std::uint8_t>(pass.size()));
  out += pass;
  return out;
}

Result<std::string> connect_by_name(const std::string& host, std::uint16_t port) {
  if (host.empty() || host.size() > kMaxField) {
    return fail(ErrorCode::kConfigInvalid, "SOCKS5 host names must be 1 to 255 bytes");
  }
  std::string out{byte(kVersion), byte(kCommandConnect), byte(0), byte(kAtypDomain),
                  byte(static_cast<std::uint8_t>(host.size()))};
  return out + host + port_bytes(port);
}

Result<std::string> connect_by_address(const std::string& ip_bytes, std::uint16_t port) {
  if (ip_bytes.size() != 4 && ip_bytes.size() != 16) {
    return fail(ErrorCode::kInternal, "SOCKS5 address must be 4 or 16 bytes");
  }
  const std::uint8_t atyp = ip_bytes.size() == 4 ? kAtypIpv4 : kAtypIpv6;
  std::string out{byte(kVersion), byte(kCommandConnect), byte(0), byte(atyp)};
  return out + ip_bytes + port_bytes(port);
}

Reply parse_method_reply(std::string_view bytes) { return parse_pair(bytes, kVersion, "method selection"); }

Reply parse_auth_reply(std::string_view bytes) { return parse_pair(bytes, kAuthVersion, "authentication"); }

Reply parse_connect_reply(std::string_view bytes) {
  if (bytes.size() < 4) {
    if (!bytes.empty() && at(bytes, 0) != kVersion) return error("not a SOCKS5 reply");
    return need(4);
  }
  if (at(bytes, 0) != kVersion) return error("not a SOCKS5 reply");
  if (at(bytes, 2) != 0) return error("reserved byte of the SOCKS5 reply is not zero");
  std::size_t total = 0;
  switch (at(bytes, 3)) {
    case kAtypIpv4:
      total = 4 + 4 + 2;
      break;
    case kAtypIpv6:
      total = 4 + 16 + 2;
      break;
    case kAtypDomain:
      if (bytes.size() < 5) return need(5);
      total = 4 + 1 + at(bytes, 4) + 2;
      break;
    default:
      return error("unknown address type " + std::to_string(at(bytes, 3)) + " in the SOCKS5 reply");
  }
  if (bytes.size() < total) return need(total);
  return Reply{ParseStatus::kDone, total, at(bytes, 1), {}};
}

std::string_view reply_text(std::uint8_t code) {
  static constexpr std::array<std::string_view, 9> kTexts{
      "succeeded",
      "general SOCKS server failure",
      "connection not allowed by ruleset",
      "Network unreachable",
      "Host unreachable",
      "Connection refused",
      "TTL expired",
      "Command not supported",
      "Address type not supported",
  };
  return code < kTexts.size() ? kTexts[code] : std::string_view("unassigned reply code");
}

}  // namespace emailv2::net::socks5
