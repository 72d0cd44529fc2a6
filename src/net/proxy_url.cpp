// parse_proxy() (declared in net/transport.h): the Proxy Server Address value of CONTRACT §2.
#include <arpa/inet.h>

#include <charconv>

#include "core/text.h"
#include "net/transport.h"

namespace emailv2::net {
namespace {

constexpr std::uint16_t kHttpDefaultPort = 8080;
constexpr std::uint16_t kSocksDefaultPort = 1080;

struct Parts {
  std::string scheme;
  std::string userinfo;
  bool has_userinfo = false;
  std::string hostport;
};

// The address as it may be echoed: any credentials replaced.
std::string shown(const Parts& p) {
  std::string out = p.scheme.empty() ? "" : p.scheme + "://";
  if (p.has_userinfo) out += "<redacted>@";
  return text::echo_value(out + p.hostport);
}

Error invalid(const Parts& p, std::string_view why) {
  return Error(ErrorCode::kConfigInvalid, "Invalid Proxy Server Address \"" + shown(p) + "\": " + std::string(why));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = hex_value(in[i + 1]);
    const int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

bool valid_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (const char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Status split_host_port(const Parts& p, std::uint16_t default_port, Endpoint& out) {
  std::string_view hp = p.hostport;
  std::string_view port_text;
  if (!hp.empty() && hp.front() == '[') {
    const auto close = hp.find(']');
    if (close == std::string_view::npos) return fail(invalid(p, "unterminated IPv6 address"));
    out.host = std::string(hp.substr(1, close - 1));
    unsigned char buf[16];
    if (inet_pton(AF_INET6, out.host.c_str(), buf) != 1) return fail(invalid(p, "invalid IPv6 address"));
    const std::string_view rest = hp.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return fail(invalid(p, "unexpected text after the IPv6 address"));
    if (!rest.empty()) port_text = rest.substr(1);
    if (!rest.empty() && port_text.empty()) return fail(invalid(p, "empty port"));
  } else {
    const auto colon = hp.find(':');
    if (colon != std::string_view::npos && hp.find(':', colon + 1) != std::string_view::npos) {
      return fail(invalid(p, "an IPv6 address must be written in brackets"));
    }
    out.host = std::string(hp.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = hp.substr(colon + 1);
      if (port_text.empty()) return fail(invalid(p, "empty port"));
    }
    if (!valid_host_name(out.host)) return fail(invalid(p, "invalid or missing host"));
  }
  out.port = default_port;
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value < 1 || value > 65535) {
      return fail(invalid(p, "the port must be an integer between 1 and 65535"));
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  return ok();
}

Status parse_scheme(const Parts& p, ProxyConfig& config, std::uint16_t& default_port) {
  const std::string scheme = text::to_lower_ascii(p.scheme);
  if (scheme.empty() || scheme == "http") {
    config.scheme = ProxyScheme::kHttpConnect;
    default_port = kHttpDefaultPort;
  } else if (scheme == "socks5") {
    config.scheme = ProxyScheme::kSocks5;
    default_port = kSocksDefaultPort;
  } else if (scheme == "socks5h") {
    config.scheme = ProxyScheme::kSocks5h;
    default_port = kSocksDefaultPort;
  } else {
    return fail(invalid(p, "unsupported scheme (use http://, socks5:// or socks5h://)"));
  }
  return ok();
}

}  // namespace

Result<ProxyConfig> parse_proxy(std::string_view raw) {
  const std::string_view value = text::trim(raw);
  ProxyConfig config;
  if (value.empty()) return config;
  Parts p;
  std::string_view rest = value;
  if (const auto sep = rest.find("://"); sep != std::string_view::npos) {
    p.scheme = std::string(rest.substr(0, sep));
    rest = rest.substr(sep + 3);
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    p.has_userinfo = true;
    p.userinfo = std::string(rest.substr(0, at));
    rest = rest.substr(at + 1);
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  p.hostport = std::string(rest);
  for (const char c : value) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return fail(invalid(p, "spaces and control characters are not allowed"));
    }
  }
  if (p.hostport.find_first_of("/?#") != std::string::npos) return fail(invalid(p, "a path is not allowed"));

  std::uint16_t default_port = 0;
  EMAILV2_TRY(parse_scheme(p, config, default_port));
  EMAILV2_TRY(split_host_port(p, default_port, config.endpoint));
  if (p.has_userinfo) {
    const auto colon = p.userinfo.find(':');
    std::string user;
    std::string pass;
    if (!percent_decode(std::string_view(p.userinfo).substr(0, colon), user) ||
        (colon != std::string::npos && !percent_decode(std::string_view(p.userinfo).substr(colon + 1), pass))) {
      return fail(invalid(p, "invalid percent-encoding in the credentials"));
    }
    if (user.empty()) return fail(invalid(p, "empty proxy user name"));
    config.username = std::move(user);
    config.password = Secret(std::move(pass));
  }
  return config;
}

}  // namespace emailv2::net
