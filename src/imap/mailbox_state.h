#pragma once
// What the session knows about the selected mailbox, kept current from untagged responses (RFC 3501 §7.3, §7.4.1,
// RFC 7162 VANISHED) whichever command they arrive during.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imap/wire/response.h"

namespace emailv2::imap {

struct MailboxState {
  std::string name;  // UTF-8; empty when nothing is selected
  bool read_only = false;
  std::uint32_t exists = 0;
  std::uint32_t recent = 0;
  std::optional<std::uint64_t> uid_validity;
  std::optional<std::uint32_t> uid_next;
  std::optional<std::uint64_t> highest_modseq;
  std::vector<std::string> flags;
  std::vector<std::string> permanent_flags;
  std::uint64_t expunged = 0;   // EXPUNGE / VANISHED seen since the mailbox was selected
  bool grew = false;            // EXISTS went up since the last clear_events()

  // Forgets everything (a new SELECT/EXAMINE begins, or CLOSE).
  void reset(std::string mailbox_name);
  // Applies an untagged response; ignores kinds that do not describe the mailbox.
  void apply(const wire::Response& response);
  void clear_events() { grew = false; }
};

}  // namespace emailv2::imap
