#include "smtp/session.h"

#include <algorithm>

#include "core/log.h"
#include "core/text.h"
#include "smtp/session_state.h"

namespace emailv2::smtp {
namespace {

constexpr std::string_view kLog = "smtp";
constexpr std::chrono::seconds kQuitOnDestroy{5};

bool is_safe_ehlo_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 255) return false;
  return std::all_of(domain.begin(), domain.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7F && c != '<' && c != '>';
  });
}

Error connect_failed(const std::string& endpoint, std::string_view what, const Reply& reply) {
  return Error(ErrorCode::kConnectFailed,
               "Cannot connect to " + endpoint + ": " + std::string(what) + " " + reply.summary());
}

}  // namespace

Session::Session(std::unique_ptr<State> state) : state_(std::move(state)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&& other) noexcept {
  if (this != &other) {
    if (state_ && state_->open) state_->quit(Deadline::after(kQuitOnDestroy));
    state_ = std::move(other.state_);
  }
  return *this;
}
Session::~Session() {
  if (state_ && state_->open) state_->quit(Deadline::after(kQuitOnDestroy));
}

const Extensions& Session::extensions() const {
  return state_->extensions;
}
bool Session::is_tls() const {
  return state_->transport && state_->transport->is_tls();
}
bool Session::is_open() const {
  return state_ && state_->open;
}
const std::string& Session::auth_mechanism() const {
  return state_->auth_mechanism;
}

Status Session::noop(Deadline deadline) {
  return state_->noop(deadline);
}

Result<SendReceipt> Session::send(const Envelope& envelope, std::string_view message, Deadline deadline) {
  StringMessageSource source(message);
  return state_->send(envelope, source, deadline);
}

Result<SendReceipt> Session::send(const Envelope& envelope, MessageSource& message, Deadline deadline) {
  return state_->send(envelope, message, deadline);
}

void Session::quit(Deadline deadline) {
  if (state_) state_->quit(deadline);
}

Result<Session> Session::start(std::unique_ptr<net::Transport> transport, const SessionOptions& options,
                               Deadline deadline) {
  if (!is_safe_ehlo_domain(options.ehlo_domain)) {
    return fail(ErrorCode::kParamInvalid, "Invalid EHLO domain \"" + text::echo_value(options.ehlo_domain) +
                                              "\": it must be the ASCII domain of the Sender's Address");
  }
  auto state = std::make_unique<State>();
  state->transport = std::move(transport);
  state->endpoint = state->transport->endpoint().to_string();
  state->operation_timeout = options.operation_timeout;
  state->max_message_bytes = options.max_message_bytes;
  if (options.tls_mode == TlsMode::kImplicit && !state->transport->is_tls()) {
    state->close();
    return fail(ErrorCode::kTlsRequired, state->endpoint + " was opened without TLS although implicit TLS is set");
  }
  EMAILV2_TRY(state->greet(deadline));
  EMAILV2_TRY(state->hello(options.ehlo_domain, deadline));
  if (options.tls_mode == TlsMode::kStartTlsRequired && !state->transport->is_tls()) {
    EMAILV2_TRY(state->start_tls(options.ehlo_domain, deadline));
  } else if (options.tls_mode == TlsMode::kOff && !state->transport->is_tls()) {
    log::warn(kLog, "STARTTLS is off: the SMTP session with {} is not encrypted", state->endpoint);
  }
  if (options.use_auth) EMAILV2_TRY(state->authenticate(options, deadline));
  return Session(std::move(state));
}

Status Session::State::greet(Deadline caller) {
  auto reply = read_reply("greeting", caller);
  if (!reply) return tl::unexpected(reply.error());
  if (reply->code != 220) return fail_closed(connect_failed(endpoint, "server greeting was", *reply));
  return ok();
}

// EHLO, and HELO only when the server answers EHLO with a 5xx (then no extension is available).
Status Session::State::hello(std::string_view domain, Deadline caller) {
  auto reply = command("EHLO " + std::string(domain), "EHLO", caller);
  if (!reply) return tl::unexpected(reply.error());
  if (reply->code == 250) {
    extensions = Extensions::from_ehlo(*reply);
    return ok();
  }
  if (!reply->is_permanent_failure()) return fail_closed(connect_failed(endpoint, "server rejected EHLO:", *reply));
  auto helo = command("HELO " + std::string(domain), "HELO", caller);
  if (!helo) return tl::unexpected(helo.error());
  if (helo->code != 250) return fail_closed(connect_failed(endpoint, "server rejected HELO:", *helo));
  extensions = Extensions{};
  return ok();
}

Status Session::State::start_tls(std::string_view domain, Deadline caller) {
  const std::string refused = endpoint + " does not offer STARTTLS; refusing to send credentials in clear text";
  if (!extensions.starttls()) return fail_closed(Error(ErrorCode::kTlsRequired, refused));
  auto reply = command("STARTTLS", "STARTTLS", caller);
  if (!reply) return tl::unexpected(reply.error());
  if (reply->code != 220) return fail_closed(Error(ErrorCode::kTlsRequired, refused + " (" + reply->summary() + ")"));
  if (!inbox.empty()) {
    return fail_closed(Error(ErrorCode::kTlsRequired, endpoint + " sent data after its STARTTLS reply, before the TLS "
                                                                 "handshake (possible injection); nothing was sent"));
  }
  auto upgraded = transport->start_tls(step(caller, operation_timeout));
  if (!upgraded) return fail_closed(upgraded.error());
  extensions = Extensions{};
  return hello(domain, caller);
}

}  // namespace emailv2::smtp
