#include "support/fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <list>
#include <vector>

namespace emailv2::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
constexpr std::size_t kReadChunk = 64 * 1024;

enum class Action { kData, kFin, kReset, kPeerReset, kStall, kClose };

struct Chunk {
  TimePoint due;
  Action action = Action::kData;
  std::string bytes;
};

// One direction of one connection: bytes read from `from` wait in `queue` until due, then go to `to`.
struct Link {
  int from = -1;
  int to = -1;
  LinkFaults faults;
  std::deque<Chunk> queue;
  std::size_t head_offset = 0;  // bytes of queue.front() already written
  std::size_t buffered = 0;
  std::uint64_t read_total = 0;  // source bytes accepted (thresholds count these)
  bool injected = false;
  bool reading = true;   // false after EOF, a read error or a fault
  bool finished = false;  // FIN forwarded, or stalled
  bool stalled = false;
  std::atomic<std::uint64_t>* delivered = nullptr;
};

struct Connection {
  int client = -1;
  int server = -1;
  Link up;    // client -> server
  Link down;  // server -> client
  bool dead = false;
};


void set_nodelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void close_with_reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

// Waits (bounded) until the kernel has sent and the peer acknowledged everything written to fd, so that an RST
// right after cannot discard delivered bytes.
void drain(int fd, std::chrono::milliseconds timeout) {
  const TimePoint until = SteadyClock::now() + timeout;
  int unsent = 0;
  while (::ioctl(fd, TIOCOUTQ, &unsent) == 0 && unsent > 0 && SteadyClock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// The next threshold above or at `at` of the faults that are still pending, with the action it triggers.
std::optional<std::pair<std::uint64_t, Action>> next_fault(const Link& link) {
  std::optional<std::pair<std::uint64_t, Action>> best;
  auto consider = [&](const std::optional<std::uint64_t>& n, Action action) {
    if (n && (!best || *n < best->first)) best = std::make_pair(*n, action);
  };
  // Order matters for equal thresholds: inject (kData) wins, then reset, close, stall.
  if (!link.injected) consider(link.faults.inject_after, Action::kData);
  consider(link.faults.reset_after, Action::kReset);
  consider(link.faults.close_after, Action::kClose);
  consider(link.faults.stall_after, Action::kStall);
  return best;
}

}  // namespace

ConnectionFaults ConnectionFaults::delay_each_way(std::chrono::milliseconds delay) {
  ConnectionFaults f;
  f.to_server.delay = delay;
  f.to_client.delay = delay;
  return f;
}

class FaultProxy::Loop {
 public:
  explicit Loop(FaultProxy& proxy) : proxy_(proxy) {}
  ~Loop() {
    for (auto& c : connections_) close_connection(c, false);
  }
  void run();

 private:
  void accept_one();
  int connect_target();
  void take(Link& link, std::string_view data, TimePoint now);
  void read_from(Link& link, TimePoint now);
  void write_due(Connection& c, Link& link, TimePoint now);
  void fire(Connection& c, Link& link, Action action);
  void close_connection(Connection& c, bool reset);
  void count(int FaultCounts::*field);
  std::optional<TimePoint> next_due(TimePoint now) const;

  FaultProxy& proxy_;
  std::list<Connection> connections_;
  int index_ = 0;
};

void FaultProxy::Loop::count(int FaultCounts::*field) {
  std::lock_guard lock(proxy_.mutex_);
  ++(proxy_.counts_.*field);
  proxy_.changed_.notify_all();
}

int FaultProxy::Loop::connect_target() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(proxy_.options_.target_port);
  addr.sin_addr.s_addr = proxy_.target_addr_;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  int error = 0;
  socklen_t len = sizeof error;
  if (::poll(&p, 1, static_cast<int>(proxy_.options_.connect_timeout.count())) != 1 ||
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
    ::close(fd);
    return -1;
  }
  set_nodelay(fd);
  return fd;
}

