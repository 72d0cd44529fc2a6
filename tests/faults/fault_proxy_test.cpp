// The fault-injecting proxy (tests/support/fault_proxy.h) proves each fault really happens, against scripted
// servers: link delay measured per round trip and without serialisation, reset at exactly N bytes each way, stall
// seen by a client timeout, orderly close, injected bytes in stream order, per-connection plans, bounded shutdown.
#include "support/fault_proxy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <thread>
#include <vector>

#include "core/deadline.h"
#include "net/transport.h"
#include "support/scripted_server.h"

namespace emailv2::testing {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

enum class End { kEof, kReset, kTimeout, kEnough };

struct Received {
  std::string bytes;
  End end = End::kTimeout;
};

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Reads until EOF, RST, `want` bytes, or `quiet` without any byte.
Received read_until_end(int fd, std::chrono::milliseconds quiet, std::size_t want = SIZE_MAX) {
  Received r;
  char buffer[65536];
  while (r.bytes.size() < want) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(quiet.count())) == 0) return r;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n == 0) {
      r.end = End::kEof;
      return r;
    }
    if (n < 0) {
      r.end = errno == ECONNRESET ? End::kReset : End::kTimeout;
      return r;
    }
    r.bytes.append(buffer, static_cast<std::size_t>(n));
  }
  r.end = End::kEnough;
  return r;
}

void send_all(int fd, const std::string& bytes) {
  ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
}

Script echo_script() {
  return std::move(Script{}.on_line([](const std::string& line) { return line + "\r\n"; }));
}

std::unique_ptr<FaultProxy> start_proxy(std::uint16_t target, ConnectionFaults faults) {
  FaultProxyOptions o;
  o.target_port = target;
  o.faults = std::move(faults);
  auto proxy = FaultProxy::start(std::move(o));
  EXPECT_TRUE(proxy) << proxy.error().to_string();
  return proxy ? std::move(*proxy) : nullptr;
}

std::string numbered_bytes(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
  return s;
}

TEST(FaultProxy, ListenAddressMustBeLoopback) {
  FaultProxyOptions o;
  o.target_port = 1;
  o.listen_host = "0.0.0.0";
  auto proxy = FaultProxy::start(std::move(o));
  ASSERT_FALSE(proxy);
  EXPECT_EQ(proxy.error().code(), ErrorCode::kConnectFailed);
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

TEST(FaultProxy, TargetRefusedClosesTheClient) {
  auto proxy = start_proxy(closed_port(), {});
  ASSERT_TRUE(proxy);
  const int fd = connect_to(proxy->port());
  const Received r = read_until_end(fd, 2000ms);
  EXPECT_TRUE(r.end == End::kEof || r.end == End::kReset);
  EXPECT_EQ(r.bytes, "");
  EXPECT_TRUE(proxy->wait_accepted(1));
  EXPECT_EQ(proxy->counts().connect_failures, 1);
  ::close(fd);
}

TEST(FaultProxy, TransparentWithoutFaultsAndCountsBytes) {
  ScriptedServer server(echo_script());
  auto proxy = start_proxy(server.port(), {});
  const int fd = connect_to(proxy->port());
  send_all(fd, "hello\r\nworld\r\n");
  const Received r = read_until_end(fd, 2000ms, 14);
  EXPECT_EQ(r.bytes, "hello\r\nworld\r\n");
  ::close(fd);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_EQ(server.lines(), (std::vector<std::string>{"hello", "world"}));
  EXPECT_EQ(proxy->bytes_to_server(), 14u);
  EXPECT_EQ(proxy->bytes_to_client(), 14u);
  EXPECT_EQ(proxy->counts().accepted, 1);
}

TEST(FaultProxy, DelayEachWayAddsTwiceTheDelayPerRoundTrip) {
  ScriptedServer server(echo_script());
  auto proxy = start_proxy(server.port(), ConnectionFaults::delay_each_way(20ms));
  const int fd = connect_to(proxy->port());
  for (int i = 0; i < 3; ++i) {
    const auto start = SteadyClock::now();
    send_all(fd, "ping\r\n");
    const Received r = read_until_end(fd, 2000ms, 6);
    const auto rtt = SteadyClock::now() - start;
    EXPECT_EQ(r.bytes, "ping\r\n");
    EXPECT_GE(rtt, 40ms);
    EXPECT_LT(rtt, 1000ms);
  }
  ::close(fd);
}

// A link delay, not a sleep per read: 40 lines sent 5 ms apart each come back ~40 ms after they left, in order.
// A proxy that slept 20 ms per read in each direction would add up to 40 x 15 ms of queueing for the last line.
TEST(FaultProxy, DelayIsALinkDelayNotASerialisingSleep) {
  ScriptedServer server(echo_script());
  auto proxy = start_proxy(server.port(), ConnectionFaults::delay_each_way(20ms));
  const int fd = connect_to(proxy->port());
  constexpr int kLines = 40;
  std::vector<SteadyClock::time_point> sent(kLines);
  std::thread writer([&] {
    for (int i = 0; i < kLines; ++i) {
      sent[i] = SteadyClock::now();
      const std::string line = "line " + std::to_string(100 + i) + "\r\n";
      (void)::send(fd, line.data(), line.size(), MSG_NOSIGNAL);
      std::this_thread::sleep_for(5ms);
    }
  });
  std::string got;
  std::vector<std::chrono::milliseconds> latency;
  while (latency.size() < kLines) {
    const Received r = read_until_end(fd, 3000ms, 1);
    if (r.end != End::kEnough) break;
    got += r.bytes;
    while (latency.size() < kLines && got.size() >= (latency.size() + 1) * 10) {
      latency.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() -
                                                                              sent[latency.size()]));
    }
  }
  writer.join();
  ASSERT_EQ(latency.size(), static_cast<std::size_t>(kLines));
  std::string expected;
  for (int i = 0; i < kLines; ++i) expected += "line " + std::to_string(100 + i) + "\r\n";
  EXPECT_EQ(got, expected);
  for (int i = 0; i < kLines; ++i) {
    EXPECT_GE(latency[i], 40ms) << "line " << i;
    EXPECT_LT(latency[i], 40ms + 250ms) << "line " << i << " waited behind earlier chunks";
  }
  ::close(fd);
}

