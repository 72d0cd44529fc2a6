#pragma once
// Process-wide set of secret forms that must never leave the process in clear. Every log line passes through
// scrub() in the log sink, so a secret that slips into a message is still replaced by "<redacted>". Protocol code
// registers the exact SASL payloads it is about to send (base64 of "\0user\0pass", XOAUTH2 strings, ...).

#include <string>
#include <string_view>

namespace emailv2::redactor {

// Registers value and its base64 form. Values shorter than 3 bytes are ignored (they would redact noise).
void add(std::string_view value);
// Registers a payload exactly as given (already encoded), e.g. a SASL-IR argument.
void add_encoded(std::string_view encoded);
// Replaces every registered form in text by "<redacted>".
std::string scrub(std::string_view text);
// Test hook: forget every registered form.
void clear_for_testing();

}  // namespace emailv2::redactor
