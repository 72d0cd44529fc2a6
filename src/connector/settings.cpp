#include "connector/settings.h"

#include <set>

#include "connector/settings_rules.h"
#include "core/limits.h"
#include "core/param_values.h"
#include "core/text.h"

namespace emailv2::connector {
namespace {

namespace pv = param_values;

constexpr std::string_view kSentinel = "Not yet configured";

// D display names of the [connector] table (CONTRACT §5.1), then the [add] transport keys it may override.
const std::vector<std::string_view> kKeys = {
    "Default Environment", "Run Every", "Product Field Name", "Event Field Name",
    "Additional headers to extract from emails", "Script Timeout (Seconds)", "IMAP Server Address", "IMAP Port",
    "Username", "Password", "Folder to check for emails", "Server Time Zone", "Environment Field Name",
    "Environment Regex Pattern", "IMAP USE SSL", "Unread Emails Only", "Mark Emails as Read", "Attach Original EML",
    "Regex expressions to handle forwarded emails", "Exclusion Body Regex", "Exclusion Subject Regex",
    "Offset Time In Days", "Max Emails Per Cycle", "Proxy Server Address", "Proxy Username", "Proxy Password",
    "Create a Separate Siemplify Alert per Attached Mail File?", "Original Received Mail Prefix",
    "Attached Mail File Prefix", "Dynamic List",
    // [add] transport keys: inherited from [integration] unless set here.
    "Verify TLS", "CA File", "TLS Pinned SHA-256", "IMAP STARTTLS", "Connect Timeout (Seconds)",
    "Operation Timeout (Seconds)", "Authentication Method", "OAuth2 Access Token", "Max Message Size (MB)"};

const std::vector<std::string_view> kInheritedKeys = {
    "Verify TLS", "CA File", "TLS Pinned SHA-256", "IMAP STARTTLS", "Connect Timeout (Seconds)",
    "Operation Timeout (Seconds)", "Authentication Method", "Max Message Size (MB)"};

// O's PropertyNames whose normalised form differs from the D name.
struct Alias {
  std::string_view d_name, o_name;
};
constexpr Alias kAliases[] = {{"Product Field Name", "DeviceProductField"},
                              {"Event Field Name", "EventClassId"},
                              {"Script Timeout (Seconds)", "PythonProcessTimeout"}};

class Reader {
 public:
  explicit Reader(const ConfigSection& s) : section_(s) {}

  const ConfigValue* find(std::string_view name) const {
    if (const ConfigValue* v = section_.find(text::normalise_name(name))) return v;
    for (const Alias& a : kAliases)
      if (a.d_name == name) return section_.find(text::normalise_name(a.o_name));
    return nullptr;
  }
  // The trimmed value, or nullopt when absent or empty (or the sentinel when `sentinel_unconfigured`).
  std::optional<std::string> text(std::string_view name, bool sentinel_unconfigured = false) const {
    const ConfigValue* v = find(name);
    if (v == nullptr) return std::nullopt;
    const std::string_view t = text::trim(v->value);
    if (t.empty() || (sentinel_unconfigured && text::iequals_ascii(t, kSentinel))) return std::nullopt;
    return std::string(t);
  }
  // text() after the control characters rule on the raw value.
  Result<std::optional<std::string>> line(std::string_view name, bool sentinel_unconfigured = false) const {
    if (const ConfigValue* v = find(name)) {
      if (auto s = pv::check_no_line_breaks(name, v->value); !s) return fail(pv::as_config_error(s.error()));
    }
    return text(name, sentinel_unconfigured);
  }
  Result<bool> checkbox(std::string_view name, bool fallback) const {
    auto t = text(name);
    if (!t) return fallback;
    auto b = pv::parse_checkbox(name, *t);
    if (!b) return fail(pv::as_config_error(b.error()));
    return *b;
  }
  Result<int> integer(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t fallback) const {
    auto t = text(name);
    if (!t) return static_cast<int>(fallback);
    auto i = pv::parse_integer(name, *t, min, max);
    if (!i) return fail(pv::as_config_error(i.error()));
    return static_cast<int>(*i);
  }
  Result<std::shared_ptr<const re2::RE2>> regex(std::string_view name) const {
    const ConfigValue* v = find(name);
    if (v == nullptr || text::trim(v->value).empty()) return std::shared_ptr<const re2::RE2>();
    return rules::compile(name, v->value);  // a regex is used as written (leading blanks may matter)
  }

