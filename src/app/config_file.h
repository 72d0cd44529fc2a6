#pragma once
// Reading the configuration file (CONTRACT §1.3): which file, its format (TOML, or JSON when the name ends in
// `.json`), its two tables `integration` and `connector`, and whether it is private (owned by this user, no group
// or other access: the condition for inline secrets). The file is never written.
//
// Values may be strings, booleans, integers, or arrays of strings (the connector's Dynamic List); anything else,
// an unknown top-level key or a syntax error is CONFIG_INVALID (exit 78). An explicitly named file that cannot be
// read is CONFIG_MISSING.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/environment.h"
#include "core/result.h"

namespace emailv2::app {

struct RawEntry {
  std::string key;                                // as written in the file
  std::string value;                              // text; arrays joined with ','
  std::optional<std::vector<std::string>> items;  // set for arrays
};

struct RawConfigFile {
  std::string path;  // empty: no file
  bool is_private = true;
  std::vector<RawEntry> integration;
  std::vector<RawEntry> connector;
};

// --config FILE, else EMAILV2_CONFIG, else ./emailv2.toml when it exists, else none (empty path).
std::optional<std::string> choose_config_path(const std::optional<std::string>& option, const Environment& env);

// Parses a document; `path` names it in messages and picks the format by extension.
Result<RawConfigFile> parse_config_text(std::string_view path, std::string_view document);

// Reads and parses the file, and fills is_private from its owner and mode.
Result<RawConfigFile> read_config_file(const std::string& path);

}  // namespace emailv2::app
