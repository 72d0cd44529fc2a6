#pragma once
// A bounded wait and the wording of its expiry. Every blocking step of net/ waits on the earlier of its own limit
// (connect_timeout or operation_timeout) and the caller's deadline; when it expires, the TIMEOUT text names the
// length of the limit that was binding, in whole seconds rounded up (CONTRACT §6.1).

#include <chrono>
#include <string>
#include <string_view>

#include "core/deadline.h"
#include "core/result.h"
#include "net/transport.h"

namespace emailv2::net {

struct WaitLimit {
  Deadline until;
  std::chrono::milliseconds length{0};  // what "Timed out after <n> s" reports

  // The earlier of `step_limit` from now and `caller`.
  static WaitLimit make(std::chrono::milliseconds step_limit, Deadline caller);
  long whole_seconds() const;
  // poll(2) timeout for the time left: at most `slice_ms`, never negative.
  int poll_ms(int slice_ms = 1000) const;
};

// TIMEOUT: "Timed out after <n> s waiting for <what> from <h>:<p>".
Error timeout_error(const WaitLimit& limit, std::string_view what, const Endpoint& from);
// CONNECT_FAILED: "Cannot connect to <h>:<p>: <reason>".
Error connect_error(const Endpoint& to, std::string_view reason);
// CONNECT_FAILED: "Cannot connect to <h>:<p>: connection closed by <h>:<p>" (unexpected EOF).
Error closed_error(const Endpoint& peer, std::string_view when = {});
// PROXY_FAILED: "Proxy <h>:<p> failed: <reply>".
Error proxy_error(const Endpoint& proxy, std::string_view reply);
// strerror(3) of an errno value, thread-safe.
std::string errno_text(int err);

}  // namespace emailv2::net
