#include "imap/commands/authenticate.h"

#include "core/log.h"
#include "core/redactor.h"
#include "core/text.h"
#include "imap/commands/capability.h"
#include "imap/session.h"

namespace emailv2::imap::commands {
namespace {

Error rejected(std::string_view what, const Error& error) {
  // IMAP_NO / IMAP_BAD text is "IMAP server replied NO to X: <text>": keep only the server text.
  const std::string& detail = error.detail();
  const auto colon = detail.find(": ");
  const std::string server = colon == std::string::npos ? detail : detail.substr(colon + 2);
  return Error(ErrorCode::kAuthFailed, "IMAP server rejected " + std::string(what) + ": " + server);
}

Status after_login(Session& session, const wire::StatusResponse& ok_status, Deadline deadline) {
  if (ok_status.code && ok_status.code->name == "CAPABILITY") {
    session.set_capabilities(ok_status.code->items);
    return ok();
  }
  return refresh_capabilities(session, deadline);
}

Status sasl(Session& session, std::string_view mechanism, const std::string& payload, Deadline deadline) {
  redactor::add_encoded(payload);
  const bool initial_response = session.capabilities().has("SASL-IR");
  wire::CommandBuilder builder("AUTHENTICATE");
  builder.raw(mechanism);
  if (initial_response) builder.sensitive_raw(payload);
  auto command = builder.build();
  if (!command) return fail(command.error());
  auto pending = session.send(*command, {}, deadline);
  if (!pending) return fail(pending.error());
  bool sent = initial_response;
  for (;;) {
    auto challenge = session.wait_continuation(*pending, deadline);
    if (!challenge) return fail(challenge.error());
    if (!*challenge) break;  // completed
    // First `+`: send the payload. Any later `+` is an error challenge (XOAUTH2 sends one): answer empty so the
    // server finishes with NO.
    EMAILV2_TRY(session.write_raw(sent ? "\r\n" : payload + "\r\n", sent ? "" : "<redacted>", deadline));
    sent = true;
  }
  auto done = session.complete(*pending, deadline);
  if (!done) {
    const ErrorCode code = done.error().code();
    if (code == ErrorCode::kImapNo || code == ErrorCode::kImapBad) return fail(rejected("AUTHENTICATE", done.error()));
    return fail(done.error());
  }
  return after_login(session, *done, deadline);
}

Status login(Session& session, Deadline deadline) {
  if (session.capabilities().has("LOGINDISABLED")) {
    return fail(ErrorCode::kAuthFailed, "IMAP server disabled LOGIN and offers no usable AUTHENTICATE mechanism");
  }
  wire::CommandBuilder builder("LOGIN", session.capabilities().has("LITERAL+"));
  builder.string(session.options().username).secret(session.options().password.reveal());
  auto command = builder.build();
  if (!command) return fail(command.error());
  auto done = session.run(*command, {}, deadline);
  if (!done) {
    const ErrorCode code = done.error().code();
    if (code == ErrorCode::kImapNo || code == ErrorCode::kImapBad) return fail(rejected("LOGIN", done.error()));
    return fail(done.error());
  }
  return after_login(session, *done, deadline);
}

}  // namespace

std::string sasl_plain(std::string_view user, std::string_view password) {
  return text::base64_encode(std::string(1, '\0') + std::string(user) + std::string(1, '\0') + std::string(password));
}

std::string sasl_xoauth2(std::string_view user, std::string_view token) {
  return text::base64_encode("user=" + std::string(user) + "\x01" + "auth=Bearer " + std::string(token) + "\x01\x01");
}

std::string sasl_oauthbearer(std::string_view user, std::string_view token) {
  std::string escaped;  // RFC 7628 saslname: ',' -> "=2C", '=' -> "=3D"
  for (char c : user) escaped += c == ',' ? "=2C" : c == '=' ? "=3D" : std::string(1, c);
  return text::base64_encode("n,a=" + escaped + ",\x01" + "auth=Bearer " + std::string(token) + "\x01\x01");
}

Status authenticate(Session& session, Deadline deadline) {
  const SessionOptions& o = session.options();
  const Capabilities& caps = session.capabilities();
  if (text::has_line_breaks_or_nul(o.username)) return fail(ErrorCode::kParamInvalid, "username contains CR, LF or NUL");
  if (o.auth_method == AuthMethod::kXoauth2) {
    const std::string& token = o.oauth_token.reveal();
    if (token.empty()) return fail(ErrorCode::kAuthFailed, "no OAuth2 access token configured");
    if (caps.has_auth("OAUTHBEARER") && !caps.has_auth("XOAUTH2")) {
      return sasl(session, "OAUTHBEARER", sasl_oauthbearer(o.username, token), deadline);
    }
    return sasl(session, "XOAUTH2", sasl_xoauth2(o.username, token), deadline);
  }
  if (caps.has_auth("PLAIN")) return sasl(session, "PLAIN", sasl_plain(o.username, o.password.reveal()), deadline);
  return login(session, deadline);
}

}  // namespace emailv2::imap::commands
