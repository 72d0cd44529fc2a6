#include "mail/integration_config.h"

#include <filesystem>
#include <set>

#include "core/address_syntax.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/param_values.h"
#include "core/text.h"

namespace emailv2::mail {
namespace {

namespace pv = param_values;

constexpr std::string_view kSentinel = "Not yet configured";

// D names; O PropertyNames normalise to the same keys (`Sender's address`, `SMTP USE SSL`, ...).
const std::vector<std::string_view> kKeys = {
    "Instance Name", "Description", "Sender's Address", "Sender's Display Name", "SMTP Server Address",
    "SMTP Port", "IMAP Server Address", "IMAP Port", "Username", "Password",
    "SMTP \xE2\x80\x93 Use SSL", "IMAP \xE2\x80\x93 Use SSL", "SMTP \xE2\x80\x93 Use Authentication",
    "Run Remotely", "Verify TLS", "CA File", "TLS Pinned SHA-256", "IMAP STARTTLS", "SMTP STARTTLS",
    "Connect Timeout (Seconds)", "Operation Timeout (Seconds)", "Proxy Server Address", "Proxy Username",
    "Proxy Password", "Authentication Method", "OAuth2 Access Token", "Max Message Size (MB)", "Allowed Paths",
    "Time Zone", "Store Path"};

Error config_error(const Error& e) { return pv::as_config_error(e); }

class Reader {
 public:
  explicit Reader(const ConfigSection& s) : section_(s) {}

  // The trimmed value, or nullopt when absent/empty (or the sentinel when `sentinel_unconfigured`).
  std::optional<std::string> text(std::string_view name, bool sentinel_unconfigured = false) const {
    const ConfigValue* v = section_.find(text::normalise_name(name));
    if (v == nullptr) return std::nullopt;
    const std::string_view t = text::trim(v->value);
    if (t.empty() || (sentinel_unconfigured && text::iequals_ascii(t, kSentinel))) return std::nullopt;
    return std::string(t);
  }
  const std::string* raw(std::string_view name) const {
    const ConfigValue* v = section_.find(text::normalise_name(name));
    return v == nullptr ? nullptr : &v->value;
  }
  Result<std::optional<std::string>> line(std::string_view name, bool sentinel_unconfigured = false) const {
    if (const std::string* r = raw(name)) {
      if (auto s = pv::check_no_line_breaks(name, *r); !s) return fail(config_error(s.error()));
    }
    return text(name, sentinel_unconfigured);
  }
  Result<bool> checkbox(std::string_view name, bool fallback) const {
    auto t = text(name);
    if (!t) return fallback;
    auto b = pv::parse_checkbox(name, *t);
    if (!b) return fail(config_error(b.error()));
    return *b;
  }
  Result<std::int64_t> integer(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t fallback,
                               bool sentinel_unconfigured = false) const {
    auto t = text(name, sentinel_unconfigured);
    if (!t) return fallback;
    auto i = pv::parse_integer(name, *t, min, max);
    if (!i) return fail(config_error(i.error()));
    return *i;
  }
  Result<std::string> choice(std::string_view name, std::initializer_list<std::string_view> allowed,
                             std::string_view fallback) const {
    auto t = text(name);
    if (!t) return std::string(fallback);
    std::string list;
    for (std::string_view a : allowed) {
      if (text::iequals_ascii(*t, a)) return std::string(a);
      list += list.empty() ? "" : ", ";
      list += a;
    }
    return fail(config_error(pv::invalid(name, "expected one of " + list + ", got \"" + text::echo_value(*t) + "\"")));
  }

 private:
  const ConfigSection& section_;
};

Status check_unknown_keys(const ConfigSection& section) {
  std::set<std::string> known;
  for (std::string_view k : kKeys) known.insert(text::normalise_name(k));
  for (const auto& [key, value] : section.values) {
    if (known.count(key) == 0) {
      return fail(ErrorCode::kConfigInvalid, "Unknown configuration key \"" + text::echo_value(value.key_as_written) +
                                                 "\" in [" + section.table + "] (" + value.origin + ")");
    }
  }
  return ok();
}

Result<ServerSettings> read_server(const Reader& r, std::string_view proto, std::uint16_t ssl_port,
                                   std::uint16_t plain_port) {
  const std::string p(proto);
  ServerSettings s;
  auto use_ssl = r.checkbox(p + " \xE2\x80\x93 Use SSL", true);
  if (!use_ssl) return fail(use_ssl.error());
  s.use_ssl = *use_ssl;
  auto starttls = r.choice(p + " STARTTLS", {"required", "off"}, "required");
  if (!starttls) return fail(starttls.error());
  s.starttls = *starttls == "off" ? StartTlsPolicy::kOff : StartTlsPolicy::kRequired;
  auto host = r.line(p + " Server Address", true);
  if (!host) return fail(host.error());
  const std::int64_t default_port = s.use_ssl ? ssl_port : plain_port;
  auto port = r.integer(p + " Port", 1, 65535, default_port, true);
  if (!port) return fail(port.error());
  if (*host) {
    s.configured = true;
    s.host = **host;
    s.port = static_cast<std::uint16_t>(*port);
  }
  return s;
}

Result<std::string> read_pin(const Reader& r) {
  auto t = r.text("TLS Pinned SHA-256");
  if (!t) return std::string();
  std::string hex;
  for (char c : *t) {
    if (c == ':') continue;
    hex += static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
  }
  const bool valid = hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!valid) {
    return fail(config_error(pv::invalid("TLS Pinned SHA-256", "expected 64 hexadecimal digits, got \"" +
                                                                   text::echo_value(*t) + "\"")));
  }
  return hex;
}

Status check_time_zone(std::string_view tz) {
  if (text::iequals_ascii(tz, "UTC")) return ok();
  const bool safe = tz.find("..") == std::string_view::npos && !tz.empty() && tz.front() != '/' &&
                    tz.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/") ==
                        std::string_view::npos;
  std::error_code ec;
  if (safe && std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / tz, ec)) return ok();
  return fail(ErrorCode::kConfigInvalid,
              "Invalid value for parameter \"Time Zone\": unknown IANA time zone \"" + text::echo_value(tz) + "\"");
}

