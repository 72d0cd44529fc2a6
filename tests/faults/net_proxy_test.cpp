// HTTP CONNECT and SOCKS5/SOCKS5h tunnels against scripted proxies (CONTRACT §2.1 "Proxy"). The scripted proxy
// plays the target server too, after the tunnel reply, so TLS is checked end to end through the tunnel.
#include <gtest/gtest.h>

#include "core/text.h"
#include "net/transport.h"
#include "support/scripted_server.h"
#include "support/test_certs.h"

namespace emailv2::net {
namespace {

using testing::Script;
using testing::ScriptedServer;
using testing::TestCerts;
using namespace std::chrono_literals;

const Endpoint kTarget{"imap.example", 993};

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

ConnectOptions via(const ScriptedServer& proxy, ProxyScheme scheme, Endpoint target = kTarget) {
  ConnectOptions o;
  o.endpoint = std::move(target);
  o.proxy.scheme = scheme;
  o.proxy.endpoint = proxy.endpoint();
  o.connect_timeout = 5s;
  o.operation_timeout = 5s;
  return o;
}

std::string read_line(Transport& t) {
  std::string out;
  while (out.empty() || out.back() != '\n') {
    char c = 0;
    auto n = t.read_some(std::span<char>(&c, 1), Deadline::after(5s));
    if (!n || *n == 0) break;
    out += c;
  }
  return out;
}

TEST(NetHttpProxy, TunnelThenTlsEndToEndWithBasicAuth) {
  TestCerts certs;
  ScriptedServer proxy(Script{}
                           .expect_line_matching("^CONNECT imap\\.example:993 HTTP/1\\.1$")
                           .expect_headers()
                           .send("HTTP/1.1 200 Connection established\r\nProxy-Agent: scripted\r\n\r\n")
                           .start_tls(certs.issue("target", {{"imap.example"}}))
                           .send("* OK through the tunnel\r\n")
                           .close());
  ConnectOptions o = via(proxy, ProxyScheme::kHttpConnect);
  o.proxy.username = "alice";
  o.proxy.password = Secret("proxy-pw");
  o.implicit_tls = true;
  o.tls.ca_file = certs.ca_file().string();
  auto t = connect(o, Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ((*t)->endpoint().to_string(), "imap.example:993");
  EXPECT_EQ(read_line(**t), "* OK through the tunnel\r\n");
  (*t)->close();
  ASSERT_TRUE(proxy.wait_finished());
  EXPECT_TRUE(proxy.failures().empty());
  const auto lines = proxy.lines();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[1], "Host: imap.example:993");
  EXPECT_EQ(lines[2], "Proxy-Authorization: Basic " + text::base64_encode("alice:proxy-pw"));
}

TEST(NetHttpProxy, BytesRightAfterTheReplyBelongToTheTunnel) {
  ScriptedServer proxy(Script{}.expect_headers().send("HTTP/1.0 200 OK\r\n\r\n* OK plain greeting\r\n").stall());
  auto t = connect(via(proxy, ProxyScheme::kHttpConnect), Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(read_line(**t), "* OK plain greeting\r\n");
  EXPECT_EQ(proxy.lines().size(), 3u);  // CONNECT, Host, blank: no credentials without a user name
}

TEST(NetHttpProxy, RefusalsAreProxyFailedWithTheStatusLine) {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n",
       "failed: HTTP/1.1 407 Proxy Authentication Required"},
      {"HTTP/1.1 403 Forbidden\r\n\r\n", "failed: HTTP/1.1 403 Forbidden"},
      {"HTTP/1.1 502 Bad Gateway\r\n\r\n", "failed: HTTP/1.1 502 Bad Gateway"},
      {"SSH-2.0-OpenSSH_9.2\r\n", "failed: not an HTTP reply"},
      {"HTTP/1.1 200 OK\r\n", "failed: connection closed before the end of the reply"},
      {"HTTP/1.1 2xx OK\r\n\r\n", "failed: malformed status line \"HTTP/1.1 2xx OK\""},
  };
  for (const auto& [reply, expected] : rows) {
    SCOPED_TRACE(reply);
    ScriptedServer proxy(Script{}.expect_headers().send(reply).close());
    auto t = connect(via(proxy, ProxyScheme::kHttpConnect), Deadline::after(10s));
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code(), ErrorCode::kProxyFailed);
    EXPECT_EQ(t.error().detail().rfind("Proxy " + proxy.endpoint().to_string() + " ", 0), 0u) << t.error().detail();
    EXPECT_NE(t.error().detail().find(expected), std::string::npos) << t.error().detail();
  }
}

TEST(NetHttpProxy, SilentProxyTimesOutAndDeadProxyIsProxyFailed) {
  {
    ScriptedServer proxy(Script{}.stall());
    ConnectOptions o = via(proxy, ProxyScheme::kHttpConnect);
    o.connect_timeout = 1s;
    auto t = connect(o, Deadline::after(10s));
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code(), ErrorCode::kTimeout);
    EXPECT_EQ(t.error().detail(), "Timed out after 1 s waiting for proxy reply from " + proxy.endpoint().to_string());
  }
  Endpoint dead;
  {
    ScriptedServer gone(Script{});
    dead = gone.endpoint();
  }
  ConnectOptions o;
  o.endpoint = kTarget;
  o.proxy.scheme = ProxyScheme::kHttpConnect;
  o.proxy.endpoint = dead;
  auto t = connect(o, Deadline::after(10s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kProxyFailed) << t.error().to_string();
  EXPECT_NE(t.error().detail().find("Connection refused"), std::string::npos);
}