 private:
  const ConfigSection& section_;
};

Status check_unknown_keys(const ConfigSection& section) {
  std::set<std::string> known;
  for (std::string_view k : kKeys) known.insert(text::normalise_name(k));
  for (const Alias& a : kAliases) known.insert(text::normalise_name(a.o_name));
  for (const auto& [key, value] : section.values) {
    if (known.count(key) == 0) {
      return fail(ErrorCode::kConfigInvalid, "Unknown configuration key \"" + text::echo_value(value.key_as_written) +
                                                 "\" in [connector] (" + value.origin + ")");
    }
  }
  for (const Alias& a : kAliases) {
    if (section.find(text::normalise_name(a.d_name)) != nullptr &&
        section.find(text::normalise_name(a.o_name)) != nullptr) {
      return fail(ErrorCode::kConfigInvalid, "Parameter \"" + std::string(a.d_name) + "\" was given more than once (as \"" +
                                                 std::string(a.d_name) + "\" and \"" + std::string(a.o_name) + "\")");
    }
  }
  return ok();
}

ConfigValue synthetic(std::string value, std::string_view key) {
  return ConfigValue{std::move(value), std::string(key), "[connector]", std::nullopt};
}

// The connection: the connector's documented keys, the [add] transport keys (connector first, else integration),
// Instance Name of the integration. Validated by mail::IntegrationConfig::from_section (same rules and messages).
Result<mail::IntegrationConfig> connection(const ConfigSection& connector, const ConfigSection& integration,
                                           const std::string& host, int port, bool use_ssl,
                                           const std::string& username) {
  ConfigSection merged;
  merged.table = "connector";
  auto put = [&](std::string_view key, ConfigValue v) { merged.values[text::normalise_name(key)] = std::move(v); };
  if (const ConfigValue* v = integration.find("instance-name")) put("Instance Name", *v);
  put("IMAP Server Address", synthetic(host, "IMAP Server Address"));
  put("IMAP Port", synthetic(std::to_string(port), "IMAP Port"));
  put("IMAP \xE2\x80\x93 Use SSL", synthetic(use_ssl ? "true" : "false", "IMAP USE SSL"));
  put("Username", synthetic(username, "Username"));
  for (std::string_view key : {std::string_view("Proxy Server Address"), std::string_view("Proxy Username")}) {
    if (const ConfigValue* v = connector.find(text::normalise_name(key))) put(key, *v);
  }
  for (std::string_view key : kInheritedKeys) {
    const std::string k = text::normalise_name(key);
    if (const ConfigValue* v = connector.find(k)) {
      put(key, *v);
    } else if (const ConfigValue* iv = integration.find(k)) {
      put(key, *iv);
    }
  }
  if (const SecretSource* s = connector.find_secret("password")) merged.secrets["password"] = *s;
  if (const SecretSource* s = connector.find_secret("proxy-password")) merged.secrets["proxy-password"] = *s;
  if (const SecretSource* s = connector.find_secret("oauth2-access-token")) {
    merged.secrets["oauth2-access-token"] = *s;
  } else if (const SecretSource* is = integration.find_secret("oauth2-access-token")) {
    merged.secrets["oauth2-access-token"] = *is;
  }
  return mail::IntegrationConfig::from_section(merged);
}

Status read_folders(const Reader& r, Settings& s) {
  constexpr std::string_view kName = "Folder to check for emails";
  auto raw = r.line(kName);
  if (!raw) return fail(raw.error());
  if (!*raw) {
    s.folders = {"Inbox"};
    return ok();
  }
  for (std::string& f : pv::split_csv(**raw)) {
    bool seen = false;
    for (const std::string& g : s.folders) seen = seen || g == f || (text::iequals_ascii(g, "INBOX") && text::iequals_ascii(f, "INBOX"));
    if (!seen) s.folders.push_back(std::move(f));
  }
  if (s.folders.empty()) return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter " + std::string(kName));
  if (auto c = pv::check_item_count(kName, s.folders.size(), limits::kMaxFolders); !c) {
    return fail(pv::as_config_error(c.error()));
  }
  return ok();
}

Status read_names(const Reader& r, Settings& s) {
  if (auto v = r.text("Default Environment")) s.default_environment = *v;
  if (auto v = r.text("Product Field Name")) s.product_field_name = *v;
  if (auto v = r.text("Event Field Name")) s.event_field_name = *v;
  if (auto v = r.text("Environment Field Name")) s.environment_field_name = *v;
  if (auto v = r.text("Run Every")) {
    auto d = parse_duration("Run Every", *v);
    if (!d) return fail(d.error());
    s.run_every = *d;
  }
  if (auto v = r.text("Server Time Zone")) {
    EMAILV2_TRY(rules::check_server_time_zone(*v));
    s.server_time_zone = *v;
  }
  // A prefix set to "" is the empty prefix (O: keys unprefixed and unsuffixed); absent → the default.
  const std::pair<std::string_view, std::string*> prefixes[] = {{"Original Received Mail Prefix", &s.original_prefix},
                                                                {"Attached Mail File Prefix", &s.attached_prefix}};
  for (const auto& [name, target] : prefixes) {
    if (const ConfigValue* v = r.find(name)) {
      EMAILV2_TRY(rules::check_prefix(name, v->value));
      *target = v->value;
    }
  }
  return ok();
}

Status read_flags_and_numbers(const Reader& r, Settings& s) {
  const std::pair<std::string_view, bool*> boxes[] = {
      {"IMAP USE SSL", &s.use_ssl},
      {"Unread Emails Only", &s.unread_only},
      {"Mark Emails as Read", &s.mark_as_read},
      {"Attach Original EML", &s.attach_original_eml},
      {"Create a Separate Siemplify Alert per Attached Mail File?", &s.separate_alert_per_attached_mail}};
  for (const auto& [name, target] : boxes) {
    auto b = r.checkbox(name, *target);
    if (!b) return fail(b.error());
    *target = *b;
  }
  auto timeout = r.integer("Script Timeout (Seconds)", 10, 3600, 60);
  if (!timeout) return fail(timeout.error());
  s.script_timeout = std::chrono::seconds(*timeout);
  auto offset = r.integer("Offset Time In Days", 0, 3650, 5);
  if (!offset) return fail(offset.error());
  s.offset_days = *offset;
  auto max = r.integer("Max Emails Per Cycle", 1, 10000, 10);
  if (!max) return fail(max.error());
  s.max_emails_per_cycle = *max;
  return ok();
}

Status read_regexes(const Reader& r, Settings& s) {
  if (auto v = r.text("Additional headers to extract from emails")) {
    auto h = rules::parse_header_rules(*v);
    if (!h) return fail(h.error());
    s.additional_header_rules = std::move(*h);
    for (const HeaderRule& rule : s.additional_header_rules) s.additional_headers.push_back(rule.regex);
  }
  auto env = r.regex("Environment Regex Pattern");
  if (!env) return fail(env.error());
  s.environment_regex = std::move(*env);
  s.forward_regexes = mime::ForwardRegexes::defaults();
  if (auto v = r.text("Regex expressions to handle forwarded emails")) {
    auto f = rules::parse_forward_regexes(*v);
    if (!f) return fail(f.error());
    s.forward_regexes = std::move(*f);
  }
  auto body = r.regex("Exclusion Body Regex");
  if (!body) return fail(body.error());
  s.exclusion_body_regex = std::move(*body);
  auto subject = r.regex("Exclusion Subject Regex");
  if (!subject) return fail(subject.error());
  s.exclusion_subject_regex = std::move(*subject);
  const ConfigValue* dyn = r.find("Dynamic List");
  auto list = rules::parse_dynamic_list(dyn != nullptr && dyn->items ? &*dyn->items : nullptr,
                                        dyn != nullptr ? std::string_view(dyn->value) : std::string_view());
  if (!list) return fail(list.error());
  s.dynamic_list = std::move(*list);
  return ok();
}

}  // namespace

const std::vector<std::string_view>& known_keys() { return kKeys; }

Result<Settings> load_settings(const ConfigSection& connector, const ConfigSection& integration) {
  EMAILV2_TRY(check_unknown_keys(connector));
  const Reader r(connector);
  Settings s;
  EMAILV2_TRY(read_flags_and_numbers(r, s));
  auto host = r.line("IMAP Server Address", true);
  if (!host) return fail(host.error());
  if (!*host) return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter IMAP Server Address");
  if (!r.text("IMAP Port", true)) return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter IMAP Port");
  auto port = r.integer("IMAP Port", 1, 65535, 0);
  if (!port) return fail(port.error());
  auto user = r.line("Username");
  if (!user) return fail(user.error());
  if (!*user) return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter Username");
  s.username = **user;
  EMAILV2_TRY(read_folders(r, s));
  EMAILV2_TRY(read_names(r, s));
  EMAILV2_TRY(read_regexes(r, s));

  auto mail = connection(connector, integration, **host, *port, s.use_ssl, s.username);
  if (!mail) return fail(mail.error());
  s.mail = std::move(*mail);
  if (s.mail.auth_method == mail::AuthMethod::kXoauth2) {
    if (!s.mail.oauth2_token_source.configured()) {
      return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter OAuth2 Access Token");
    }
  } else if (!s.mail.password_source.configured()) {
    return fail(ErrorCode::kConfigMissing, "Missing mandatory parameter Password");
  }
  s.instance = s.mail.instance_name;
  s.account = s.username + "@" + s.mail.imap.host + ":" + std::to_string(s.mail.imap.port);
  return s;
}

}  // namespace emailv2::connector
