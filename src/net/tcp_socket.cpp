#include "net/tcp_socket.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace emailv2::net {

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

void Socket::close() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Status wait_ready(int fd, short events, const WaitLimit& limit, std::string_view what, const Endpoint& peer) {
  for (;;) {
    if (limit.until.expired()) return fail(timeout_error(limit, what, peer));
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, limit.poll_ms());
    if (rc > 0) return ok();  // POLLERR/POLLHUP too: the next call reports the condition
    if (rc < 0 && errno != EINTR) return fail(connect_error(peer, "poll failed: " + errno_text(errno)));
  }
}

namespace {

// One non-blocking connect attempt; on failure returns the reason text.
Result<Socket> connect_one(const SocketAddress& address, const Endpoint& peer, const WaitLimit& limit) {
  Socket socket(::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket.valid()) return fail(connect_error(peer, "socket failed: " + errno_text(errno)));
  const int one = 1;
  ::setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address.storage), address.length) == 0) {
    return socket;
  }
  if (errno != EINPROGRESS) return fail(connect_error(peer, errno_text(errno)));
  EMAILV2_TRY(wait_ready(socket.fd(), POLLOUT, limit, "connection", peer));
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) return fail(connect_error(peer, errno_text(err)));
  return socket;
}

}  // namespace

Result<Socket> tcp_connect(const std::vector<SocketAddress>& addresses, const Endpoint& peer, const WaitLimit& limit) {
  Error last = connect_error(peer, "no address to connect to");
  for (const auto& address : addresses) {
    auto socket = connect_one(address, peer, limit);
    if (socket) return socket;
    last = socket.error();
    if (last.code() == ErrorCode::kTimeout) break;
  }
  return fail(last);
}

Result<std::size_t> recv_some(int fd, std::span<char> buffer, const WaitLimit& limit, std::string_view what,
                              const Endpoint& peer) {
  for (;;) {
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      if (errno == ECONNRESET) return fail(connect_error(peer, "connection reset by " + peer.to_string()));
      return fail(connect_error(peer, errno_text(errno)));
    }
    EMAILV2_TRY(wait_ready(fd, POLLIN, limit, what, peer));
  }
}

Status recv_exact(int fd, std::span<char> buffer, const WaitLimit& limit, std::string_view what,
                  const Endpoint& peer) {
  std::size_t done = 0;
  while (done < buffer.size()) {
    auto n = recv_some(fd, buffer.subspan(done), limit, what, peer);
    if (!n) return fail(n.error());
    if (*n == 0) return fail(closed_error(peer, "while waiting for " + std::string(what)));
    done += *n;
  }
  return ok();
}

Status send_all(int fd, std::string_view bytes, const WaitLimit& limit, const Endpoint& peer) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n >= 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EPIPE || errno == ECONNRESET) return fail(closed_error(peer));
    if (errno != EAGAIN && errno != EWOULDBLOCK) return fail(connect_error(peer, errno_text(errno)));
    EMAILV2_TRY(wait_ready(fd, POLLOUT, limit, kWriteWait, peer));
  }
  return ok();
}

Result<bool> poll_readable(int fd, Deadline until, const Endpoint& peer) {
  constexpr long long kSliceMs = 1000;  // re-checks the clock at least this often
  for (;;) {
    const long long left = until.is_never() ? kSliceMs : until.remaining().count();
    pollfd p{fd, POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(std::min(left, kSliceMs)));
    if (rc > 0) return true;
    if (rc < 0 && errno != EINTR) return fail(connect_error(peer, "poll failed: " + errno_text(errno)));
    if (until.expired()) return false;
  }
}

int pending_input(int fd) {
  char c = 0;
  const ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return 1;
  if (n == 0) return -1;
  return 0;
}

}  // namespace emailv2::net