void FaultProxy::Loop::accept_one() {
  const int client = ::accept4(proxy_.listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (client < 0) return;
  set_nodelay(client);
  ConnectionFaults faults;
  {
    std::lock_guard lock(proxy_.mutex_);
    faults = proxy_.options_.plan ? proxy_.options_.plan(index_) : proxy_.options_.faults;
  }
  ++index_;
  const int server = connect_target();
  if (server < 0) {
    ::close(client);
    count(&FaultCounts::connect_failures);
    count(&FaultCounts::accepted);
    return;
  }
  Connection& c = connections_.emplace_back();
  c.client = client;
  c.server = server;
  c.up.from = client;
  c.up.to = server;
  c.up.faults = std::move(faults.to_server);
  c.up.delivered = &proxy_.bytes_to_server_;
  c.down.from = server;
  c.down.to = client;
  c.down.faults = std::move(faults.to_client);
  c.down.delivered = &proxy_.bytes_to_client_;
  const TimePoint now = SteadyClock::now();
  take(c.up, {}, now);  // thresholds of 0 fire at connect time
  take(c.down, {}, now);
  count(&FaultCounts::accepted);
}

// Queues source bytes, cutting them at fault thresholds; a fault marker stops reading this direction.
void FaultProxy::Loop::take(Link& link, std::string_view data, TimePoint now) {
  const TimePoint due = now + link.faults.delay;
  auto push = [&](Action action, std::string bytes) {
    link.buffered += bytes.size();
    link.queue.push_back(Chunk{due, action, std::move(bytes)});
  };
  for (;;) {
    const auto fault = next_fault(link);
    std::size_t part = data.size();
    if (fault && fault->first >= link.read_total) {
      part = static_cast<std::size_t>(std::min<std::uint64_t>(part, fault->first - link.read_total));
    }
    if (part > 0) {
      push(Action::kData, std::string(data.substr(0, part)));
      link.read_total += part;
      data.remove_prefix(part);
    }
    if (!fault || fault->first != link.read_total) return;
    if (fault->second == Action::kData) {
      link.injected = true;
      push(Action::kData, link.faults.inject);
      count(&FaultCounts::injections);
      continue;
    }
    push(fault->second, {});
    link.reading = false;
    return;
  }
}

void FaultProxy::Loop::read_from(Link& link, TimePoint now) {
  std::array<char, kReadChunk> buffer{};
  const ssize_t n = ::recv(link.from, buffer.data(), buffer.size(), 0);
  if (n > 0) {
    take(link, std::string_view(buffer.data(), static_cast<std::size_t>(n)), now);
  } else if (n == 0) {
    link.reading = false;
    link.queue.push_back(Chunk{now + link.faults.delay, Action::kFin, {}});
  } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
    link.reading = false;  // the source reset: pass the reset on, in order
    link.queue.push_back(Chunk{now + link.faults.delay, Action::kPeerReset, {}});
  }
}

