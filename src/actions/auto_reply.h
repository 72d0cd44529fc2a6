#pragma once
// Automatic replies (out-of-office, vacation, delivery robots) that Wait For Email From User ignores by default
// (CONTRACT §3.4 step 3, "Ignore Auto-Replies"). Pure; looks at the reply's own top-level header section only.
//
// A message is automatic when any of these holds (first occurrence of each field):
//  * `Auto-Submitted` (RFC 3834 §5) is present with a keyword other than `no` (case-insensitive; parameters after
//    `;` and comments are ignored; an empty value counts as automatic: only machines write the field);
//  * `X-Autoreply` or `X-Autorespond` is present, whatever its value (set by vacation responders);
//  * `Precedence` is `auto_reply`, `bulk` or `junk` (RFC 3834 §3.1.8: the values responders and list robots use;
//    `list` is not among them, so a person answering through a mailing list still counts).

#include <optional>
#include <string>
#include <string_view>

namespace emailv2::actions {

// The marker that makes `header_block` automatic, as `<Field>: <value>` (value trimmed, cut to 100 bytes), or
// nullopt for a message a person sent.
std::optional<std::string> auto_reply_marker(std::string_view header_block);

}  // namespace emailv2::actions
