#pragma once
// Host name resolution with a deadline (getaddrinfo_a, so a hung resolver cannot outlive the connect timeout).

#include <sys/socket.h>

#include <string>
#include <vector>

#include "core/result.h"
#include "net/transport.h"
#include "net/wait_limit.h"

namespace emailv2::net {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family() const { return storage.ss_family; }
  // "127.0.0.1" / "::1", for logs and SOCKS5 requests.
  std::string ip_text() const;
  // The raw address bytes (4 or 16), for SOCKS5 requests.
  std::string ip_bytes() const;
};

// Resolves endpoint.host (a name or an IP literal) for TCP, in the resolver's order.
// Errors: DNS_FAILED "Cannot resolve host <h>" (no such name, no address, resolver failure);
// TIMEOUT "Timed out after <n> s waiting for DNS resolution from <h>:<p>".
Result<std::vector<SocketAddress>> resolve(const Endpoint& endpoint, const WaitLimit& limit);

// True when `host` is an IPv4 or IPv6 literal (no SNI is sent for those).
bool is_ip_literal(const std::string& host);

}  // namespace emailv2::net
