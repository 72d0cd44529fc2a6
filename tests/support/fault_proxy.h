#pragma once
// A fault-injecting TCP proxy on 127.0.0.1 for fault tests and benchmarks: each accepted client connection is
// forwarded to a target host:port by one background thread, with faults chosen per connection and per direction:
//
//   * delay      — one-way link latency: every chunk read at time t is written at t + delay, in order, while later
//                  chunks keep flowing (a link delay, not a per-read sleep, so throughput is not serialised);
//   * reset      — after exactly N bytes have been delivered in that direction, both sockets are closed with RST
//                  (SO_LINGER 0), once the N bytes have left the proxy (bounded wait for the peer's ACK);
//   * stall      — after N bytes, stop forwarding that direction (nothing more is read from its source and nothing
//                  written); the sockets stay open until a side closes the other direction or the proxy dies;
//   * close      — after N bytes, an orderly close (FIN) of both sockets;
//   * inject     — extra bytes written into the stream after N bytes of the real stream.
//
// Faults fire in stream order: with a delay, a reset after N bytes happens `delay` after the N-th byte was read,
// right after it was written. Thresholds count source bytes (injected bytes do not count); several faults at the
// same N: inject first, then reset/close/stall. A threshold of 0 fires at connect time.
//
//   auto proxy = FaultProxy::start({.target_port = server.port(),
//                                   .faults = ConnectionFaults::delay_each_way(20ms)});
//   ASSERT_TRUE(proxy) << proxy.error().to_string();
//   connect a client to (*proxy)->endpoint() ...
//
// Robustness contract: the proxy never blocks on a peer — sockets are non-blocking and one poll loop serves
// everything; the only bounded waits are the connect to the target (connect_timeout) and the pre-RST drain
// (reset_drain_timeout). The destructor wakes the loop, closes every socket and joins within those bounds.
// A target that refuses the connection makes the proxy close the client (counted in connect_failures).
// Counters are thread-safe and may be read while connections are live.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/result.h"
#include "net/transport.h"

namespace emailv2::testing {

// Faults of one direction of one connection.
struct LinkFaults {
  std::chrono::milliseconds delay{0};
  std::optional<std::uint64_t> reset_after;
  std::optional<std::uint64_t> stall_after;
  std::optional<std::uint64_t> close_after;
  std::optional<std::uint64_t> inject_after;  // where `inject` goes; nothing is injected when unset
  std::string inject;
};

struct ConnectionFaults {
  LinkFaults to_server;  // client -> server
  LinkFaults to_client;  // server -> client

  static ConnectionFaults none() { return {}; }
  static ConnectionFaults delay_each_way(std::chrono::milliseconds delay);
};

struct FaultProxyOptions {
  std::string target_host = "127.0.0.1";  // numeric IPv4 or a name (resolved once, at start)
  std::uint16_t target_port = 0;
  std::string listen_host = "127.0.0.1";  // must be a loopback address
  std::uint16_t listen_port = 0;          // 0 = an ephemeral port; see FaultProxy::port()
  ConnectionFaults faults;                // for every connection unless `plan` is set
  // Faults per connection: called (on the proxy thread) with the 0-based index of each accepted connection.
  std::function<ConnectionFaults(int index)> plan;
  std::size_t max_buffered = 8u << 20;  // per direction; reading pauses while more is queued (backpressure)
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds reset_drain_timeout{500};
};

struct FaultCounts {
  int accepted = 0;
  int connect_failures = 0;
  int resets = 0;
  int stalls = 0;
  int closes = 0;
  int injections = 0;
};

class FaultProxy {
 public:
  // Binds, resolves the target and starts the thread. kConnectFailed/kDnsFailed/kIoError with a detail on failure.
  static Result<std::unique_ptr<FaultProxy>> start(FaultProxyOptions options);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::uint16_t port() const { return port_; }
  net::Endpoint endpoint() const { return {"127.0.0.1", port_}; }

  // Faults for connections accepted after this call (ignored while a plan is set).
  void set_faults(const ConnectionFaults& faults);

  // Bytes written to the servers / to the clients over all connections (injected bytes included).
  std::uint64_t bytes_to_server() const { return bytes_to_server_.load(); }
  std::uint64_t bytes_to_client() const { return bytes_to_client_.load(); }
  FaultCounts counts() const;
  // Waits until `n` connections have been accepted (and their target connect attempted). False on timeout.
  bool wait_accepted(int n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  class Loop;  // the poll loop (fault_proxy.cpp)

 private:
  explicit FaultProxy(FaultProxyOptions options);
  void run();
  friend class Loop;

  FaultProxyOptions options_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: destructor and set_faults wake the loop
  std::uint16_t port_ = 0;
  std::uint32_t target_addr_ = 0;  // network order
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> bytes_to_server_{0};
  std::atomic<std::uint64_t> bytes_to_client_{0};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  FaultCounts counts_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace emailv2::testing
