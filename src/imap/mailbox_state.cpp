#include "imap/mailbox_state.h"

namespace emailv2::imap {

void MailboxState::reset(std::string mailbox_name) {
  *this = MailboxState{};
  name = std::move(mailbox_name);
}

void MailboxState::apply(const wire::Response& r) {
  using wire::ResponseKind;
  switch (r.kind) {
    case ResponseKind::kExists:
      if (r.number > exists) grew = true;
      exists = r.number;
      break;
    case ResponseKind::kRecent:
      recent = r.number;
      break;
    case ResponseKind::kExpunge:
      if (exists > 0) --exists;
      ++expunged;
      break;
    case ResponseKind::kVanished:
      if (!r.vanished_earlier) {
        const std::uint64_t n = r.vanished.size();
        exists = n >= exists ? 0 : exists - static_cast<std::uint32_t>(n);
        expunged += n;
      }
      break;
    case ResponseKind::kFlags:
      flags = r.flags;
      break;
    case ResponseKind::kStatus: {
      if (!r.status.code || r.status.condition != wire::Condition::kOk) break;
      const wire::ResponseCode& code = *r.status.code;
      if (code.name == "UIDVALIDITY") uid_validity = code.number;
      else if (code.name == "UIDNEXT") uid_next = static_cast<std::uint32_t>(code.number);
      else if (code.name == "HIGHESTMODSEQ") highest_modseq = code.number;
      else if (code.name == "PERMANENTFLAGS") permanent_flags = code.items;
      else if (code.name == "READ-ONLY") read_only = true;
      else if (code.name == "READ-WRITE") read_only = false;
      break;
    }
    default:
      break;
  }
}

}  // namespace emailv2::imap
