#pragma once
// Step 2 of Wait For Email From User (CONTRACT §3.4): the replies to a sent message in one folder, read-only.
//
//   EXAMINE <folder>
//   UID SEARCH SINCE <UTC day of S − 1> (HEADER In-Reply-To <id> | HEADER References <id> |
//                                        HEADER X-Microsoft-Original-Message-ID <id>)     (<id> without <>)
//   UID FETCH <hits> (UID BODY.PEEK[HEADER])  and  (UID INTERNALDATE ...)
// and every hit is confirmed exactly (reply_matching.h): the HEADER search matches substrings. Nothing sets a flag.
// Errors: whatever the MailStore returns (FOLDER_NOT_FOUND, connection errors, IMAP_NO...).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/reply_matching.h"
#include "core/deadline.h"
#include "core/time_format.h"
#include "core/result.h"
#include "mail/mail_store.h"

namespace emailv2::actions {

// One confirmed reply to the sent message.
struct ReplyHit {
  std::string folder;                       // as the user named it
  std::uint64_t uid_validity = 0;
  std::uint32_t uid = 0;
  std::optional<TimePoint> internal_date;   // nullopt when the server sent none we could read
  std::vector<std::string> from;            // From addr-specs; empty: a reply without From (ignored later)
  std::optional<std::string> auto_reply;    // the auto-reply marker (auto_reply.h), nullopt for a person's reply
  ReplyLink link = ReplyLink::kNone;
};

struct FolderReplies {
  mail::FolderInfo folder;        // what EXAMINE said (UIDVALIDITY, UIDNEXT, EXISTS)
  std::vector<ReplyHit> hits;     // ascending UID
};

// The criteria of the server-side search: SINCE the UTC day before `start`, any of the three headers.
mail::SearchCriteria reply_search_criteria(std::string_view message_id, TimePoint start);

Result<FolderReplies> find_replies(mail::MailStore& store, std::string_view folder, std::string_view message_id,
                                   TimePoint start, Deadline deadline);

// Hits of several folders in the order replies are considered (step 4): INTERNALDATE ascending (unknown last),
// then the folder order of the input, then UID.
void sort_by_arrival(std::vector<ReplyHit>& hits);

}  // namespace emailv2::actions
