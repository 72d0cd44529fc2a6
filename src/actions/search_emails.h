#pragma once
// Search Emails (CONTRACT §3.5): per folder EXAMINE, server-side UID SEARCH (CHARSET UTF-8 + literals for non-ASCII
// values, added by the imap layer), the exact time filter (SINCE the UTC day before the cutoff on the server, then
// INTERNALDATE >= cutoff here [fix]), all hits ordered newest first by INTERNALDATE across folders (ties: folder
// order, then higher UID) [fix], and Mail Objects fetched (BODY.PEEK[]) for the N returned only: nothing that is not
// returned is downloaded. Read-only: EXAMINE + BODY.PEEK, no flag changes [fix].
//
// Outcomes: n ≥ 1 → completed/true `Search found {n} emails based on the provided search criteria`,
// `{"emails": [<Mail Object>, …]}`; nothing → completed/false `Search didn't found any matching emails`, null;
// error → failed/false `Search didn't completed successfully due to error: {error}`, null.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "actions/action_context.h"
#include "actions/action_result.h"
#include "actions/params.h"
#include "mail/mail_store.h"

namespace emailv2::actions {

const ActionSpec& search_emails_spec();
// Connects with the configured IMAP account, runs search_emails, logs out.
ActionResult run_search_emails(const ActionContext& ctx, const ParamSet& params);
// The action over any MailStore (the IMAP one, or an in-memory twin in tests). Does not close the store.
ActionResult search_emails(mail::MailStore& store, const ActionContext& ctx, const ParamSet& params);

// One hit of the search, before the Mail Objects are fetched.
struct SearchHit {
  std::size_t folder_index = 0;
  mail::MessageMetadata metadata;
};

// The first `n` hits in §3.5 order: INTERNALDATE newest first; ties: earlier folder first, then higher UID.
// Hits without an INTERNALDATE sort after every dated hit.
std::vector<SearchHit> newest_first(std::vector<SearchHit> hits, std::size_t n);

}  // namespace emailv2::actions
