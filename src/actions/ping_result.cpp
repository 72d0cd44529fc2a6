// The pure half of Ping (CONTRACT §3.1): its spec and the composition of the envelope from the two checks.
#include "actions/ping.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kAllGood =
    "Successfully connected to the email server with the provided connection parameters!";
constexpr std::string_view kNeither =
    "Neither IMAP nor SMTP is configured. Please configure at least one of them in the integration configuration.";

std::string skip_line(std::string_view proto) {
  return std::string(proto) + " is not configured, the " + std::string(proto) + " connectivity check was skipped.";
}

std::string status_line(std::string_view proto, const ProbeOutcome& o) {
  if (!o.configured) return skip_line(proto);
  if (o.error) return "Failed to connect to the " + std::string(proto) + " server! Error is " + o.error->to_string();
  return "Successfully connected to the " + std::string(proto) + " server.";
}

nlohmann::ordered_json probe_json(const ProbeOutcome& o, std::string_view features_key) {
  nlohmann::ordered_json j;
  j["configured"] = o.configured;
  j["success"] = o.configured ? nlohmann::ordered_json(!o.error.has_value()) : nlohmann::ordered_json();
  j["error"] = o.error ? nlohmann::ordered_json(o.error->to_string()) : nlohmann::ordered_json();
  j[std::string(features_key)] = o.features;
  return j;
}

}  // namespace

const ActionSpec& ping_spec() {
  static const ActionSpec spec{
      "ping", "Ping", {}, "Test connectivity to the configured IMAP and SMTP servers", {}, ActionNeeds{}};
  return spec;
}

ActionResult ping_result(const ProbeOutcome& imap, const ProbeOutcome& smtp) {
  if (!imap.configured && !smtp.configured) {
    return ActionResult::from_error(Error(ErrorCode::kConfigMissing, std::string(kNeither)));
  }
  nlohmann::ordered_json json;
  json["imap"] = probe_json(imap, "capabilities");
  json["smtp"] = probe_json(smtp, "extensions");
  const std::optional<Error>& first_error = imap.error ? imap.error : smtp.error;
  if (!first_error) {
    std::string message(kAllGood);
    if (!imap.configured) message += "\n" + skip_line("IMAP");
    if (!smtp.configured) message += "\n" + skip_line("SMTP");
    return ActionResult::completed(true, std::move(message), std::move(json));
  }
  ActionResult r = ActionResult::failed(*first_error, status_line("IMAP", imap) + "\n" + status_line("SMTP", smtp),
                                        std::move(json));
  // A failed check is a runtime error (exit 2) even when its cause is, e.g., an unreadable token file.
  if (r.exit_code() != 2 && first_error->code() != ErrorCode::kInternal) r.exit_override = 2;
  return r;
}

}  // namespace emailv2::actions
