#pragma once
// Sets up a proxy tunnel on a socket already connected to the proxy: HTTP CONNECT or SOCKS5/SOCKS5h. On success the
// socket carries the target's byte stream, with no reply byte left unread and no tunnel byte consumed.

#include "core/result.h"
#include "net/tcp_socket.h"
#include "net/transport.h"
#include "net/wait_limit.h"

namespace emailv2::net {

// Errors: PROXY_FAILED "Proxy <h>:<p> failed: <reply>" (a non-2xx status line, a SOCKS5 method/auth/REP failure
// with RFC 1928/1929 text, a malformed reply, the proxy closing); DNS_FAILED for socks5 (local resolution of the
// target); TIMEOUT "... waiting for proxy reply from <proxy h>:<p>"; CONFIG_INVALID (over-long SOCKS5 fields).
Status open_tunnel(const Socket& socket, const ProxyConfig& proxy, const Endpoint& target, const WaitLimit& limit);

}  // namespace emailv2::net