void FaultProxy::Loop::write_due(Connection& c, Link& link, TimePoint now) {
  while (!c.dead && !link.queue.empty() && link.queue.front().due <= now) {
    Chunk& head = link.queue.front();
    if (head.action != Action::kData) {
      const Action action = head.action;
      link.queue.pop_front();
      fire(c, link, action);
      continue;
    }
    while (link.head_offset < head.bytes.size()) {
      const ssize_t n = ::send(link.to, head.bytes.data() + link.head_offset, head.bytes.size() - link.head_offset,
                               MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
      if (n < 0) {
        close_connection(c, true);
        return;
      }
      link.head_offset += static_cast<std::size_t>(n);
      link.buffered -= static_cast<std::size_t>(n);
      link.delivered->fetch_add(static_cast<std::uint64_t>(n));
    }
    link.head_offset = 0;
    link.queue.pop_front();
  }
}

void FaultProxy::Loop::fire(Connection& c, Link& link, Action action) {
  switch (action) {
    case Action::kFin:
      ::shutdown(link.to, SHUT_WR);
      link.finished = true;
      break;
    case Action::kStall:
      link.finished = true;
      link.stalled = true;
      link.queue.clear();
      link.buffered = 0;
      count(&FaultCounts::stalls);
      break;
    case Action::kReset:  // counted first: a test may look as soon as its client sees the RST
      drain(link.to, proxy_.options_.reset_drain_timeout);
      count(&FaultCounts::resets);
      close_connection(c, true);
      break;
    case Action::kPeerReset:
      close_connection(c, true);
      break;
    case Action::kClose:
      count(&FaultCounts::closes);
      close_connection(c, false);
      break;
    case Action::kData:
      break;
  }
}

void FaultProxy::Loop::close_connection(Connection& c, bool reset) {
  if (c.dead) return;
  c.dead = true;
  for (int fd : {c.client, c.server}) {
    if (reset) {
      close_with_reset(fd);
    } else {
      ::close(fd);
    }
  }
}

// The earliest future due time; chunks already due wait for POLLOUT instead (no busy loop on a full socket).
std::optional<TimePoint> FaultProxy::Loop::next_due(TimePoint now) const {
  std::optional<TimePoint> best;
  for (const auto& c : connections_) {
    for (const Link* link : {&c.up, &c.down}) {
      if (link->queue.empty() || link->queue.front().due <= now) continue;
      if (!best || link->queue.front().due < *best) best = link->queue.front().due;
    }
  }
  return best;
}

void FaultProxy::Loop::run() {
  std::vector<pollfd> fds;
  std::vector<std::pair<Connection*, Link*>> owners;  // owners[i] for fds[i + 2]
  while (!proxy_.stop_.load()) {
    fds.assign({pollfd{proxy_.wake_fd_, POLLIN, 0}, pollfd{proxy_.listen_fd_, POLLIN, 0}});
    owners.clear();
    const TimePoint now = SteadyClock::now();
    for (auto& c : connections_) {
      for (Link* link : {&c.up, &c.down}) {
        if (link->reading && link->buffered < proxy_.options_.max_buffered) {
          fds.push_back(pollfd{link->from, POLLIN, 0});
          owners.emplace_back(&c, link);
        }
        if (!link->queue.empty() && link->queue.front().due <= now) {
          fds.push_back(pollfd{link->to, POLLOUT, 0});
          owners.emplace_back(&c, link);
        }
      }
    }
    timespec timeout{1, 0};
    if (const auto due = next_due(now)) {
      const auto wait = *due - now;
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
      timeout = timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    }
    if (::ppoll(fds.data(), fds.size(), &timeout, nullptr) < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) {
      std::uint64_t value = 0;
      (void)!::read(proxy_.wake_fd_, &value, sizeof value);
    }
    if (fds[1].revents & POLLIN) accept_one();
    const TimePoint after = SteadyClock::now();
    for (std::size_t i = 2; i < fds.size(); ++i) {
      auto [c, link] = owners[i - 2];
      if (c->dead || fds[i].revents == 0) continue;
      if (fds[i].events == POLLIN && link->reading) read_from(*link, after);
    }
    for (auto& c : connections_) {
      write_due(c, c.up, after);
      write_due(c, c.down, after);
      if (!c.dead && c.up.finished && c.down.finished && !c.up.stalled && !c.down.stalled) {
        close_connection(c, false);  // both directions ended by FIN: done
      }
    }
    connections_.remove_if([](const Connection& c) { return c.dead; });
  }
}

FaultProxy::FaultProxy(FaultProxyOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<FaultProxy>> FaultProxy::start(FaultProxyOptions options) {
  std::unique_ptr<FaultProxy> proxy(new FaultProxy(std::move(options)));
  const auto& o = proxy->options_;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(o.target_host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    return fail(ErrorCode::kDnsFailed, "Cannot resolve host " + o.target_host);
  }
  proxy->target_addr_ = reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr.s_addr;
  ::freeaddrinfo(found);

  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(o.listen_port);
  if (::inet_pton(AF_INET, o.listen_host.c_str(), &addr.sin_addr) != 1 || (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
    return fail(ErrorCode::kConnectFailed, "listen address must be an IPv4 loopback address: " + o.listen_host);
  }
  proxy->listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int one = 1;
  ::setsockopt(proxy->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  socklen_t len = sizeof addr;
  if (proxy->listen_fd_ < 0 || ::bind(proxy->listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::listen(proxy->listen_fd_, 128) != 0 ||
      ::getsockname(proxy->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return fail(ErrorCode::kIoError, "Cannot listen on " + o.listen_host + ":" + std::to_string(o.listen_port) +
                                         ": " + std::strerror(errno));
  }
  proxy->port_ = ntohs(addr.sin_port);
  proxy->wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (proxy->wake_fd_ < 0) return fail(ErrorCode::kIoError, std::string("eventfd: ") + std::strerror(errno));
  proxy->thread_ = std::thread([p = proxy.get()] { p->run(); });
  return proxy;
}

void FaultProxy::run() {
  Loop loop(*this);
  loop.run();
}

FaultProxy::~FaultProxy() {
  stop_.store(true);
  if (wake_fd_ >= 0) {
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void FaultProxy::set_faults(const ConnectionFaults& faults) {
  std::lock_guard lock(mutex_);
  options_.faults = faults;
}

FaultCounts FaultProxy::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

bool FaultProxy::wait_accepted(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return counts_.accepted >= n; });
}

}  // namespace emailv2::testing
