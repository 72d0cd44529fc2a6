#pragma once
// A TCP socket: non-blocking, close-on-exec, TCP_NODELAY, connected with a deadline. Plain reads and writes poll
// against a WaitLimit; writes use MSG_NOSIGNAL, so a peer that went away never raises SIGPIPE.

#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "net/resolve.h"
#include "net/wait_limit.h"

namespace emailv2::net {

// What a write waits for, in TIMEOUT texts.
inline constexpr std::string_view kWriteWait = "acknowledgement of sent data";

class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() { close(); }
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void close() noexcept;

 private:
  int fd_ = -1;
};

// Connects to each address in turn until one accepts, all within `limit`. `peer` names the endpoint in errors.
// Errors: CONNECT_FAILED "Cannot connect to <h>:<p>: <reason of the last attempt>"; TIMEOUT "... waiting for
// connection from <h>:<p>".
Result<Socket> tcp_connect(const std::vector<SocketAddress>& addresses, const Endpoint& peer, const WaitLimit& limit);

// Waits until `fd` is ready for `events` (POLLIN/POLLOUT). Errors: TIMEOUT naming `what` and `peer`.
Status wait_ready(int fd, short events, const WaitLimit& limit, std::string_view what, const Endpoint& peer);

// Reads 1..buffer.size() bytes; 0 on orderly EOF. Errors: TIMEOUT, CONNECT_FAILED (reset).
Result<std::size_t> recv_some(int fd, std::span<char> buffer, const WaitLimit& limit, std::string_view what,
                              const Endpoint& peer);
// Reads exactly buffer.size() bytes; EOF before that is CONNECT_FAILED "connection closed by <h>:<p> <when>".
Status recv_exact(int fd, std::span<char> buffer, const WaitLimit& limit, std::string_view what,
                  const Endpoint& peer);
// Writes every byte. Errors: TIMEOUT, CONNECT_FAILED ("connection closed by <h>:<p>" on EPIPE/ECONNRESET).
Status send_all(int fd, std::string_view bytes, const WaitLimit& limit, const Endpoint& peer);

// Waits until `fd` is readable (data, EOF, error or hang-up pending): true, or false when `until` passes first
// (checked once more with a zero wait when it is already past). Errors: CONNECT_FAILED (poll failure).
Result<bool> poll_readable(int fd, Deadline until, const Endpoint& peer);

// 1 when the peer has sent bytes nobody has read yet, 0 when none, -1 when the peer closed (EOF pending).
int pending_input(int fd);

}  // namespace emailv2::net
