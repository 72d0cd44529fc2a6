#pragma once
// Pure conversions between MailStore values and the imap layer's types (used by ImapMailStore; tested alone).

#include <cstdint>
#include <string_view>
#include <vector>

#include "imap/commands/fetch.h"
#include "imap/mailbox_state.h"
#include "imap/wire/response.h"
#include "imap/wire/search.h"
#include "mail/mail_store.h"

namespace emailv2::mail {

FolderInfo to_folder_info(std::string_view asked_name, const imap::MailboxState& state);
FolderListing to_listing(imap::wire::MailboxListing listing);
MessageMetadata to_metadata(const imap::commands::FetchedMessage& message);

// The UID SEARCHes whose union answers `criteria`: one, or one per any_header term (IMAP OR is avoided so every
// search stays a flat AND). received_since becomes SINCE <UTC day before> (the later of it and since_day).
std::vector<imap::wire::SearchCriteria> to_wire_searches(const SearchCriteria& criteria);

// UIDs (ascending) whose INTERNALDATE is known and >= cutoff (§3.0 exact time filter).
std::vector<std::uint32_t> received_since(const std::vector<MessageMetadata>& metadata, TimePoint cutoff);

// Requested UIDs (sorted) without metadata: gone from the folder.
std::vector<std::uint32_t> missing_uids(const std::vector<std::uint32_t>& requested,
                                        const std::vector<MessageMetadata>& found);

// Runs of consecutive messages (ascending UID) on the same side of the size limit, so delivery stays in UID order.
struct FetchSegment {
  bool over_limit = false;
  std::vector<const MessageMetadata*> messages;
};
std::vector<FetchSegment> plan_segments(const std::vector<MessageMetadata>& metadata, std::uint64_t max_message_bytes);

}  // namespace emailv2::mail
