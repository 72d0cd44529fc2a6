#include "connector/seen_flags.h"

#include <map>
#include <utility>

#include "core/log.h"
#include "store/ledger_repository.h"

namespace emailv2::connector {
namespace {

constexpr std::string_view kLog = "connector";

Status set_states(CycleContext& ctx, const std::vector<SeenRequest>& requests, store::SeenState state) {
  auto tx = ctx.db.begin_write();
  if (!tx) return fail(tx.error());
  store::LedgerRepository ledger(ctx.db);
  for (const SeenRequest& r : requests) EMAILV2_TRY(ledger.set_seen_state(*tx, r.ledger_id, state));
  return tx->commit();
}

}  // namespace

Status mark_seen(CycleContext& ctx, const std::string& folder, const std::vector<SeenRequest>& requests) {
  if (requests.empty() || !ctx.settings.mark_as_read || ctx.dry_run) return ok();
  std::vector<std::uint32_t> uids;
  uids.reserve(requests.size());
  for (const SeenRequest& r : requests) uids.push_back(r.uid);
  const Status stored = ctx.mail.add_flags(folder, uids, {"\\Seen"}, ctx.deadline);
  if (!stored) {
    log::warn(kLog, "could not set \\Seen on {} message(s) in {} (left pending, retried next cycle): {}", uids.size(),
              folder, stored.error().to_string());
    if (is_connection_error(stored.error().code())) return stored;
    return ok();
  }
  return set_states(ctx, requests, store::SeenState::kDone);
}

Status retry_pending_seen(CycleContext& ctx) {
  if (!ctx.settings.mark_as_read || ctx.dry_run) return ok();
  auto rows = store::LedgerRepository(ctx.db).pending_seen(ctx.settings.instance, ctx.settings.account);
  if (!rows) return fail(rows.error());
  std::map<std::pair<std::string, std::uint32_t>, std::vector<SeenRequest>> by_folder;
  for (const auto& row : *rows) {
    by_folder[{row.entry.identity.folder, row.entry.identity.uidvalidity}].push_back(
        {row.entry.identity.uid, row.ledger_id});
  }
  for (const auto& [key, requests] : by_folder) {
    const auto& [folder, uidvalidity] = key;
    auto info = ctx.mail.open_folder(folder, mail::Access::kReadWrite, ctx.deadline);
    if (!info) {
      log::warn(kLog, "pending \\Seen for {}: cannot open the folder: {}", folder, info.error().to_string());
      if (is_connection_error(info.error().code())) return fail(info.error());
      continue;
    }
    if (info->uid_validity != uidvalidity) {
      log::warn(kLog, "pending \\Seen for {} message(s) in {} dropped: UIDVALIDITY changed from {} to {}",
                requests.size(), folder, uidvalidity, info->uid_validity);
      EMAILV2_TRY(set_states(ctx, requests, store::SeenState::kNotRequested));
      continue;
    }
    EMAILV2_TRY(mark_seen(ctx, folder, requests));
  }
  return ok();
}

}  // namespace emailv2::connector
