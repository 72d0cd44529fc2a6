#pragma once
// SOCKS5 (RFC 1928) with username/password authentication (RFC 1929) as a pure codec: request builders and reply
// parsers over the bytes received so far. Each parser says how many bytes the whole reply needs, so the driver
// reads exactly that many and never a byte of the tunnel.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/secret.h"
#include "net/parse_status.h"

namespace emailv2::net::socks5 {

inline constexpr std::uint8_t kVersion = 5;
inline constexpr std::uint8_t kMethodNone = 0x00;
inline constexpr std::uint8_t kMethodUserPass = 0x02;
inline constexpr std::uint8_t kMethodNoAcceptable = 0xFF;

// Greeting: offers "no authentication", plus "username/password" when with_auth.
std::string greeting(bool with_auth);
// RFC 1929 request. Errors: PROXY_FAILED-free CONFIG_INVALID when a field is empty or longer than 255 bytes.
Result<std::string> auth_request(const std::string& username, const Secret& password);
// CONNECT by domain name (socks5h). Errors: CONFIG_INVALID when the name is empty or longer than 255 bytes.
Result<std::string> connect_by_name(const std::string& host, std::uint16_t port);
// CONNECT by address: `ip_bytes` holds 4 (IPv4) or 16 (IPv6) raw bytes.
Result<std::string> connect_by_address(const std::string& ip_bytes, std::uint16_t port);

struct Reply {
  ParseStatus status = ParseStatus::kNeedMore;
  std::size_t needed = 0;  // bytes the whole reply needs (known so far); valid when kNeedMore or kDone
  std::uint8_t code = 0;   // method / auth status / REP field
  std::string error;       // kError: why
};

// Method selection: VER METHOD (2 bytes).
Reply parse_method_reply(std::string_view bytes);
// RFC 1929 status: VER(1) STATUS (2 bytes); STATUS 0 = success.
Reply parse_auth_reply(std::string_view bytes);
// CONNECT reply: VER REP RSV ATYP BND.ADDR BND.PORT; length depends on ATYP.
Reply parse_connect_reply(std::string_view bytes);

// RFC 1928 §6 text of a REP code, e.g. 5 -> "Connection refused".
std::string_view reply_text(std::uint8_t code);

}  // namespace emailv2::net::socks5
