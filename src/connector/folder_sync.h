#pragma once
// One folder of a cycle (CONTRACT §5.3 step 4): open (SELECT, EXAMINE in dry-run), plan the checkpoint (first run,
// resync, UIDVALIDITY_UNSTABLE), select the candidates within the shared budget, fetch them through the
// FetchPipeline and ingest each in its own transaction, in UID order; a fetch failure stops the folder (attempt
// counter in its own transaction; the 3rd failure commits a fetch_failed placeholder); \Seen after the commits;
// the drained rule; the final checkpoint.

#include <optional>
#include <string>

#include "connector/cycle_context.h"
#include "connector/summary.h"

namespace emailv2::connector {

inline constexpr int kFetchAttemptsBeforePlaceholder = 3;

struct FolderResult {
  bool has_more = false;             // not drained: the next cycle's cursor may start here
  std::optional<Error> cycle_error;  // ends the cycle: a store failure or a lost connection
};

FolderResult sync_folder(CycleContext& ctx, const std::string& folder, FolderSummary& summary);

}  // namespace emailv2::connector