TEST(NetSocks5, NoAuthSocks5hSendsTheNameAndTunnels) {
  const std::string request = bytes({5, 1, 0, 3, 12}) + "imap.example" + bytes({0x03, 0xE1});
  ScriptedServer proxy(Script{}
                           .expect_bytes(3)
                           .send(bytes({5, 0}))
                           .expect_bytes(request.size())
                           .send(bytes({5, 0, 0, 1, 10, 0, 0, 1, 0x12, 0x34}) + "* OK socks\r\n")
                           .stall());
  auto t = connect(via(proxy, ProxyScheme::kSocks5h), Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(read_line(**t), "* OK socks\r\n");
  (*t)->close();
  ASSERT_TRUE(proxy.wait_finished());
  EXPECT_TRUE(proxy.failures().empty());
  EXPECT_EQ(proxy.received(), bytes({5, 1, 0}) + request);
}

TEST(NetSocks5, Socks5ResolvesLocallyAndSendsTheAddress) {
  const std::string request = bytes({5, 1, 0, 1, 127, 0, 0, 1, 0x03, 0xE1});
  ScriptedServer proxy(Script{}
                           .expect_bytes(3)
                           .send(bytes({5, 0}))
                           .expect_bytes(request.size())
                           .send(bytes({5, 0, 0, 3, 4, 'h', 'o', 's', 't', 0, 1}) + "* OK\r\n")
                           .stall());
  auto t = connect(via(proxy, ProxyScheme::kSocks5, {"127.0.0.1", 993}), Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(read_line(**t), "* OK\r\n");
  (*t)->close();
  ASSERT_TRUE(proxy.wait_finished());
  EXPECT_EQ(proxy.received(), bytes({5, 1, 0}) + request);
}

TEST(NetSocks5, Socks5WithAnUnresolvableTargetIsDnsFailedBeforeAnyByte) {
  ScriptedServer proxy(Script{}.stall());
  auto t = connect(via(proxy, ProxyScheme::kSocks5, {"nonexistent.invalid", 993}), Deadline::after(10s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kDnsFailed);
  (void)proxy.wait_accepted();
}

TEST(NetSocks5, UserPassAuthentication) {
  const std::string auth = bytes({1, 5}) + "carol" + bytes({4}) + "pw42";
  ScriptedServer proxy(Script{}
                           .expect_bytes(4)
                           .send(bytes({5, 2}))
                           .expect_bytes(auth.size())
                           .send(bytes({1, 0}))
                           .expect_bytes(5 + 12 + 2)
                           .send(bytes({5, 0, 0, 1, 0, 0, 0, 0, 0, 0}) + "* OK\r\n")
                           .stall());
  ConnectOptions o = via(proxy, ProxyScheme::kSocks5h);
  o.proxy.username = "carol";
  o.proxy.password = Secret("pw42");
  auto t = connect(o, Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(read_line(**t), "* OK\r\n");
  (*t)->close();
  ASSERT_TRUE(proxy.wait_finished());
  EXPECT_EQ(proxy.received().substr(0, 4 + auth.size()), bytes({5, 2, 0, 2}) + auth);
}

TEST(NetSocks5, FailuresCarryTheRfcText) {
  struct Row {
    Script script;
    bool with_auth;
    std::string expected;
  };
  std::vector<Row> rows;
  rows.push_back({Script{}.expect_bytes(3).send(bytes({5, 0xFF})).stall(), false,
                  "no acceptable authentication methods"});
  rows.push_back({Script{}.expect_bytes(3).send(bytes({5, 2})).stall(), false, "no acceptable authentication methods"});
  rows.push_back({Script{}.expect_bytes(4).send(bytes({5, 2})).expect_bytes(1 + 1 + 1 + 1 + 1).send(bytes({1, 1})).stall(),
                  true, "username/password authentication failed"});
  rows.push_back({Script{}.expect_bytes(3).send(bytes({5, 0})).expect_bytes(19).send(bytes({5, 5, 0, 1, 0, 0, 0, 0, 0, 0})).stall(),
                  false, "SOCKS5 reply 5 (Connection refused)"});
  rows.push_back({Script{}.expect_bytes(3).send(bytes({5, 0})).expect_bytes(19).send(bytes({5, 2, 0, 1, 0, 0, 0, 0, 0, 0})).stall(),
                  false, "SOCKS5 reply 2 (connection not allowed by ruleset)"});
  rows.push_back({Script{}.expect_bytes(3).send("HTTP/1.1 400 Bad Request\r\n\r\n").stall(), false,
                  "not a SOCKS5 method selection reply"});
  rows.push_back({Script{}.expect_bytes(3).send(bytes({5})).close(), false, "connection closed by"});
  for (auto& row : rows) {
    SCOPED_TRACE(row.expected);
    ScriptedServer proxy(std::move(row.script));
    ConnectOptions o = via(proxy, ProxyScheme::kSocks5h);
    if (row.with_auth) {
      o.proxy.username = "u";
      o.proxy.password = Secret("p");
    }
    auto t = connect(o, Deadline::after(10s));
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code(), ErrorCode::kProxyFailed) << t.error().to_string();
    EXPECT_EQ(t.error().detail().rfind("Proxy " + proxy.endpoint().to_string() + " failed: ", 0), 0u)
        << t.error().detail();
    EXPECT_NE(t.error().detail().find(row.expected), std::string::npos) << t.error().detail();
  }
}

}  // namespace
}  // namespace emailv2::net
