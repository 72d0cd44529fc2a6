#pragma once
// Step 5 of Wait For Email From User (CONTRACT §3.4) and its memory across polls: every reply looked at is
// recorded in wait_reply (recipient, accepted); with Fetch Response Attachments and a case context, the direct
// attachments of each accepted reply go onto the case wall ONCE (added_by wait-for-email-from-user, description
// `Reply attachment from <recipient>`), and wait_reply.attachments_added makes every later poll skip them — even
// if the wall rows were removed meanwhile. One write transaction per poll, taken after all IMAP work is done, so
// the store's write lock is never held across the network.
//
// Errors: STORE_BUSY / STORE_ERROR (nothing of this poll is written then).

#include <cstddef>
#include <optional>
#include <string_view>

#include "actions/wait_responses.h"
#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::actions {

struct WallReport {
  std::size_t files_added = 0;    // new wall rows this poll
  std::size_t files_already = 0;  // same (case, sha256, file_name) already on the wall
};

Result<WallReport> record_wait_replies(store::Database& db, std::string_view sent_message_id,
                                       const SelectedResponses& selected, bool fetch_attachments,
                                       std::optional<store::CaseId> case_id, TimePoint now);

// {stem, extension with its dot} by core/file_names extension(), the rule the connector and Save use:
// "report.final.pdf" -> {"report.final", ".pdf"}; "README" -> {"README", ""}; ".profile" -> {".profile", ""}.
std::pair<std::string, std::string> split_file_name(std::string_view file_name);

}  // namespace emailv2::actions
