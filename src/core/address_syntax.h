#pragma once
// RFC 5322 mailbox syntax (§3.4): `addr-spec` or `[display-name] <addr-spec>`, as accepted in parameters and
// configuration (CONTRACT §1.2 "Address list"). A pure function over bytes: no DNS, no normalisation beyond
// removing the quoting of the display name.
//
// Accepted:
//  * local-part: dot-atom or quoted-string (escapes `\x` allowed inside quotes);
//  * domain: dot-atom or a domain literal `[...]`;
//  * display-name: a phrase of atoms and quoted strings separated by spaces; dots are tolerated in unquoted
//    names (obs-phrase, common in the wild: `J. Doe <j@x>`);
//  * UTF-8 (bytes >= 0x80) anywhere an atom character is allowed (RFC 6532).
// Rejected: comments, group syntax, routes, CR/LF/NUL and other control characters, empty parts, a missing `@`.

#include <optional>
#include <string>
#include <string_view>

namespace emailv2::address {

struct Mailbox {
  std::string display_name;  // unquoted, unescaped; empty when absent
  std::string addr_spec;     // `local@domain` exactly as written (quoted local parts keep their quotes)
  std::string domain() const;  // the part after the last '@' of addr_spec
};

// Parses one mailbox; surrounding whitespace is ignored. nullopt when the text is not a mailbox.
std::optional<Mailbox> parse_mailbox(std::string_view text);

// True when text is a bare addr-spec (no display name, no angle brackets).
bool is_addr_spec(std::string_view text);

}  // namespace emailv2::address