struct ResetRow {
  std::uint64_t n;
  std::chrono::milliseconds delay;
};

class ResetServerToClient : public ::testing::TestWithParam<ResetRow> {};

TEST_P(ResetServerToClient, ClientGetsExactlyNBytesThenRst) {
  const auto row = GetParam();
  const std::string payload = numbered_bytes(1000);
  ScriptedServer server(Script{}.send(payload).stall());
  ConnectionFaults faults;
  faults.to_client.reset_after = row.n;
  faults.to_client.delay = row.delay;
  auto proxy = start_proxy(server.port(), faults);
  const int fd = connect_to(proxy->port());
  const auto start = SteadyClock::now();
  const Received r = read_until_end(fd, 3000ms);
  EXPECT_EQ(r.end, End::kReset);
  EXPECT_EQ(r.bytes, payload.substr(0, row.n));
  EXPECT_GE(SteadyClock::now() - start, row.delay);
  EXPECT_EQ(proxy->bytes_to_client(), row.n);
  EXPECT_EQ(proxy->counts().resets, 1);
  ::close(fd);
  EXPECT_TRUE(server.wait_finished(3000ms));
}

INSTANTIATE_TEST_SUITE_P(Rows, ResetServerToClient,
                         ::testing::Values(ResetRow{0, 0ms}, ResetRow{1, 0ms}, ResetRow{100, 0ms},
                                           ResetRow{999, 0ms}, ResetRow{1000, 0ms}, ResetRow{100, 20ms}),
                         [](const ::testing::TestParamInfo<ResetRow>& row_info) {
                           return "after" + std::to_string(row_info.param.n) + "_delay" +
                                  std::to_string(row_info.param.delay.count()) + "ms";
                         });

TEST(FaultProxy, ResetClientToServerAtExactlyNBytes) {
  ScriptedServer server(Script{}.stall());
  ConnectionFaults faults;
  faults.to_server.reset_after = 100;
  auto proxy = start_proxy(server.port(), faults);
  const int fd = connect_to(proxy->port());
  const std::string payload = numbered_bytes(1000);
  send_all(fd, payload);
  ASSERT_TRUE(server.wait_finished(3000ms));
  EXPECT_EQ(server.received(), payload.substr(0, 100));
  EXPECT_EQ(proxy->bytes_to_server(), 100u);
  const Received r = read_until_end(fd, 3000ms);
  EXPECT_EQ(r.end, End::kReset);
  EXPECT_EQ(proxy->counts().resets, 1);
  ::close(fd);
}

TEST(FaultProxy, StallIsSeenAsAClientTimeoutOnAnOpenConnection) {
  ScriptedServer server(Script{}.send("* OK hello, this greeting is longer than ten bytes\r\n").stall());
  ConnectionFaults faults;
  faults.to_client.stall_after = 10;
  auto proxy = start_proxy(server.port(), faults);
  net::ConnectOptions o;
  o.endpoint = proxy->endpoint();
  o.operation_timeout = 300ms;
  auto transport = net::connect(o, Deadline::after(5s));
  ASSERT_TRUE(transport) << transport.error().to_string();
  std::string got;
  char buffer[256];
  const auto start = SteadyClock::now();
  Result<std::size_t> n = 0;
  while ((n = (*transport)->read_some(buffer, Deadline::after(300ms), "greeting")) && *n > 0) got.append(buffer, *n);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code(), ErrorCode::kTimeout) << n.error().to_string();
  EXPECT_GE(SteadyClock::now() - start, 300ms);
  EXPECT_EQ(got, "* OK hello");
  EXPECT_EQ(proxy->counts().stalls, 1);
}

