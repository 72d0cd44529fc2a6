// Kept apart from session.cpp so that code using Session::start() alone (unit tests on an in-memory transport) does
// not link the real network transport.
#include <algorithm>

#include "core/limits.h"
#include "smtp/session.h"

namespace emailv2::smtp {

Result<Session> Session::connect(const SessionOptions& options, Deadline deadline) {
  net::ConnectOptions connect = options.connect_options(options.tls_mode == TlsMode::kImplicit, "smtp");
  // The reply to the final dot may take up to max(operation timeout, 300 s); shorter steps are bounded by the
  // deadlines the session passes.
  connect.operation_timeout =
      std::max<std::chrono::milliseconds>(options.operation_timeout, limits::kSmtpFinalDotMinWait);
  auto transport = net::connect(connect, deadline);
  if (!transport) return tl::unexpected(transport.error());
  return start(std::move(*transport), options, deadline);
}

}  // namespace emailv2::smtp
