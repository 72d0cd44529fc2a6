#include "app/config_loader.h"

#include <set>

#include "core/text.h"
#include "mail/integration_config.h"

namespace emailv2::app {
namespace {

constexpr std::string_view kSentinel = "Not yet configured";

bool is_secret_key(std::string_view normalised) {
  for (std::string_view s : kSecretKeys) {
    if (text::normalise_name(s) == normalised) return true;
  }
  return false;
}

bool meaningful(std::string_view v) {
  const std::string_view t = text::trim(v);
  return !t.empty() && !text::iequals_ascii(t, kSentinel);
}

Result<ConfigSection> from_file_entries(std::string table, const RawConfigFile& file,
                                        const std::vector<RawEntry>& entries) {
  ConfigSection section;
  section.table = std::move(table);
  for (const RawEntry& e : entries) {
    const std::string key = text::normalise_name(e.key);
    ConfigValue v{e.value, e.key, "configuration file " + file.path, e.items};
    if (!section.values.emplace(key, std::move(v)).second) {
      return fail(ErrorCode::kConfigInvalid, "Parameter \"" + text::echo_value(e.key) +
                                                 "\" was given more than once in [" + section.table +
                                                 "] of configuration file " + file.path);
    }
  }
  return section;
}

void apply_override(ConfigSection& section, const std::string& key, const std::string& env_var,
                    const std::string& value) {
  section.values[key] = ConfigValue{value, env_var, "environment variable " + env_var, std::nullopt};
}

std::optional<SecretSource> secret_from_env(const Environment& env, const std::string& var) {
  if (auto v = env.get(var); v && !v->empty()) {
    return SecretSource::from_value(Secret(*v), "environment variable " + var);
  }
  if (auto f = env.get(var + "_FILE"); f && !f->empty()) {
    return SecretSource::from_file(*f, "environment variable " + var + "_FILE");
  }
  return std::nullopt;
}

// Resolves one secret key of one table; removes `<key>` and `<key> File` from the plain values.
Result<std::optional<SecretSource>> resolve_secret(ConfigSection& section, const RawConfigFile& file,
                                                   const Environment& env, std::string_view display,
                                                   std::string_view env_prefix, bool fall_back_to_integration_env) {
  const std::string key = text::normalise_name(display);
  const std::string env_var = env_name(env_prefix, display);
  std::optional<ConfigValue> inline_value;
  std::optional<ConfigValue> file_value;
  if (auto it = section.values.find(key); it != section.values.end()) {
    inline_value = it->second;
    section.values.erase(it);
  }
  if (auto it = section.values.find(key + "-file"); it != section.values.end()) {
    file_value = it->second;
    section.values.erase(it);
  }
  const bool inline_from_file = inline_value && meaningful(inline_value->value) &&
                                inline_value->origin.rfind("configuration file", 0) == 0;
  if (inline_from_file && !file.is_private) {
    return fail(ErrorCode::kConfigInvalid, "Configuration file " + file.path +
                                               " contains a secret but is readable by group/others; chmod 600 it "
                                               "or use \"" + std::string(display) + " File\" / " + env_var);
  }
  std::optional<SecretSource> source = secret_from_env(env, env_var);
  if (!source && file_value && meaningful(file_value->value)) {
    source = SecretSource::from_file(std::string(text::trim(file_value->value)), file_value->origin + " (key \"" +
                                                                                      file_value->key_as_written + "\")");
  }
  if (!source && inline_value && meaningful(inline_value->value)) {
    // Secrets are never trimmed: only the sentinel/empty test above looks at the trimmed form.
    source = SecretSource::from_value(Secret(inline_value->value), inline_value->origin);
  }
  if (!source && fall_back_to_integration_env) source = secret_from_env(env, env_name("", display));
  if (source && source->kind() == SecretSource::Kind::kFile) {
    auto check = source->read();
    if (!check) return fail(check.error());
  }
  return source;
}

Status resolve_secrets(ConfigSection& section, const RawConfigFile& file, const Environment& env,
                       std::string_view env_prefix, bool fall_back) {
  for (std::string_view display : kSecretKeys) {
    auto source = resolve_secret(section, file, env, display, env_prefix, fall_back);
    if (!source) return fail(source.error());
    if (*source) section.secrets[text::normalise_name(display)] = std::move(**source);
  }
  return ok();
}

void apply_integration_env(ConfigSection& section, const Environment& env) {
  for (std::string_view display : mail::IntegrationConfig::known_keys()) {
    const std::string key = text::normalise_name(display);
    if (is_secret_key(key)) continue;
    const std::string var = env_name("", display);
    if (auto v = env.get(var)) apply_override(section, key, var, *v);
  }
}

void apply_connector_env(ConfigSection& section, const Environment& env) {
  const std::string prefix = "EMAILV2_CONNECTOR_";
  for (const auto& [var, value] : env.with_prefix(prefix)) {
    std::string key = text::normalise_name(var.substr(prefix.size()));
    if (key.empty() || is_secret_key(key)) continue;
    const bool secret_file = key.size() > 5 && key.compare(key.size() - 5, 5, "-file") == 0 &&
                             is_secret_key(key.substr(0, key.size() - 5));
    if (secret_file) continue;
    apply_override(section, key, var, value);
  }
}

}  // namespace

Result<LoadedConfig> merge_config(const RawConfigFile& file, const Environment& env) {
  LoadedConfig out;
  if (!file.path.empty()) out.path = file.path;
  auto integration = from_file_entries("integration", file, file.integration);
  if (!integration) return fail(integration.error());
  auto connector = from_file_entries("connector", file, file.connector);
  if (!connector) return fail(connector.error());
  out.integration = std::move(*integration);
  out.connector = std::move(*connector);
  apply_integration_env(out.integration, env);
  apply_connector_env(out.connector, env);
  EMAILV2_TRY(resolve_secrets(out.integration, file, env, "", false));
  EMAILV2_TRY(resolve_secrets(out.connector, file, env, "CONNECTOR_", true));
  return out;
}

Result<LoadedConfig> load_config(const std::optional<std::string>& config_option, const Environment& env) {
  const auto path = choose_config_path(config_option, env);
  if (!path) return merge_config(RawConfigFile{}, env);
  auto file = read_config_file(*path);
  if (!file) return fail(file.error());
  return merge_config(*file, env);
}

}  // namespace emailv2::app
