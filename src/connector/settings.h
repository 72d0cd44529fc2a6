#pragma once
// The typed `[connector]` configuration (CONTRACT §5.1): every Generic IMAP Email Connector parameter, validated
// completely before any I/O. Errors are CONFIG_MISSING / CONFIG_INVALID (exit 78) with the contract's exact
// messages; a bad user regex is REGEX_INVALID with RE2's message (the app maps it to exit 78 for the connector).
//
// Contract:
//  * Documented connector parameters never inherit from `[integration]`. The [add] transport keys (Verify TLS,
//    CA File, TLS Pinned SHA-256, IMAP STARTTLS, Connect/Operation Timeout, Authentication Method, OAuth2 Access
//    Token, Max Message Size (MB)) inherit from `[integration]` unless set in `[connector]`.
//  * Instance Name is the integration's (default "default").
//  * Password is not required with Authentication Method = xoauth2 (the OAuth2 Access Token is, then).
//  * An unknown key in `[connector]` → CONFIG_INVALID `Unknown configuration key "<key>" in [connector] (...)`.
//  * Pure except that Server Time Zone is checked against the system zoneinfo database and secret files are read
//    once to check that they are readable (like mail::IntegrationConfig).

#include <re2/re2.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config_section.h"
#include "core/result.h"
#include "mail/integration_config.h"
#include "mime/forward.h"

namespace emailv2::connector {

// One Dynamic List rule `name: regex` (§5.2), split at the first ": ".
struct DynamicRule {
  std::string name;
  std::shared_ptr<const re2::RE2> regex;
  std::string pattern;  // the regex text as written
};

// One item of "Additional headers to extract from emails" (§5.2): a regex matched case-insensitively against the
// whole header name (a trailing ':' of the item is dropped before compiling).
struct HeaderRule {
  std::string pattern;  // as written, without the trailing ':'
  std::shared_ptr<const re2::RE2> regex;
};

struct Settings {
  mail::IntegrationConfig mail;          // the connection: host/port/username/password/ssl/proxy from [connector];
                                         // the [add] transport keys inherit from [integration] unless set here
  std::string instance;                  // Instance Name (integration's, "default")
  std::string username;                  // Username (also the mailbox name in alerts)
  std::string account;                   // "<Username>@<host>:<port>"
  std::vector<std::string> folders;      // Folder to check for emails, empty items dropped
  std::string default_environment = "Default Environment";
  std::chrono::seconds run_every{600};
  std::string product_field_name = "device_product";
  std::string event_field_name = "event_name_mail_type";
  // Additional headers: compiled case-insensitive; a header name matches with RE2::FullMatch (the whole name).
  std::vector<std::shared_ptr<const re2::RE2>> additional_headers;
  std::vector<HeaderRule> additional_header_rules;  // parallel to additional_headers, with the text as written
  std::chrono::seconds script_timeout{60};
  std::string server_time_zone = "UTC";
  std::optional<std::string> environment_field_name;
  std::shared_ptr<const re2::RE2> environment_regex;  // may be null
  bool use_ssl = true;
  bool unread_only = true;
  bool mark_as_read = true;
  bool attach_original_eml = false;
  bool separate_alert_per_attached_mail = false;
  mime::ForwardRegexes forward_regexes;  // the defaults (§4.2) unless configured
  std::shared_ptr<const re2::RE2> exclusion_body_regex, exclusion_subject_regex;  // may be null
  int offset_days = 5;
  int max_emails_per_cycle = 10;
  std::string original_prefix = "orig", attached_prefix = "attach";
  std::vector<DynamicRule> dynamic_list;  // {name, regex}
};

// Validates the `[connector]` table (plus the inherited [add] keys and Instance Name of `[integration]`).
Result<Settings> load_settings(const ConfigSection& connector, const ConfigSection& integration);

// "Run Every": `DD:HH:MM:SS` (also `HH:MM:SS`, `MM:SS`) or `<n>s` / `<n>m` / `<n>h`; > 0. Used for `--every DURATION`
// too. Error: CONFIG_INVALID `Invalid value for parameter "<name>": expected DD:HH:MM:SS or <n>s/m/h, got "<v>"`.
Result<std::chrono::seconds> parse_duration(std::string_view name, std::string_view text);

// The D display names of every `[connector]` key (for docs and env overrides).
const std::vector<std::string_view>& known_keys();

}  // namespace emailv2::connector
