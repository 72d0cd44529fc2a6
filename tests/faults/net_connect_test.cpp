// Connection failures and timeouts of net::connect()/Transport (CONTRACT §6.1): DNS, refused port, a server that
// never answers, deadlines, a peer that went away (no SIGPIPE), and the never-reused-after-error rule.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/transport.h"
#include "support/scripted_server.h"
#include "support/test_certs.h"

namespace emailv2::net {
namespace {

using testing::Script;
using testing::ScriptedServer;
using testing::TestCerts;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

ConnectOptions plain_options(const Endpoint& endpoint) {
  ConnectOptions o;
  o.endpoint = endpoint;
  o.connect_timeout = 5s;
  o.operation_timeout = 5s;
  return o;
}

std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(NetConnect, ClosedPortIsConnectFailed) {
  const std::uint16_t port = closed_port();
  auto t = connect(plain_options({"127.0.0.1", port}), Deadline::after(10s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kConnectFailed);
  EXPECT_EQ(t.error().detail(), "Cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
}

TEST(NetConnect, UnresolvableHostIsDnsFailed) {
  const auto start = SteadyClock::now();
  auto t = connect(plain_options({"nonexistent.invalid", 993}), Deadline::after(10s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kDnsFailed) << t.error().to_string();
  EXPECT_EQ(t.error().detail(), "Cannot resolve host nonexistent.invalid");
  EXPECT_LT(SteadyClock::now() - start, 6s);
}

TEST(NetConnect, MissingOrHostileEndpointIsConfigInvalid) {
  for (const Endpoint& e : {Endpoint{"", 993}, Endpoint{"127.0.0.1", 0}, Endpoint{"a.example\r\nX: y", 993},
                            Endpoint{"a b", 993}, Endpoint{std::string("a\0b", 3), 993}}) {
    auto t = connect(plain_options(e), Deadline::after(1s));
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code(), ErrorCode::kConfigInvalid);
  }
}

TEST(NetConnect, AServerThatStopsReadingTimesOutTheWrite) {
  ScriptedServer server(Script{}.sleep(5s));
  ConnectOptions o = plain_options(server.endpoint());
  o.operation_timeout = 1s;
  auto t = connect(o, Deadline::after(30s));
  ASSERT_TRUE(t);
  const std::string big(64 * 1024 * 1024, 'x');
  const auto start = SteadyClock::now();
  auto w = (*t)->write_all(big, Deadline::after(30s));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kTimeout);
  EXPECT_EQ(w.error().detail(), "Timed out after 1 s waiting for acknowledgement of sent data from " +
                                    server.endpoint().to_string());
  EXPECT_LT(SteadyClock::now() - start, 3s);
  EXPECT_FALSE((*t)->is_open());
}

TEST(NetConnect, SilentServerTimesOutWithinTheOperationTimeout) {
  ScriptedServer server(Script{}.stall());
  ConnectOptions o = plain_options(server.endpoint());
  o.operation_timeout = 1s;
  auto t = connect(o, Deadline::after(30s));
  ASSERT_TRUE(t) << t.error().to_string();
  char buf[64];
  const auto start = SteadyClock::now();
  auto r = (*t)->read_some(buf, Deadline::after(30s), "greeting");
  const auto waited = SteadyClock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kTimeout);
  EXPECT_EQ(r.error().detail(), "Timed out after 1 s waiting for greeting from " + server.endpoint().to_string());
  EXPECT_GE(waited, 950ms);
  EXPECT_LT(waited, 1500ms);
  EXPECT_FALSE((*t)->is_open());
  // Never reused after an error.
  auto again = (*t)->read_some(buf, Deadline::after(1s));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConnectFailed);
  EXPECT_FALSE((*t)->write_all("x", Deadline::after(1s)));
}

TEST(NetConnect, CallerDeadlineShorterThanTheOperationTimeoutWins) {
  ScriptedServer server(Script{}.stall());
  ConnectOptions o = plain_options(server.endpoint());
  o.operation_timeout = 60s;
  auto t = connect(o, Deadline::after(30s));
  ASSERT_TRUE(t);
  char buf[8];
  const auto start = SteadyClock::now();
  auto r = (*t)->read_some(buf, Deadline::after(300ms), "response to NOOP");
  const auto waited = SteadyClock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kTimeout);
  EXPECT_EQ(r.error().detail(), "Timed out after 1 s waiting for response to NOOP from " + server.endpoint().to_string());
  EXPECT_LT(waited, 800ms);
}

