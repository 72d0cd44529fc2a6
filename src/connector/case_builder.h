#pragma once
// Builds what one ingested message becomes in the case store (CONTRACT §5.4): one case with its alerts (kind email /
// over_limit / attached_mail / fetch_failed), their events and the case wall. Pure: no I/O, no clock except the
// `now` given. The §5.2 exclusion rule lives here too.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "connector/settings.h"
#include "core/time_format.h"
#include "mime/message.h"
#include "store/case_repository.h"
#include "store/store_types.h"

namespace emailv2::connector {

struct IngestInput {
  std::string_view raw;                       // the fetched bytes (whole message, or the header only if over_limit)
  const mime::Message& message;               // mime::parse_message(raw)
  store::MessageIdentity identity;
  std::optional<TimePoint> internal_date;
  std::vector<std::string> flags;
  std::size_t size = 0;                       // RFC822.SIZE
  bool over_limit = false;
  // When set, it is `message` itself, no longer needed by the caller after build_case: the wall takes the
  // attachments' bytes from it by moving them (a message's attachments are then in memory once, not twice).
  mime::Message* spent = nullptr;
};

// §5.2 exclusion: the rule name ("Exclusion Subject Regex" / "Exclusion Body Regex") when excluded, else nullopt.
// The subject rule is checked first (subject, raw_subject), then the body rule (text_body, html_body, body).
std::optional<std::string> exclusion_reason(const IngestInput& in, const Settings& s);

// §5.4: the case with all its alerts (kind email / over_limit / attached_mail), events and wall files. ledger_id is
// left 0 (the cycle sets it). Deterministic given (input, settings, now) except UUIDs of Undefined_{UUID}.eml.
store::NewCase build_case(const IngestInput& in, const Settings& s, TimePoint now);

// §5.3.6: the fetch_failed placeholder: whatever raw bytes were obtained (maybe empty) + the error text.
store::NewCase build_fetch_failed_case(const store::MessageIdentity& id, std::string_view partial_raw,
                                       std::string_view error, const Settings& s, TimePoint now);

// The alert JSON for the dry-run summary's `alerts` array (§5.5), from a NewCase: one entry per alert with
// identifier, ticket_id, display_id, name, rule_generator, priority, device_vendor, device_product, environment,
// start_time, end_time, kind, source, events ([{event_name, fields}]) and attachments (the alert's wall files, and
// for the first alert the case-level ones: file_name, name, type, description, size, md5, sha1, sha256).
nlohmann::ordered_json alerts_json(const store::NewCase& c);

}  // namespace emailv2::connector