Status read_identity(const Reader& r, IntegrationConfig& c) {
  if (auto v = r.text("Instance Name")) c.instance_name = *v;
  auto sender = r.line("Sender's Address");
  if (!sender) return fail(sender.error());
  if (*sender) {
    if (!address::is_addr_spec(**sender)) {
      return fail(config_error(pv::invalid("Sender's Address", "expected an email address, got \"" +
                                                                   text::echo_value(**sender) + "\"")));
    }
    c.sender_address = **sender;
  }
  auto display = r.line("Sender's Display Name");
  if (!display) return fail(display.error());
  c.sender_display_name = display->value_or("");
  auto user = r.line("Username");
  if (!user) return fail(user.error());
  c.username = user->value_or("");
  return ok();
}

Status read_transport(const Reader& r, IntegrationConfig& c) {
  auto verify = r.checkbox("Verify TLS", true);
  if (!verify) return fail(verify.error());
  c.verify_tls = *verify;
  c.ca_file = r.text("CA File").value_or("");
  auto pin = read_pin(r);
  if (!pin) return fail(pin.error());
  c.pinned_sha256_hex = *pin;
  auto connect = r.integer("Connect Timeout (Seconds)", 1, 600, 30);
  if (!connect) return fail(connect.error());
  c.connect_timeout = std::chrono::seconds(*connect);
  auto operation = r.integer("Operation Timeout (Seconds)", 1, 3600, 60);
  if (!operation) return fail(operation.error());
  c.operation_timeout = std::chrono::seconds(*operation);
  auto proxy_host = r.line("Proxy Server Address");
  if (!proxy_host) return fail(proxy_host.error());
  if (*proxy_host) {
    auto proxy = net::parse_proxy(**proxy_host);
    if (!proxy) return fail(config_error(proxy.error()));
    auto proxy_user = r.line("Proxy Username");
    if (!proxy_user) return fail(proxy_user.error());
    if (*proxy_user) proxy->username = **proxy_user;
    c.proxy = std::move(*proxy);
  }
  auto method = r.choice("Authentication Method", {"password", "xoauth2"}, "password");
  if (!method) return fail(method.error());
  c.auth_method = *method == "xoauth2" ? AuthMethod::kXoauth2 : AuthMethod::kPassword;
  return ok();
}

Status read_local(const Reader& r, IntegrationConfig& c) {
  auto size = r.integer("Max Message Size (MB)", 1, 2048, 50);
  if (!size) return fail(size.error());
  c.max_message_mib = static_cast<std::size_t>(*size);
  if (auto paths = r.text("Allowed Paths")) c.allowed_paths = pv::split_csv(*paths);
  if (auto tz = r.text("Time Zone")) {
    EMAILV2_TRY(check_time_zone(*tz));
    c.time_zone = *tz;
  }
  c.store_path = r.text("Store Path").value_or("");
  return ok();
}

Status require_credentials(const IntegrationConfig& c) {
  if (c.username.empty()) return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter Username");
  if (c.auth_method == AuthMethod::kXoauth2) {
    if (!c.oauth2_token_source.configured()) {
      return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter OAuth2 Access Token");
    }
  } else if (!c.password_source.configured()) {
    return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter Password");
  }
  return ok();
}

}  // namespace

const std::vector<std::string_view>& IntegrationConfig::known_keys() { return kKeys; }

