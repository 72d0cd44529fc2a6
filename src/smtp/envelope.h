#pragma once
// The SMTP envelope (CONTRACT §3.0 "Envelope") and the checks every address passes before any byte is sent.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace emailv2::smtp {

struct Envelope {
  std::string sender;                   // MAIL FROM addr-spec: the Sender's Address
  std::vector<std::string> recipients;  // To ∪ Cc ∪ Bcc addr-specs, in order; duplicates are fine (sent once)
  // Set by the message builder when a header of the message needs UTF-8 (RFC 6532); non-ASCII addresses are
  // detected here without it.
  bool headers_need_smtputf8 = false;
  // Set by the message builder when the message holds 8-bit bytes (RFC 6152): MAIL FROM then carries
  // ` BODY=8BITMIME` when the server announces 8BITMIME.
  bool body_8bitmime = false;
};

// An addr-spec fit to go between `<` and `>` on the wire: non-empty, at most kMaxPathBytes, no CR/LF/NUL or other
// control character, no `<`/`>`, exactly one `@` outside a quoted local part with non-empty sides, no whitespace
// outside quotes. Errors: PARAM_INVALID naming `what` ("sender", "recipient") with the value escaped.
constexpr std::size_t kMaxPathBytes = 256;  // RFC 5321 §4.5.3.1.3
Status check_address(std::string_view address, std::string_view what);

// Recipients with duplicates removed (ASCII case-insensitive), first occurrence and order kept.
std::vector<std::string> unique_recipients(const std::vector<std::string>& recipients);

bool is_ascii(std::string_view s);
// True when the transaction needs the SMTPUTF8 parameter: a non-ASCII address or headers_need_smtputf8.
bool needs_smtputf8(const Envelope& envelope);

// Checks the sender, every recipient, that there is at least one and at most limits::kMaxRecipients unique
// recipients. Errors: PARAM_INVALID.
Status check_envelope(const Envelope& envelope);

}  // namespace emailv2::smtp
