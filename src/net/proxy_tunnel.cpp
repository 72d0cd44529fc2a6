#include "net/proxy_tunnel.h"

#include "core/text.h"
#include "net/http_connect.h"
#include "net/resolve.h"
#include "net/socks5.h"

namespace emailv2::net {
namespace {

constexpr std::string_view kProxyWait = "proxy reply";

// Proxy trouble is PROXY_FAILED, whatever the socket layer called it; TIMEOUT stays TIMEOUT.
Error as_proxy_error(const Error& e, const Endpoint& proxy) {
  if (e.code() == ErrorCode::kTimeout || e.code() == ErrorCode::kProxyFailed) return e;
  return proxy_error(proxy, e.detail());
}

Status send_to_proxy(const Socket& socket, std::string_view bytes, const ProxyConfig& proxy, const WaitLimit& limit) {
  auto sent = send_all(socket.fd(), bytes, limit, proxy.endpoint);
  if (!sent) return fail(as_proxy_error(sent.error(), proxy.endpoint));
  return ok();
}

Status http_tunnel(const Socket& socket, const ProxyConfig& proxy, const Endpoint& target, const WaitLimit& limit) {
  EMAILV2_TRY(send_to_proxy(socket, http_connect_request(target, proxy.username, proxy.password), proxy, limit));
  HttpConnectReplyParser parser;
  ParseStatus status = ParseStatus::kNeedMore;
  while (status == ParseStatus::kNeedMore) {
    // One byte at a time: the header is short and the byte after its blank line belongs to the tunnel.
    char c = 0;
    auto n = recv_some(socket.fd(), std::span<char>(&c, 1), limit, kProxyWait, proxy.endpoint);
    if (!n) return fail(as_proxy_error(n.error(), proxy.endpoint));
    if (*n == 0) return fail(proxy_error(proxy.endpoint, "connection closed before the end of the reply"));
    std::size_t consumed = 0;
    status = parser.feed(std::string_view(&c, 1), consumed);
  }
  if (status == ParseStatus::kError) return fail(proxy_error(proxy.endpoint, parser.error()));
  if (!parser.success()) return fail(proxy_error(proxy.endpoint, parser.status_line()));
  return ok();
}

// Reads one SOCKS5 reply exactly, growing the read to the length the parser asks for.
Result<socks5::Reply> read_reply(const Socket& socket, socks5::Reply (*parse)(std::string_view),
                                 const ProxyConfig& proxy, const WaitLimit& limit) {
  std::string bytes;
  socks5::Reply reply = parse(bytes);
  while (reply.status == ParseStatus::kNeedMore) {
    const std::size_t have = bytes.size();
    bytes.resize(reply.needed);
    auto got = recv_exact(socket.fd(), std::span<char>(bytes.data() + have, reply.needed - have), limit, kProxyWait,
                          proxy.endpoint);
    if (!got) return fail(as_proxy_error(got.error(), proxy.endpoint));
    reply = parse(bytes);
  }
  if (reply.status == ParseStatus::kError) return fail(proxy_error(proxy.endpoint, reply.error));
  return reply;
}

Status socks5_authenticate(const Socket& socket, const ProxyConfig& proxy, const WaitLimit& limit) {
  const bool with_auth = !proxy.username.empty();
  EMAILV2_TRY(send_to_proxy(socket, socks5::greeting(with_auth), proxy, limit));
  auto method = read_reply(socket, socks5::parse_method_reply, proxy, limit);
  if (!method) return fail(method.error());
  if (method->code == socks5::kMethodNone) return ok();
  if (method->code != socks5::kMethodUserPass || !with_auth) {
    return fail(proxy_error(proxy.endpoint, "no acceptable authentication methods"));
  }
  auto request = socks5::auth_request(proxy.username, proxy.password);
  if (!request) return fail(request.error());
  EMAILV2_TRY(send_to_proxy(socket, *request, proxy, limit));
  auto status = read_reply(socket, socks5::parse_auth_reply, proxy, limit);
  if (!status) return fail(status.error());
  if (status->code != 0) return fail(proxy_error(proxy.endpoint, "username/password authentication failed"));
  return ok();
}

Status socks5_tunnel(const Socket& socket, const ProxyConfig& proxy, const Endpoint& target, const WaitLimit& limit) {
  Result<std::string> request = fail(ErrorCode::kInternal, "unset");
  if (proxy.scheme == ProxyScheme::kSocks5h && !is_ip_literal(target.host)) {
    request = socks5::connect_by_name(target.host, target.port);
  } else {
    auto addresses = resolve(target, limit);
    if (!addresses) return fail(addresses.error());
    request = socks5::connect_by_address(addresses->front().ip_bytes(), target.port);
  }
  if (!request) return fail(request.error());
  EMAILV2_TRY(socks5_authenticate(socket, proxy, limit));
  EMAILV2_TRY(send_to_proxy(socket, *request, proxy, limit));
  auto reply = read_reply(socket, socks5::parse_connect_reply, proxy, limit);
  if (!reply) return fail(reply.error());
  if (reply->code != 0) {
    return fail(proxy_error(proxy.endpoint, "SOCKS5 reply " + std::to_string(reply->code) + " (" +
                                                std::string(socks5::reply_text(reply->code)) + ")"));
  }
  return ok();
}

}  // namespace

Status open_tunnel(const Socket& socket, const ProxyConfig& proxy, const Endpoint& target, const WaitLimit& limit) {
  switch (proxy.scheme) {
    case ProxyScheme::kHttpConnect:
      return http_tunnel(socket, proxy, target, limit);
    case ProxyScheme::kSocks5:
    case ProxyScheme::kSocks5h:
      return socks5_tunnel(socket, proxy, target, limit);
    case ProxyScheme::kNone:
      break;
  }
  return ok();
}

}  // namespace emailv2::net
