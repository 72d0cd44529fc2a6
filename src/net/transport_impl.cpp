// net::connect() and the Transport over a TCP socket, optionally tunnelled through a proxy and wrapped in TLS.
#include <memory>

#include "core/log.h"
#include "core/text.h"
#include "net/proxy_tunnel.h"
#include "net/resolve.h"
#include "net/tcp_socket.h"
#include "net/tls_session.h"
#include "net/transport.h"
#include "net/wait_limit.h"

namespace emailv2::net {
namespace {

class SocketTransport final : public Transport {
 public:
  SocketTransport(Socket socket, const ConnectOptions& options)
      : socket_(std::move(socket)), options_(options), component_(options.protocol) {}
  ~SocketTransport() override { close(); }
  SocketTransport(const SocketTransport&) = delete;
  SocketTransport& operator=(const SocketTransport&) = delete;

  Result<std::size_t> read_some(std::span<char> buffer, Deadline deadline, std::string_view waiting_for) override {
    EMAILV2_TRY(check_open());
    if (buffer.empty()) return fail(ErrorCode::kInternal, "read_some with an empty buffer");
    const WaitLimit limit = WaitLimit::make(options_.operation_timeout, deadline);
    auto n = tls_ ? tls_->read(buffer, limit, waiting_for, endpoint())
                  : recv_some(socket_.fd(), buffer, limit, waiting_for, endpoint());
    if (!n) return fail(close_after(n.error()));
    if (*n == 0) log::trace(component_, "{} closed the connection", endpoint().to_string());
    return n;
  }

  Status write_all(std::string_view bytes, Deadline deadline) override {
    EMAILV2_TRY(check_open());
    const WaitLimit limit = WaitLimit::make(options_.operation_timeout, deadline);
    auto sent = tls_ ? tls_->write(bytes, limit, endpoint()) : send_all(socket_.fd(), bytes, limit, endpoint());
    if (!sent) return fail(close_after(sent.error()));
    written_ += bytes.size();
    return ok();
  }

  Result<bool> wait_readable(Deadline until) override {
    EMAILV2_TRY(check_open());
    auto ready = tls_ ? tls_->wait_readable(until, endpoint()) : poll_readable(socket_.fd(), until, endpoint());
    if (!ready) return fail(close_after(ready.error()));
    return ready;
  }

  Status start_tls(Deadline deadline) override {
    EMAILV2_TRY(check_open());
    if (tls_) return fail(ErrorCode::kInternal, "start_tls on a connection that already uses TLS");
    const int pending = pending_input(socket_.fd());
    if (pending > 0) {
      return fail(close_after(Error(ErrorCode::kTlsRequired,
                                    endpoint().to_string() + " sent data before the TLS handshake (possible STARTTLS "
                                                             "injection); refusing to continue")));
    }
    if (pending < 0) return fail(close_after(closed_error(endpoint(), "before the TLS handshake")));
    return handshake(WaitLimit::make(options_.connect_timeout, deadline));
  }

  Status handshake(const WaitLimit& limit) {
    auto session = TlsSession::handshake(socket_.fd(), options_.tls, endpoint(), component_, limit);
    if (!session) return fail(close_after(session.error()));
    tls_ = std::move(*session);
    return ok();
  }

  bool is_tls() const override { return tls_ != nullptr; }
  bool is_open() const override { return socket_.valid(); }

  void close() override {
    if (!socket_.valid()) return;
    if (tls_) tls_->shutdown();
    tls_.reset();
    socket_.close();
    log::trace(component_, "connection to {} closed", endpoint().to_string());
  }

  const Endpoint& endpoint() const override { return options_.endpoint; }
  std::chrono::milliseconds operation_timeout() const override { return options_.operation_timeout; }
  std::uint64_t bytes_written() const override { return written_; }

 private:
  Status check_open() const {
    if (socket_.valid()) return ok();
    return fail(connect_error(endpoint(), "the connection is closed"));
  }

  // A Transport is never reused after an error.
  Error close_after(Error error) {
    close();
    return error;
  }

  Socket socket_;
  ConnectOptions options_;
  std::string component_;
  std::unique_ptr<TlsSession> tls_;
  std::uint64_t written_ = 0;
};

// The socket to the first hop: the proxy when one is configured (its failures are PROXY_FAILED), else the server.
Result<Socket> connect_first_hop(const ConnectOptions& options, const WaitLimit& limit) {
  const bool proxied = options.proxy.scheme != ProxyScheme::kNone;
  const Endpoint& hop = proxied ? options.proxy.endpoint : options.endpoint;
  log::trace(options.protocol, "resolving {}", hop.host);
  auto addresses = resolve(hop, limit);
  if (!addresses) return fail(addresses.error());
  log::trace(options.protocol, "connecting to {} ({}{})", hop.to_string(), addresses->front().ip_text(),
             proxied ? ", proxy" : "");
  auto socket = tcp_connect(*addresses, hop, limit);
  if (!socket && proxied && socket.error().code() == ErrorCode::kConnectFailed) {
    return fail(proxy_error(hop, socket.error().detail()));
  }
  return socket;
}

}  // namespace

Result<std::unique_ptr<Transport>> connect(const ConnectOptions& options, Deadline deadline) {
  if (options.endpoint.host.empty() || options.endpoint.port == 0) {
    return fail(ErrorCode::kConfigInvalid, "server address and port are required to connect");
  }
  // The host goes verbatim into an HTTP CONNECT line or a SOCKS5 request: no byte may break their framing.
  for (const char c : options.endpoint.host) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return fail(ErrorCode::kConfigInvalid, "server address " + text::echo_value(options.endpoint.host) +
                                                 " contains spaces or control characters");
    }
  }
  const WaitLimit limit = WaitLimit::make(options.connect_timeout, deadline);
  if (limit.until.expired()) return fail(timeout_error(limit, "connection", options.endpoint));
  auto socket = connect_first_hop(options, limit);
  if (!socket) return fail(socket.error());
  if (options.proxy.scheme != ProxyScheme::kNone) {
    EMAILV2_TRY(open_tunnel(*socket, options.proxy, options.endpoint, limit));
    log::trace(options.protocol, "proxy {} opened a tunnel to {}", options.proxy.endpoint.to_string(),
               options.endpoint.to_string());
  }
  log::trace(options.protocol, "connected to {}", options.endpoint.to_string());
  auto transport = std::make_unique<SocketTransport>(std::move(*socket), options);
  if (options.implicit_tls) EMAILV2_TRY(transport->handshake(limit));
  return std::unique_ptr<Transport>(std::move(transport));
}

}  // namespace emailv2::net
