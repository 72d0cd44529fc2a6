#pragma once
// The JSON the CLI prints for `emailv2 cases list|show` (CONTRACT §5.6), built here so app/ only prints it.
//
// cases list: [ {case_id, title, environment, priority, status, created_at,
//                alerts: [{alert_id, identifier, display_id, name, kind, device_product, start_time,
//                          source: {account, folder, uidvalidity, uid}}]} ... ]   newest first
// cases show: the same case object, each alert followed by `events: [{event_name, fields}]`, and the case's
//             `wall: [{attachment_id, alert_id, file_name, name, type, description, size, md5, sha1, sha256,
//                      added_by, added_at}]` (metadata only, never content).
// created_at / added_at are RFC 3339 UTC; start_time is epoch ms (the Mail Object's value).

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "store/case_repository.h"
#include "store/database.h"

namespace emailv2::store {

nlohmann::ordered_json case_summary_json(const CaseSummary& c);
nlohmann::ordered_json case_detail_json(const CaseDetail& c);

// `cases list [--limit N] [--offset N]`: limit >= 1, offset >= 0 (the app validates the flags).
Result<nlohmann::ordered_json> cases_list_view(Database& db, std::int64_t limit, std::int64_t offset);
// `cases show ID`: nullopt when no such case (the app prints its not-found message).
Result<std::optional<nlohmann::ordered_json>> case_show_view(Database& db, CaseId id);

}  // namespace emailv2::store
