#include <gtest/gtest.h>

#include "net/transport.h"

namespace emailv2::net {
namespace {

struct Row {
  const char* text;
  bool ok;
  ProxyScheme scheme;
  const char* host;
  std::uint16_t port;
  const char* user;
  const char* pass;
};

// Hostile and malformed rows first.
const Row kRows[] = {
    {"http://host:0", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://host:65536", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://host:12ab", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://host:", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://:8080", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://", false, ProxyScheme::kNone, "", 0, "", ""},
    {"https://proxy:443", false, ProxyScheme::kNone, "", 0, "", ""},
    {"socks4://proxy", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://proxy/path", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://pro xy:80", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://proxy\r\n:80", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://::1:8080", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://[::1", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://[nothex]:80", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://[::1]x", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://u:p%zz@proxy", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://u:p%4@proxy", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://:pass@proxy", false, ProxyScheme::kNone, "", 0, "", ""},
    {"http://ho$t", false, ProxyScheme::kNone, "", 0, "", ""},
    // Valid.
    {"", true, ProxyScheme::kNone, "", 0, "", ""},
    {"   ", true, ProxyScheme::kNone, "", 0, "", ""},
    {"proxy.example", true, ProxyScheme::kHttpConnect, "proxy.example", 8080, "", ""},
    {"proxy.example:3128", true, ProxyScheme::kHttpConnect, "proxy.example", 3128, "", ""},
    {" http://10.0.0.1:3128/ ", true, ProxyScheme::kHttpConnect, "10.0.0.1", 3128, "", ""},
    {"HTTP://Proxy", true, ProxyScheme::kHttpConnect, "Proxy", 8080, "", ""},
    {"socks5://proxy", true, ProxyScheme::kSocks5, "proxy", 1080, "", ""},
    {"socks5h://proxy:9050", true, ProxyScheme::kSocks5h, "proxy", 9050, "", ""},
    {"http://[::1]:8080", true, ProxyScheme::kHttpConnect, "::1", 8080, "", ""},
    {"socks5://[2001:db8::1]", true, ProxyScheme::kSocks5, "2001:db8::1", 1080, "", ""},
    {"http://alice@proxy", true, ProxyScheme::kHttpConnect, "proxy", 8080, "alice", ""},
    {"http://alice:s3cret@proxy:1", true, ProxyScheme::kHttpConnect, "proxy", 1, "alice", "s3cret"},
    {"socks5://a%40b:p%3Aw%25d@proxy", true, ProxyScheme::kSocks5, "proxy", 1080, "a@b", "p:w%d"},
    {"http://u:pa@ss@proxy", true, ProxyScheme::kHttpConnect, "proxy", 8080, "u", "pa@ss"},
};

TEST(ParseProxy, Table) {
  for (const auto& row : kRows) {
    SCOPED_TRACE(row.text);
    auto parsed = parse_proxy(row.text);
    ASSERT_EQ(parsed.has_value(), row.ok) << (parsed ? "" : parsed.error().to_string());
    if (!row.ok) {
      EXPECT_EQ(parsed.error().code(), ErrorCode::kConfigInvalid);
      continue;
    }
    EXPECT_EQ(parsed->scheme, row.scheme);
    EXPECT_EQ(parsed->endpoint.host, row.host);
    EXPECT_EQ(parsed->endpoint.port, row.port);
    EXPECT_EQ(parsed->username, row.user);
    EXPECT_EQ(parsed->password.reveal(), row.pass);
  }
}

TEST(ParseProxy, ErrorsNeverEchoThePassword) {
  for (const char* text : {"http://user:TopSecret1@proxy:0", "ftp://user:TopSecret1@proxy", "http://u:TopSecret1@"}) {
    auto parsed = parse_proxy(text);
    ASSERT_FALSE(parsed.has_value()) << text;
    EXPECT_EQ(parsed.error().detail().find("TopSecret1"), std::string::npos) << parsed.error().detail();
    EXPECT_EQ(parsed.error().detail().find("user"), std::string::npos) << parsed.error().detail();
  }
}

}  // namespace
}  // namespace emailv2::net
