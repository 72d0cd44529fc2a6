// The connection flow of CONTRACT §2.1: greeting, CAPABILITY, STARTTLS policy, authentication.
#include "core/log.h"
#include "core/text.h"
#include "imap/commands/authenticate.h"
#include "imap/commands/capability.h"
#include "imap/session.h"

namespace emailv2::imap {
namespace {

constexpr std::string_view kLog = "imap";

Error no_starttls(const net::Endpoint& endpoint) {
  return Error(ErrorCode::kTlsRequired,
               endpoint.to_string() + " does not offer STARTTLS; refusing to send credentials in clear text");
}

}  // namespace

Result<std::unique_ptr<Session>> Session::connect(const SessionOptions& options, Deadline deadline) {
  auto transport = net::connect(options.connect_options(options.tls_mode == TlsMode::kImplicit, "imap"), deadline);
  if (!transport) return fail(transport.error());
  return open(std::move(*transport), options, deadline);
}

Result<std::unique_ptr<Session>> Session::open(std::unique_ptr<net::Transport> transport,
                                               const SessionOptions& options, Deadline deadline) {
  std::unique_ptr<Session> session(new Session(std::move(transport), options));
  if (auto st = session->connect_flow(deadline); !st) {
    session->fail_session(st.error());
    return fail(st.error());
  }
  return session;
}

Status Session::connect_flow(Deadline deadline) {
  const net::Endpoint& ep = transport_->endpoint();
  auto greeting = read_response(deadline, "greeting");
  if (!greeting) {
    if (greeting.error().code() == ErrorCode::kImapBye) {
      return fail(ErrorCode::kConnectFailed, "Cannot connect to " + ep.to_string() + ": connection closed before the greeting");
    }
    return fail(greeting.error());
  }
  if (greeting->kind != wire::ResponseKind::kStatus || !greeting->status.tag.empty() ||
      (greeting->status.condition != wire::Condition::kOk && greeting->status.condition != wire::Condition::kPreauth &&
       greeting->status.condition != wire::Condition::kBye)) {
    return fail(ErrorCode::kProtocolError, "IMAP server at " + ep.to_string() + " sent no valid greeting");
  }
  const wire::StatusResponse& g = greeting->status;
  if (g.condition == wire::Condition::kBye) {
    return fail(ErrorCode::kConnectFailed, "Cannot connect to " + ep.to_string() + ": " + text::server_text(g.text));
  }
  const bool preauth = g.condition == wire::Condition::kPreauth;
  if (preauth && !transport_->is_tls() && options_.tls_mode == TlsMode::kStartTlsRequired) {
    return fail(ErrorCode::kTlsRequired, ep.to_string() +
                                             " greeted with PREAUTH on a plaintext connection; STARTTLS is required");
  }
  if (g.code && g.code->name == "CAPABILITY") {
    capabilities_ = Capabilities(g.code->items);
  } else {
    EMAILV2_TRY(commands::refresh_capabilities(*this, deadline));
  }

  if (!transport_->is_tls() && options_.tls_mode == TlsMode::kStartTlsRequired) {
    if (!capabilities_.has("STARTTLS")) return fail(no_starttls(ep));
    auto command = wire::CommandBuilder("STARTTLS").build();
    auto done = run(*command, {}, deadline);
    if (!done) {
      const ErrorCode code = done.error().code();
      if (code == ErrorCode::kImapNo || code == ErrorCode::kImapBad) return fail(no_starttls(ep));
      return fail(done.error());
    }
    if (has_buffered_input()) {
      return fail(ErrorCode::kTlsRequired, ep.to_string() +
                                               " sent data after accepting STARTTLS (possible injection); refusing "
                                               "to continue");
    }
    EMAILV2_TRY(transport_->start_tls(deadline));
    capabilities_ = Capabilities();
    EMAILV2_TRY(commands::refresh_capabilities(*this, deadline));
  } else if (!transport_->is_tls()) {
    log::warn(kLog, "IMAP to {} without TLS (STARTTLS off): credentials and mail travel in clear text",
              ep.to_string());
  }
  if (preauth) return ok();
  return commands::authenticate(*this, deadline);
}

}  // namespace emailv2::imap