TEST(NetConnect, TlsHandshakeAgainstASilentServerTimesOutWithinConnectTimeout) {
  TestCerts certs;
  ScriptedServer server(Script{}.stall());
  ConnectOptions o = plain_options(server.endpoint());
  o.implicit_tls = true;
  o.tls.ca_file = certs.ca_file().string();
  o.connect_timeout = 1s;
  const auto start = SteadyClock::now();
  auto t = connect(o, Deadline::after(30s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kTimeout);
  EXPECT_EQ(t.error().detail(),
            "Timed out after 1 s waiting for TLS handshake from " + server.endpoint().to_string());
  EXPECT_LT(SteadyClock::now() - start, 1500ms);
}

TEST(NetConnect, ExpiredDeadlineFailsAtOnce) {
  ScriptedServer server(Script{}.send("* OK\r\n"));
  auto t = connect(plain_options(server.endpoint()), Deadline::after(0ms));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kTimeout);
}

TEST(NetConnect, PlainRoundTripAndOrderlyEof) {
  ScriptedServer server(Script{}.send("220 hi\r\n").expect_line_matching("^EHLO x$").send("250 ok\r\n").close());
  auto t = connect(plain_options(server.endpoint()), Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_FALSE((*t)->is_tls());
  EXPECT_EQ((*t)->endpoint().port, server.port());
  ASSERT_TRUE((*t)->write_all("EHLO x\r\n", Deadline::after(5s)));
  std::string got;
  for (;;) {
    char buf[3];
    auto n = (*t)->read_some(buf, Deadline::after(5s));
    ASSERT_TRUE(n) << n.error().to_string();
    if (*n == 0) break;
    got.append(buf, *n);
  }
  EXPECT_EQ(got, "220 hi\r\n250 ok\r\n");
  EXPECT_EQ((*t)->bytes_written(), 8u);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_TRUE(server.failures().empty());
}

// With SIGPIPE at its default action, a write to a closed peer would kill this test process.
void write_until_error(Transport& t, Error& error) {
  const std::string chunk(64 * 1024, 'x');
  for (int i = 0; i < 1000; ++i) {
    auto w = t.write_all(chunk, Deadline::after(5s));
    if (!w) {
      error = w.error();
      return;
    }
    std::this_thread::sleep_for(1ms);
  }
  FAIL() << "writes to a closed peer kept succeeding";
}

TEST(NetConnect, WritingToAPeerThatLeftIsConnectFailedNotSigpipe) {
  {
    ScriptedServer server(Script{}.drop());
    auto t = connect(plain_options(server.endpoint()), Deadline::after(10s));
    ASSERT_TRUE(t);
    ASSERT_TRUE(server.wait_finished());
    Error error(ErrorCode::kInternal, "");
    write_until_error(**t, error);
    EXPECT_EQ(error.code(), ErrorCode::kConnectFailed) << error.to_string();
    EXPECT_NE(error.detail().find("connection closed by 127.0.0.1:"), std::string::npos) << error.detail();
  }
  {
    TestCerts certs;
    ScriptedServer server(Script{}.start_tls(certs.server()).drop());
    ConnectOptions o = plain_options(server.endpoint());
    o.implicit_tls = true;
    o.tls.ca_file = certs.ca_file().string();
    auto t = connect(o, Deadline::after(10s));
    ASSERT_TRUE(t) << t.error().to_string();
    ASSERT_TRUE(server.wait_finished());
    Error error(ErrorCode::kInternal, "");
    write_until_error(**t, error);
    EXPECT_EQ(error.code(), ErrorCode::kConnectFailed) << error.to_string();
  }
}

TEST(NetConnect, StartTlsWhenThePeerAlreadyClosed) {
  TestCerts certs;
  ScriptedServer server(Script{}.drop());
  ConnectOptions o = plain_options(server.endpoint());
  o.tls.ca_file = certs.ca_file().string();
  auto t = connect(o, Deadline::after(10s));
  ASSERT_TRUE(t);
  ASSERT_TRUE(server.wait_finished());
  auto up = (*t)->start_tls(Deadline::after(5s));
  ASSERT_FALSE(up);
  EXPECT_EQ(up.error().code(), ErrorCode::kConnectFailed);
}

}  // namespace
}  // namespace emailv2::net
