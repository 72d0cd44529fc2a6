#pragma once
// \Seen after COMMIT (CONTRACT §5.3 step 3 and 4.8). Only when Mark Emails as Read is on and not in dry-run; never
// for excluded mail (those rows are written not_requested and never reach here). With Mark Emails as Read off the
// connector makes no flag call at all.
//
//  * mark_seen(): one `UID STORE <set> +FLAGS.SILENT (\Seen)` for the committed messages of a folder; success →
//    seen_state done (one short transaction), failure → the rows stay pending (logged; never re-ingested).
//  * retry_pending_seen(): step 3, before the folders: the pending rows of (instance, account), per folder, where
//    the folder's UIDVALIDITY still matches the row's; rows of an older UIDVALIDITY can never be flagged and are
//    set back to not_requested (warn). A folder that cannot be opened keeps its rows pending.
// Errors returned are store errors (STORE_*) and connection errors; a refused STORE is not an error of the cycle.

#include <cstdint>
#include <string>
#include <vector>

#include "connector/cycle_context.h"
#include "store/store_types.h"

namespace emailv2::connector {

struct SeenRequest {
  std::uint32_t uid = 0;
  store::LedgerId ledger_id = 0;
};

Status mark_seen(CycleContext& ctx, const std::string& folder, const std::vector<SeenRequest>& requests);
Status retry_pending_seen(CycleContext& ctx);

}  // namespace emailv2::connector
