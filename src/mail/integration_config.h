#pragma once
// The typed `[integration]` configuration (CONTRACT §2): built once from a loaded ConfigSection (app/config_*),
// validated completely before any I/O, and able to produce the connection options of the IMAP and SMTP layers.
//
// Contract:
//  * from_section() checks every key that is present: types, ranges, enums, the CR/LF/NUL rule for Sender's
//    Address, Sender's Display Name, Username and hosts, and unknown keys. Errors are CONFIG_INVALID (exit 78) with
//    the §1.2 messages (`Invalid value for parameter "<name>": ...`).
//  * Presence rules depend on what an action needs, so they are separate: require_imap(), require_smtp(),
//    require_sender_display_name() return CONFIG_MISSING (exit 78) with the contract's messages.
//  * "Not yet configured" (any case, trimmed), empty or absent = unconfigured. A configured address without a port
//    gets 993/143 (IMAP) or 465/587 (SMTP) by the Use SSL flag.
//  * Secrets are SecretSources: password() and oauth2_token() read them at each call (a token file is re-read at
//    every connection so an external refresher can rotate it). They never appear in messages.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config_section.h"
#include "core/result.h"
#include "imap/session.h"
#include "net/transport.h"
#include "smtp/session.h"

namespace emailv2::mail {

enum class StartTlsPolicy { kRequired, kOff };
enum class AuthMethod { kPassword, kXoauth2 };

struct ServerSettings {
  bool configured = false;
  std::string host;
  std::uint16_t port = 0;
  bool use_ssl = true;                                   // implicit TLS; false: STARTTLS policy applies
  StartTlsPolicy starttls = StartTlsPolicy::kRequired;
  net::Endpoint endpoint() const { return {host, port}; }
};

struct IntegrationConfig {
  std::string instance_name = "default";
  std::string sender_address;       // a valid addr-spec, or empty when not configured
  std::string sender_display_name;
  ServerSettings smtp;
  ServerSettings imap;
  std::string username;
  SecretSource password_source;
  bool smtp_use_authentication = true;
  bool run_remotely = false;        // accepted and ignored (a warn is logged by from_section)
  bool verify_tls = true;
  std::string ca_file;
  std::string pinned_sha256_hex;    // 64 lower-case hex digits or empty
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds operation_timeout{60};
  std::optional<net::ProxyConfig> proxy;
  AuthMethod auth_method = AuthMethod::kPassword;
  SecretSource oauth2_token_source;
  std::size_t max_message_mib = 50;
  std::vector<std::string> allowed_paths;
  std::string time_zone = "UTC";
  std::string store_path;           // empty: not configured (the app applies ./emailv2.sqlite)

  static Result<IntegrationConfig> from_section(const ConfigSection& section);
  // The D display names of every `[integration]` key (for env overrides and docs). Secret keys included.
  static const std::vector<std::string_view>& known_keys();

  bool imap_configured() const { return imap.configured; }
  bool smtp_configured() const { return smtp.configured; }
  // `IMAP configuration is needed to execute action. Please configure IMAP in the integration configuration.`, then
  // Username and the credential for the auth method (`Missing mandatory parameter <name>`), all CONFIG_MISSING.
  Status require_imap() const;
  // The SMTP twin; also Sender's Address; Username/credential only with SMTP – Use Authentication.
  Status require_smtp() const;
  // Sender's Display Name, needed by the sending actions only.
  Status require_sender_display_name() const;

  Result<Secret> password() const;      // re-read at each call
  Result<Secret> oauth2_token() const;  // re-read at each call
  // EHLO domain: the domain of Sender's Address ("localhost" when it is not configured).
  std::string ehlo_domain() const;

  net::TlsConfig tls_config() const;
  // Session options for the IMAP and SMTP layers; the credential is read now (a token file is re-read), so call
  // these right before each connection. Errors: CONFIG_INVALID when a secret file cannot be read.
  Result<imap::SessionOptions> imap_session_options() const;
  Result<smtp::SessionOptions> smtp_session_options() const;
  net::ConnectOptions imap_connect_options() const;
  net::ConnectOptions smtp_connect_options() const;
};

}  // namespace emailv2::mail