Result<IntegrationConfig> IntegrationConfig::from_section(const ConfigSection& section) {
  EMAILV2_TRY(check_unknown_keys(section));
  const Reader r(section);
  IntegrationConfig c;
  EMAILV2_TRY(read_identity(r, c));
  auto smtp = read_server(r, "SMTP", 465, 587);
  if (!smtp) return fail(smtp.error());
  c.smtp = std::move(*smtp);
  auto imap = read_server(r, "IMAP", 993, 143);
  if (!imap) return fail(imap.error());
  c.imap = std::move(*imap);
  auto use_auth = r.checkbox("SMTP \xE2\x80\x93 Use Authentication", true);
  if (!use_auth) return fail(use_auth.error());
  c.smtp_use_authentication = *use_auth;
  auto remote = r.checkbox("Run Remotely", false);
  if (!remote) return fail(remote.error());
  c.run_remotely = *remote;
  if (c.run_remotely) log::warn("config", "Run Remotely is set but ignored: emailv2 has no remote agents");
  EMAILV2_TRY(read_transport(r, c));
  EMAILV2_TRY(read_local(r, c));
  if (const SecretSource* s = section.find_secret("password")) c.password_source = *s;
  if (const SecretSource* s = section.find_secret("oauth2-access-token")) c.oauth2_token_source = *s;
  if (const SecretSource* s = section.find_secret("proxy-password"); s != nullptr && c.proxy) {
    auto secret = s->read();
    if (!secret) return fail(secret.error());
    c.proxy->password = std::move(*secret);
  }
  return c;
}

Status IntegrationConfig::require_imap() const {
  if (!imap.configured) {
    return fail(ErrorCode::kConfigMissing, "IMAP configuration is needed to execute action. Please configure IMAP in "
                                           "the integration configuration.");
  }
  return require_credentials(*this);
}

Status IntegrationConfig::require_smtp() const {
  if (!smtp.configured) {
    return fail(ErrorCode::kConfigMissing, "SMTP configuration is needed to execute action. Please configure SMTP in "
                                           "the integration configuration.");
  }
  if (sender_address.empty()) return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter Sender's Address");
  if (smtp_use_authentication) return require_credentials(*this);
  return ok();
}

Status IntegrationConfig::require_sender_display_name() const {
  if (sender_display_name.empty()) {
    return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter Sender's Display Name");
  }
  return ok();
}

Result<Secret> IntegrationConfig::password() const { return password_source.read(); }
Result<Secret> IntegrationConfig::oauth2_token() const { return oauth2_token_source.read(); }

std::string IntegrationConfig::ehlo_domain() const {
  const auto at = sender_address.rfind('@');
  if (at == std::string::npos || at + 1 >= sender_address.size()) return "localhost";
  return sender_address.substr(at + 1);
}

net::TlsConfig IntegrationConfig::tls_config() const {
  net::TlsConfig tls;
  tls.verify = verify_tls;
  tls.ca_file = ca_file;
  tls.pinned_sha256_hex = pinned_sha256_hex;
  return tls;
}

namespace {
net::ServerOptions server_options(const IntegrationConfig& c, const ServerSettings& s) {
  net::ServerOptions o;
  o.endpoint = s.endpoint();
  o.tls = c.tls_config();
  if (c.proxy) o.proxy = *c.proxy;
  o.connect_timeout = c.connect_timeout;
  o.operation_timeout = c.operation_timeout;
  return o;
}
}  // namespace

Result<imap::SessionOptions> IntegrationConfig::imap_session_options() const {
  imap::SessionOptions o;
  static_cast<net::ServerOptions&>(o) = server_options(*this, imap);
  o.tls_mode = imap.use_ssl                                   ? imap::TlsMode::kImplicit
               : imap.starttls == StartTlsPolicy::kRequired ? imap::TlsMode::kStartTlsRequired
                                                              : imap::TlsMode::kStartTlsOff;
  o.username = username;
  o.max_message_bytes = static_cast<std::uint64_t>(max_message_mib) * limits::kMiB;
  if (auth_method == AuthMethod::kXoauth2) {
    o.auth_method = imap::AuthMethod::kXoauth2;
    auto token = oauth2_token();
    if (!token) return fail(token.error());
    o.oauth_token = std::move(*token);
  } else {
    auto secret = password();
    if (!secret) return fail(secret.error());
    o.password = std::move(*secret);
  }
  return o;
}

Result<smtp::SessionOptions> IntegrationConfig::smtp_session_options() const {
  smtp::SessionOptions o;
  static_cast<net::ServerOptions&>(o) = server_options(*this, smtp);
  o.tls_mode = smtp.use_ssl                                   ? smtp::TlsMode::kImplicit
               : smtp.starttls == StartTlsPolicy::kRequired ? smtp::TlsMode::kStartTlsRequired
                                                              : smtp::TlsMode::kOff;
  o.ehlo_domain = ehlo_domain();
  o.use_auth = smtp_use_authentication;
  o.username = username;
  o.max_message_bytes = static_cast<std::uint64_t>(max_message_mib) * limits::kMiB;
  if (!smtp_use_authentication) return o;
  if (auth_method == AuthMethod::kXoauth2) {
    o.auth_method = smtp::AuthMethod::kXoauth2;
    auto token = oauth2_token();
    if (!token) return fail(token.error());
    o.oauth2_token = std::move(*token);
  } else {
    auto secret = password();
    if (!secret) return fail(secret.error());
    o.password = std::move(*secret);
  }
  return o;
}

net::ConnectOptions IntegrationConfig::imap_connect_options() const {
  return server_options(*this, imap).connect_options(imap.use_ssl, "imap");
}
net::ConnectOptions IntegrationConfig::smtp_connect_options() const {
  return server_options(*this, smtp).connect_options(smtp.use_ssl, "smtp");
}

}  // namespace emailv2::mail
