#pragma once
// The one JSON line a connector cycle prints on stdout (CONTRACT §5.5) and the exit code that goes with it.
//
//   {"connector": "Generic IMAP Email Connector", "instance", "account", "dry_run", "status": ok|partial|failed|skipped,
//    "started_at", "finished_at", "folders": [{"folder", "uidvalidity", "last_uid_before", "last_uid_after",
//    "candidates", "processed", "alerted", "excluded", "duplicates", "placeholders", "error"}],
//    "alerts_created", "case_ids", "seen_pending", "alerts": [...]}
//
// [add] A cycle-level error (bad configuration, lease or store failure, a connection that could not be made) adds a
// last key "error": "<CODE>: <detail>"; the key is absent when there is none. over_limit messages count as alerted;
// fetch_failed placeholders as placeholders. Exit: 0 ok, 2 partial/failed, 75 skipped, 78 configuration error.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time_format.h"
#include "store/store_types.h"

namespace emailv2::connector {

inline constexpr std::string_view kConnectorName = "Generic IMAP Email Connector";

enum class CycleStatus { kOk, kPartial, kFailed, kSkipped };
std::string_view to_string(CycleStatus status);

struct FolderSummary {
  std::string folder;
  std::optional<std::uint32_t> uidvalidity;  // null when the folder could not be opened
  std::uint32_t last_uid_before = 0;
  std::uint32_t last_uid_after = 0;
  std::size_t candidates = 0;
  std::size_t processed = 0;
  std::size_t alerted = 0;
  std::size_t excluded = 0;
  std::size_t duplicates = 0;
  std::size_t placeholders = 0;
  std::optional<std::string> error;  // "<CODE>: <detail>"
};

struct CycleSummary {
  std::string instance;
  std::string account;
  bool dry_run = false;
  CycleStatus status = CycleStatus::kOk;
  TimePoint started_at{};
  TimePoint finished_at{};
  std::vector<FolderSummary> folders;
  std::size_t alerts_created = 0;
  std::vector<store::CaseId> case_ids;
  std::int64_t seen_pending = 0;
  nlohmann::ordered_json alerts = nlohmann::ordered_json::array();  // dry-run only
  std::optional<Error> error;                                       // cycle-level
  bool connection_failed = false;  // the cycle ended on a connection error (the daemon backs off)
  bool stopped = false;            // SIGTERM/SIGINT ended it early
};

nlohmann::ordered_json summary_json(const CycleSummary& summary);
// One line, no indentation (or indented with `pretty`), with a trailing newline.
std::string summary_line(const CycleSummary& summary, bool pretty = false);
int exit_code(const CycleSummary& summary);

// Errors that mean the connection to the server is gone or could not be made (the session must not be reused, the
// rest of the cycle cannot reach the server, and the daemon backs off).
bool is_connection_error(ErrorCode code);

}  // namespace emailv2::connector
