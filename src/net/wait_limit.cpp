#include "net/wait_limit.h"

#include <cstring>

#include "core/text.h"

namespace emailv2::net {

WaitLimit WaitLimit::make(std::chrono::milliseconds step_limit, Deadline caller) {
  const auto left = caller.remaining();
  if (step_limit <= left) return {Deadline::after(step_limit).earliest(caller), step_limit};
  return {caller, left};
}

long WaitLimit::whole_seconds() const {
  const auto ms = length.count();
  return static_cast<long>((ms + 999) / 1000);
}

int WaitLimit::poll_ms(int slice_ms) const {
  const auto left = until.remaining().count();
  return static_cast<int>(std::min<long long>(std::max<long long>(left, 0), slice_ms));
}

Error timeout_error(const WaitLimit& limit, std::string_view what, const Endpoint& from) {
  return Error(ErrorCode::kTimeout, "Timed out after " + std::to_string(limit.whole_seconds()) + " s waiting for " +
                                        std::string(what) + " from " + from.to_string());
}

Error connect_error(const Endpoint& to, std::string_view reason) {
  return Error(ErrorCode::kConnectFailed, "Cannot connect to " + to.to_string() + ": " + std::string(reason));
}

Error closed_error(const Endpoint& peer, std::string_view when) {
  std::string reason = "connection closed by " + peer.to_string();
  if (!when.empty()) reason += " " + std::string(when);
  return connect_error(peer, reason);
}

Error proxy_error(const Endpoint& proxy, std::string_view reply) {
  return Error(ErrorCode::kProxyFailed, "Proxy " + proxy.to_string() + " failed: " + text::server_text(reply));
}

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns the message pointer (possibly not buf).
  return std::string(strerror_r(err, buf, sizeof buf));
}

}  // namespace emailv2::net
