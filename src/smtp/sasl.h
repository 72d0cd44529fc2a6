#pragma once
// SASL for SMTP AUTH (RFC 4954): the mechanism choice and the client payloads, pure so they are unit-tested.
// Payloads are secrets: the session registers each with redactor::add_encoded() before writing it.

#include <string>
#include <string_view>

#include "core/result.h"
#include "smtp/extensions.h"

namespace emailv2::smtp {

// CONTRACT §2.1: XOAUTH2 when configured (and then only it), else PLAIN, else LOGIN, as announced by the server.
// Errors: AUTH_FAILED "SMTP server <endpoint> offers no usable AUTH mechanism (wanted ..., offered ...)".
Result<std::string> choose_auth_mechanism(const Extensions& extensions, bool xoauth2, std::string_view endpoint);

// RFC 4616: base64("" NUL user NUL password).
std::string plain_payload(std::string_view username, std::string_view password);
// Google/Microsoft XOAUTH2: base64("user=" user ^A "auth=Bearer " token ^A ^A).
std::string xoauth2_payload(std::string_view username, std::string_view token);

}  // namespace emailv2::smtp
