#include "connector/summary.h"

namespace emailv2::connector {

std::string_view to_string(CycleStatus status) {
  switch (status) {
    case CycleStatus::kOk: return "ok";
    case CycleStatus::kPartial: return "partial";
    case CycleStatus::kFailed: return "failed";
    case CycleStatus::kSkipped: return "skipped";
  }
  return "failed";
}

namespace {

nlohmann::ordered_json folder_json(const FolderSummary& f) {
  nlohmann::ordered_json j;
  j["folder"] = f.folder;
  j["uidvalidity"] = f.uidvalidity ? nlohmann::ordered_json(*f.uidvalidity) : nlohmann::ordered_json(nullptr);
  j["last_uid_before"] = f.last_uid_before;
  j["last_uid_after"] = f.last_uid_after;
  j["candidates"] = f.candidates;
  j["processed"] = f.processed;
  j["alerted"] = f.alerted;
  j["excluded"] = f.excluded;
  j["duplicates"] = f.duplicates;
  j["placeholders"] = f.placeholders;
  j["error"] = f.error ? nlohmann::ordered_json(*f.error) : nlohmann::ordered_json(nullptr);
  return j;
}

}  // namespace

nlohmann::ordered_json summary_json(const CycleSummary& s) {
  nlohmann::ordered_json j;
  j["connector"] = kConnectorName;
  j["instance"] = s.instance;
  j["account"] = s.account;
  j["dry_run"] = s.dry_run;
  j["status"] = to_string(s.status);
  j["started_at"] = rfc3339_utc(s.started_at);
  j["finished_at"] = rfc3339_utc(s.finished_at);
  j["folders"] = nlohmann::ordered_json::array();
  for (const FolderSummary& f : s.folders) j["folders"].push_back(folder_json(f));
  j["alerts_created"] = s.alerts_created;
  j["case_ids"] = s.case_ids;
  j["seen_pending"] = s.seen_pending;
  j["alerts"] = s.alerts.is_array() ? s.alerts : nlohmann::ordered_json::array();
  if (s.error) j["error"] = s.error->to_string();
  return j;
}

std::string summary_line(const CycleSummary& summary, bool pretty) {
  return summary_json(summary).dump(pretty ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

int exit_code(const CycleSummary& summary) {
  if (summary.error && (summary.error->code() == ErrorCode::kConfigInvalid ||
                        summary.error->code() == ErrorCode::kConfigMissing ||
                        summary.error->code() == ErrorCode::kRegexInvalid)) {
    return 78;
  }
  switch (summary.status) {
    case CycleStatus::kOk: return 0;
    case CycleStatus::kSkipped: return 75;
    case CycleStatus::kPartial:
    case CycleStatus::kFailed: return 2;
  }
  return 2;
}

bool is_connection_error(ErrorCode code) {
  switch (code) {
    case ErrorCode::kDnsFailed:
    case ErrorCode::kConnectFailed:
    case ErrorCode::kProxyFailed:
    case ErrorCode::kTlsFailed:
    case ErrorCode::kTlsRequired:
    case ErrorCode::kAuthFailed:
    case ErrorCode::kTimeout:
    case ErrorCode::kImapBye:
    case ErrorCode::kProtocolError:
    case ErrorCode::kDeadline:
      return true;
    default:
      return false;
  }
}

}  // namespace emailv2::connector
