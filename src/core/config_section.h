#pragma once
// One loaded configuration table (`[integration]` or `[connector]`, CONTRACT §1.3) after the file, the environment
// overrides and the secret sources were merged, but before typing: keys are normalised names (§1.1), values are
// text (TOML/JSON booleans become "true"/"false", integers their decimal form). The app layer builds it; typed
// views (mail::IntegrationConfig, the connector's config) validate it.
//
// Secrets never sit in `values`: each secret key (`password`, `proxy-password`, `oauth2-access-token`) maps to a
// SecretSource that remembers where the value comes from, so a token file can be re-read at every connection.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/secret.h"

namespace emailv2 {

class SecretSource {
 public:
  enum class Kind { kNone, kValue, kFile };

  SecretSource() = default;
  // A value from the environment or an inline configuration entry. `origin` names it for messages, e.g.
  // "environment variable EMAILV2_PASSWORD"; it never contains the value.
  static SecretSource from_value(Secret value, std::string origin);
  // A file named by `<Key> File` or `EMAILV2_<KEY>_FILE`.
  static SecretSource from_file(std::string path, std::string origin);

  Kind kind() const { return kind_; }
  bool configured() const { return kind_ != Kind::kNone; }
  const std::string& origin() const { return origin_; }
  const std::string& path() const { return path_; }

  // The secret now. A file is read again at every call and loses exactly one trailing "\n" or "\r\n" (nothing
  // else). Errors: CONFIG_INVALID `Cannot read secret file <path> (<origin>): <reason>`.
  Result<Secret> read() const;

 private:
  Kind kind_ = Kind::kNone;
  Secret value_;
  std::string path_;
  std::string origin_;
};

// The secret keys of both tables (D names). Each may also come from `<Key> File`, `EMAILV2_<KEY>` and
// `EMAILV2_<KEY>_FILE` (CONTRACT §1.3).
inline constexpr std::string_view kSecretKeys[] = {"Password", "Proxy Password", "OAuth2 Access Token"};

// Removes exactly one trailing "\n" or "\r\n".
std::string strip_one_line_ending(std::string text);

struct ConfigValue {
  std::string value;           // as text; never a secret
  std::string key_as_written;  // for messages: the key in the file or the environment variable name
  std::string origin;          // "configuration file <path>" or "environment variable EMAILV2_..."
  std::optional<std::vector<std::string>> items;  // set when the file gave an array of strings
};

struct ConfigSection {
  std::string table;                             // "integration" or "connector"
  std::map<std::string, ConfigValue> values;     // normalised key -> value
  std::map<std::string, SecretSource> secrets;   // normalised secret key -> where it comes from

  const ConfigValue* find(std::string_view normalised_key) const;
  const SecretSource* find_secret(std::string_view normalised_key) const;
};

}  // namespace emailv2
