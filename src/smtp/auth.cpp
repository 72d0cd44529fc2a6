#include "core/redactor.h"
#include "core/text.h"
#include "smtp/sasl.h"
#include "smtp/session_state.h"

namespace emailv2::smtp {
namespace {

Error rejected(const Reply& reply) {
  return Error(ErrorCode::kAuthFailed, "SMTP server rejected AUTH: " + reply.summary());
}

}  // namespace

// One dispatch over the three mechanisms; each is a short exchange of 334 challenges ending in 235.
Status Session::State::authenticate(const SessionOptions& options, Deadline caller) {
  const bool xoauth2 = options.auth_method == AuthMethod::kXoauth2;
  auto mechanism = choose_auth_mechanism(extensions, xoauth2, endpoint);
  if (!mechanism) return fail_closed(mechanism.error());
  Result<Reply> reply = tl::unexpected(closed_error());
  if (*mechanism == "XOAUTH2" || *mechanism == "PLAIN") {
    const std::string payload = xoauth2 ? xoauth2_payload(options.username, options.oauth2_token.reveal())
                                        : plain_payload(options.username, options.password.reveal());
    redactor::add_encoded(payload);
    const std::string shown = "AUTH " + *mechanism + " <redacted>";
    reply = command("AUTH " + *mechanism + " " + payload, "AUTH", caller, shown);
    if (reply && reply->code == 334 && !xoauth2) {
      reply = command(payload, "AUTH", caller, "<redacted>");  // a server that ignores the initial response
    } else if (reply && reply->code == 334) {
      reply = command("", "AUTH", caller);  // XOAUTH2 error challenge: an empty line gets the final reply
    }
  } else {
    const std::string user = text::base64_encode(options.username);
    const std::string pass = text::base64_encode(options.password.reveal());
    redactor::add_encoded(pass);
    reply = command("AUTH LOGIN", "AUTH", caller);
    if (reply && reply->code == 334) reply = command(user, "AUTH", caller, "<redacted>");
    if (reply && reply->code == 334) reply = command(pass, "AUTH", caller, "<redacted>");
  }
  if (!reply) return tl::unexpected(reply.error());
  if (reply->code != 235) return fail_closed(rejected(*reply));
  auth_mechanism = *mechanism;
  return ok();
}

}  // namespace emailv2::smtp