TEST(FaultProxy, StallKeepsTheSocketOpenAndTheOtherDirectionFlowing) {
  ScriptedServer server(Script{}.send("* OK hello, this greeting is longer than ten bytes\r\n").stall());
  ConnectionFaults faults;
  faults.to_client.stall_after = 10;
  auto proxy = start_proxy(server.port(), faults);
  const int fd = connect_to(proxy->port());
  const Received r = read_until_end(fd, 300ms);
  EXPECT_EQ(r.end, End::kTimeout);
  EXPECT_EQ(r.bytes, "* OK hello");
  send_all(fd, "a1 NOOP\r\n");
  EXPECT_EQ(read_until_end(fd, 300ms).end, End::kTimeout);  // still no EOF, no RST, no byte
  ::close(fd);
  ASSERT_TRUE(server.wait_finished(3000ms));
  EXPECT_EQ(server.received(), "a1 NOOP\r\n");
}

TEST(FaultProxy, CloseAfterNBytesIsAnOrderlyEof) {
  const std::string payload = numbered_bytes(100);
  ScriptedServer server(Script{}.send(payload).stall());
  ConnectionFaults faults;
  faults.to_client.close_after = 50;
  auto proxy = start_proxy(server.port(), faults);
  const int fd = connect_to(proxy->port());
  const Received r = read_until_end(fd, 3000ms);
  EXPECT_EQ(r.end, End::kEof);
  EXPECT_EQ(r.bytes, payload.substr(0, 50));
  EXPECT_EQ(proxy->counts().closes, 1);
  ::close(fd);
  EXPECT_TRUE(server.wait_finished(3000ms));
}

TEST(FaultProxy, InjectedBytesAppearAtTheirOffsetEachWay) {
  ScriptedServer server(Script{}.send("* OK hello\r\n").expect_line().stall());
  ConnectionFaults faults;
  faults.to_client.inject_after = 5;
  faults.to_client.inject = "* BYE injected\r\n";
  faults.to_server.inject_after = 0;
  faults.to_server.inject = "X ";
  auto proxy = start_proxy(server.port(), faults);
  const int fd = connect_to(proxy->port());
  const Received r = read_until_end(fd, 2000ms, 28);
  EXPECT_EQ(r.bytes, "* OK * BYE injected\r\nhello\r\n");
  send_all(fd, "a1 LOGOUT\r\n");
  ::close(fd);
  ASSERT_TRUE(server.wait_finished(3000ms));
  EXPECT_EQ(server.lines(), std::vector<std::string>{"X a1 LOGOUT"});
  EXPECT_EQ(proxy->counts().injections, 2);
  EXPECT_EQ(proxy->bytes_to_client(), 28u);
}

TEST(FaultProxy, PlanChoosesFaultsPerConnection) {
  ScriptedServer server(Script{}.send("* OK ready\r\n").on_line([](const std::string& l) { return l + "\r\n"; }), 2);
  FaultProxyOptions o;
  o.target_port = server.port();
  o.plan = [](int index) {
    ConnectionFaults f;
    if (index == 0) f.to_client.reset_after = 0;
    return f;
  };
  auto proxy = FaultProxy::start(std::move(o));
  ASSERT_TRUE(proxy);
  const int first = connect_to((*proxy)->port());
  EXPECT_EQ(read_until_end(first, 2000ms).end, End::kReset);
  ::close(first);
  const int second = connect_to((*proxy)->port());
  EXPECT_EQ(read_until_end(second, 2000ms, 12).bytes, "* OK ready\r\n");
  ::close(second);
  EXPECT_TRUE(server.wait_finished(3000ms));
  EXPECT_EQ((*proxy)->counts().accepted, 2);
  EXPECT_EQ((*proxy)->counts().resets, 1);
}

TEST(FaultProxy, LargeTransferWithDelayArrivesWholeAndInOrder) {
  const std::string payload = numbered_bytes(24u << 20);  // above max_buffered: exercises backpressure
  ScriptedServer server(Script{}.send(payload).close());
  auto proxy = start_proxy(server.port(), ConnectionFaults::delay_each_way(5ms));
  const int fd = connect_to(proxy->port());
  const Received r = read_until_end(fd, 5000ms);
  EXPECT_EQ(r.end, End::kEof);
  EXPECT_TRUE(r.bytes == payload) << "got " << r.bytes.size() << " bytes";
  EXPECT_EQ(proxy->bytes_to_client(), payload.size());
  ::close(fd);
}

TEST(FaultProxy, DestructorIsBoundedWithStalledConnections) {
  ScriptedServer server(Script{}.stall(), 3);
  ConnectionFaults faults;
  faults.to_server.stall_after = 0;
  faults.to_client.stall_after = 0;
  auto proxy = start_proxy(server.port(), faults);
  std::vector<int> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(connect_to(proxy->port()));
    send_all(clients.back(), "data that never arrives\r\n");
  }
  ASSERT_TRUE(proxy->wait_accepted(3));
  EXPECT_EQ(read_until_end(clients[0], 200ms).end, End::kTimeout);
  const auto start = SteadyClock::now();
  proxy.reset();
  EXPECT_LT(SteadyClock::now() - start, 2s);
  for (int fd : clients) {  // closed: EOF, or RST because the proxy never read what the client sent
    EXPECT_NE(read_until_end(fd, 2000ms).end, End::kTimeout);
    ::close(fd);
  }
  EXPECT_EQ(server.received(), "");
}

}  // namespace
}  // namespace emailv2::testing
