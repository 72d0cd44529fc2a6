#pragma once
// Authentication (CONTRACT §2.1 "IMAP auth"): AUTHENTICATE XOAUTH2 / OAUTHBEARER / PLAIN (SASL-IR when advertised)
// or LOGIN. Every SASL payload is registered with the log redactor before it is sent; the trace shows
// "<redacted>" for it.

#include "core/deadline.h"
#include "core/result.h"

namespace emailv2::imap {

class Session;

namespace commands {

// Uses session.options() (username, auth_method, password / oauth_token) and session.capabilities().
// On success the capabilities are refreshed (from the OK's [CAPABILITY] code, else a CAPABILITY command).
// Errors: AUTH_FAILED ("IMAP server rejected <LOGIN|AUTHENTICATE>: <text>", or no usable mechanism), IMAP_BYE,
// PROTOCOL_ERROR, TIMEOUT.
Status authenticate(Session& session, Deadline deadline);

// The SASL initial responses (base64), exposed for tests.
std::string sasl_plain(std::string_view user, std::string_view password);
std::string sasl_xoauth2(std::string_view user, std::string_view token);
std::string sasl_oauthbearer(std::string_view user, std::string_view token);

}  // namespace commands
}  // namespace emailv2::imap
