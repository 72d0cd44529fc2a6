#include "net/resolve.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cstring>
#include <memory>

namespace emailv2::net {
namespace {

// A getaddrinfo_a request on the heap: when a timed-out lookup cannot be cancelled (it is running in the resolver
// thread), the request must outlive this call, so it is deliberately leaked then (rare: a hung resolver).
struct Lookup {
  std::string host;
  std::string service;
  addrinfo hints{};
  gaicb request{};
};

Error dns_error(const Endpoint& endpoint) {
  return Error(ErrorCode::kDnsFailed, "Cannot resolve host " + endpoint.host);
}

std::vector<SocketAddress> collect(const addrinfo* list) {
  std::vector<SocketAddress> out;
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
    SocketAddress a;
    std::memcpy(&a.storage, ai->ai_addr, ai->ai_addrlen);
    a.length = ai->ai_addrlen;
    out.push_back(a);
  }
  return out;
}

}  // namespace

std::string SocketAddress::ip_text() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, buf, sizeof buf);
  } else if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

std::string SocketAddress::ip_bytes() const {
  if (family() == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr;
    return std::string(reinterpret_cast<const char*>(&a), 4);
  }
  const auto& a6 = reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr;
  return std::string(reinterpret_cast<const char*>(&a6), 16);
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

Result<std::vector<SocketAddress>> resolve(const Endpoint& endpoint, const WaitLimit& limit) {
  if (endpoint.host.empty() || endpoint.host.find('\0') != std::string::npos) return fail(dns_error(endpoint));
  auto lookup = std::make_unique<Lookup>();
  lookup->host = endpoint.host;
  lookup->service = std::to_string(endpoint.port);
  lookup->hints.ai_family = AF_UNSPEC;
  lookup->hints.ai_socktype = SOCK_STREAM;
  lookup->hints.ai_flags = AI_NUMERICSERV;
  lookup->request.ar_name = lookup->host.c_str();
  lookup->request.ar_service = lookup->service.c_str();
  lookup->request.ar_request = &lookup->hints;
  gaicb* requests[1] = {&lookup->request};
  if (getaddrinfo_a(GAI_NOWAIT, requests, 1, nullptr) != 0) return fail(dns_error(endpoint));

  while (gai_error(&lookup->request) == EAI_INPROGRESS) {
    if (limit.until.expired()) {
      const int cancelled = gai_cancel(&lookup->request);
      if (cancelled == EAI_NOTCANCELED) (void)lookup.release();
      if (cancelled == EAI_ALLDONE && lookup->request.ar_result != nullptr) freeaddrinfo(lookup->request.ar_result);
      return fail(timeout_error(limit, "DNS resolution", endpoint));
    }
    const auto left = std::min<long long>(limit.until.remaining().count(), 1000);
    timespec ts{static_cast<time_t>(left / 1000), static_cast<long>((left % 1000) * 1'000'000)};
    const gaicb* const waiting[1] = {&lookup->request};
    gai_suspend(waiting, 1, &ts);
  }
  if (gai_error(&lookup->request) != 0) return fail(dns_error(endpoint));
  addrinfo* result = lookup->request.ar_result;
  std::vector<SocketAddress> out = collect(result);
  freeaddrinfo(result);
  if (out.empty()) return fail(dns_error(endpoint));
  return out;
}

}  // namespace emailv2::net
