#pragma once
// Merges the configuration file, the environment overrides and the secret sources into two ConfigSections
// (CONTRACT §1.3). Pure over its inputs (the parsed file and an Environment), except that secret files are read
// once to check they are readable.
//
//  * Overrides: `EMAILV2_<KEY>` for each `[integration]` key, `EMAILV2_CONNECTOR_<KEY>` for any connector key;
//    env > file > default. Two file keys normalising alike: `Parameter "<key>" was given more than once ...`.
//  * Secrets (Password, Proxy Password, OAuth2 Access Token), first source wins: env `EMAILV2_<KEY>` → env
//    `EMAILV2_<KEY>_FILE` → file `<Key> File` → inline `<Key>`. The connector table uses `EMAILV2_CONNECTOR_...`
//    and its own keys first, then falls back to the integration's environment variables.
//  * An inline secret in a file that is not private → CONFIG_INVALID `Configuration file <path> contains a secret
//    but is readable by group/others; chmod 600 it or use "<Key> File" / EMAILV2_<KEY>`.
//  * Empty values and the "Not yet configured" sentinel of secrets count as absent.

#include <optional>
#include <string>

#include "app/config_file.h"
#include "app/environment.h"
#include "core/config_section.h"
#include "core/result.h"

namespace emailv2::app {

struct LoadedConfig {
  std::optional<std::string> path;
  ConfigSection integration;
  ConfigSection connector;
};

Result<LoadedConfig> merge_config(const RawConfigFile& file, const Environment& env);

// choose_config_path + read_config_file + merge_config.
Result<LoadedConfig> load_config(const std::optional<std::string>& config_option, const Environment& env);

}  // namespace emailv2::app
