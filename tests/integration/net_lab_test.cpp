// The Transport against the real lab (scripts/mail-lab): Dovecot IMAPS and IMAP+STARTTLS with the lab CA, the wrong
// CA, and the tunnels through tinyproxy (HTTP CONNECT, with and without Basic auth) and dante (SOCKS5, SOCKS5h).
#include <gtest/gtest.h>

#include "net/transport.h"
#include "support/test_env.h"

namespace emailv2::net {
namespace {

using testing::lab;
using testing::lab_port;
using namespace std::chrono_literals;

ConnectOptions imaps(const std::string& host = "") {
  ConnectOptions o;
  o.endpoint = {host.empty() ? lab("LAB_HOST") : host, static_cast<std::uint16_t>(lab_port("LAB_IMAPS_PORT"))};
  o.implicit_tls = true;
  o.tls.ca_file = lab("LAB_CA");
  o.connect_timeout = 10s;
  o.operation_timeout = 10s;
  o.protocol = "imap";
  return o;
}

ProxyConfig proxy(ProxyScheme scheme, const char* port_key) {
  ProxyConfig p;
  p.scheme = scheme;
  p.endpoint = {lab("LAB_HOST"), static_cast<std::uint16_t>(lab_port(port_key))};
  return p;
}

// Reads one CRLF-terminated line.
std::string read_line(Transport& t) {
  std::string out;
  while (out.empty() || out.back() != '\n') {
    char c = 0;
    auto n = t.read_some(std::span<char>(&c, 1), Deadline::after(10s), "greeting");
    EXPECT_TRUE(n) << n.error().to_string();
    if (!n || *n == 0) break;
    out += c;
  }
  return out;
}

void expect_greeting(const ConnectOptions& o) {
  auto t = connect(o, Deadline::after(20s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_TRUE((*t)->is_tls());
  EXPECT_EQ(read_line(**t).rfind("* OK", 0), 0u);
  ASSERT_TRUE((*t)->write_all("a1 LOGOUT\r\n", Deadline::after(10s)));
  EXPECT_EQ(read_line(**t).rfind("* BYE", 0), 0u);
  (*t)->close();
}

TEST(NetLab, ImapsWithTheLabCa) {
  expect_greeting(imaps());
  expect_greeting(imaps("localhost"));
}

TEST(NetLab, ImapsWithTheOtherCaIsTlsFailed) {
  ConnectOptions o = imaps();
  o.tls.ca_file = lab("LAB_OTHER_CA");
  auto t = connect(o, Deadline::after(20s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kTlsFailed);
  EXPECT_NE(t.error().detail().find("certificate verification failed for " + lab("LAB_HOST") + ": "),
            std::string::npos)
      << t.error().detail();
}

TEST(NetLab, ImapsWithAWrongNameIsTlsFailed) {
  ConnectOptions o = imaps();
  o.tls.server_name = "imap.wrong.example";
  auto t = connect(o, Deadline::after(20s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kTlsFailed);
  EXPECT_NE(t.error().detail().find("mismatch"), std::string::npos) << t.error().detail();
}

TEST(NetLab, ImapStartTls) {
  ConnectOptions o = imaps();
  o.endpoint.port = static_cast<std::uint16_t>(lab_port("LAB_IMAP_PORT"));
  o.implicit_tls = false;
  auto t = connect(o, Deadline::after(20s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(read_line(**t).rfind("* OK", 0), 0u);
  ASSERT_TRUE((*t)->write_all("a1 STARTTLS\r\n", Deadline::after(10s)));
  EXPECT_EQ(read_line(**t).rfind("a1 OK", 0), 0u);
  auto up = (*t)->start_tls(Deadline::after(10s));
  ASSERT_TRUE(up) << up.error().to_string();
  ASSERT_TRUE((*t)->write_all("a2 CAPABILITY\r\n", Deadline::after(10s)));
  std::string line = read_line(**t);
  EXPECT_EQ(line.rfind("* CAPABILITY", 0), 0u) << line;
  EXPECT_NE(line.find("AUTH=PLAIN"), std::string::npos) << line;
  EXPECT_EQ(read_line(**t).rfind("a2 OK", 0), 0u);
}

TEST(NetLab, ImapsThroughTinyproxy) {
  ConnectOptions o = imaps();
  o.proxy = proxy(ProxyScheme::kHttpConnect, "LAB_HTTP_PROXY_PORT");
  expect_greeting(o);
}

TEST(NetLab, ImapsThroughTinyproxyWithBasicAuth) {
  ConnectOptions o = imaps();
  o.proxy = proxy(ProxyScheme::kHttpConnect, "LAB_HTTP_PROXY_AUTH_PORT");
  o.proxy.username = lab("LAB_PROXY_USER");
  o.proxy.password = Secret(lab("LAB_PROXY_PASS"));
  expect_greeting(o);

  o.proxy.password = Secret("not-the-password");
  auto t = connect(o, Deadline::after(20s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kProxyFailed);
  // tinyproxy answers 401 where RFC 9110 says 407; either is the proxy's refusal, quoted.
  const std::string& detail = t.error().detail();
  EXPECT_TRUE(detail.find(" 407 ") != std::string::npos || detail.find(" 401 ") != std::string::npos) << detail;
}

TEST(NetLab, ImapsThroughDanteSocks5AndSocks5h) {
  ConnectOptions o = imaps();
  o.proxy = proxy(ProxyScheme::kSocks5, "LAB_SOCKS_PORT");
  expect_greeting(o);
  ConnectOptions by_name = imaps("localhost");
  by_name.proxy = proxy(ProxyScheme::kSocks5h, "LAB_SOCKS_PORT");
  expect_greeting(by_name);
}

TEST(NetLab, ProxyUrlFromTheConfigurationWorks) {
  auto parsed = parse_proxy("socks5h://" + lab("LAB_HOST") + ":" + lab("LAB_SOCKS_PORT"));
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  ConnectOptions o = imaps();
  o.proxy = *parsed;
  expect_greeting(o);
}

}  // namespace
}  // namespace emailv2::net
