#include "app/config_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <toml++/toml.h>

#include "core/text.h"

namespace emailv2::app {
namespace {

constexpr std::size_t kMaxConfigBytes = 4 * 1024 * 1024;

Error invalid(std::string_view path, std::string detail) {
  return Error(ErrorCode::kConfigInvalid, "Configuration file " + std::string(path) + ": " + std::move(detail));
}

bool ends_with_json(std::string_view path) {
  return path.size() >= 5 && text::iequals_ascii(path.substr(path.size() - 5), ".json");
}

Error bad_value(std::string_view path, std::string_view table, std::string_view key) {
  return invalid(path, "value of \"" + text::echo_value(key) + "\" in [" + std::string(table) +
                           "] must be a string, boolean, integer or array of strings");
}

// --- TOML ---

Result<RawEntry> toml_entry(std::string_view path, std::string_view table, std::string_view key,
                            const toml::node& node) {
  RawEntry e{std::string(key), {}, std::nullopt};
  if (const auto* s = node.as_string()) {
    e.value = s->get();
  } else if (const auto* b = node.as_boolean()) {
    e.value = b->get() ? "true" : "false";
  } else if (const auto* i = node.as_integer()) {
    e.value = std::to_string(i->get());
  } else if (const auto* a = node.as_array()) {
    std::vector<std::string> items;
    for (const toml::node& item : *a) {
      const auto* text_item = item.as_string();
      if (text_item == nullptr) return fail(bad_value(path, table, key));
      items.push_back(text_item->get());
    }
    for (const auto& item : items) e.value += (e.value.empty() ? "" : ",") + item;
    e.items = std::move(items);
  } else {
    return fail(bad_value(path, table, key));
  }
  return e;
}

Result<RawConfigFile> parse_toml(std::string_view path, std::string_view document) {
  toml::table root;
  try {
    root = toml::parse(document, path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(invalid(path, "invalid TOML at line " + std::to_string(where.line) + ", column " +
                                  std::to_string(where.column) + ": " + text::echo_value(e.description())));
  }
  RawConfigFile out;
  out.path = std::string(path);
  for (const auto& [key, node] : root) {
    const std::string_view k = key.str();
    std::vector<RawEntry>* target = k == "integration" ? &out.integration : k == "connector" ? &out.connector : nullptr;
    const toml::table* table = node.as_table();
    if (target == nullptr || table == nullptr) {
      return fail(invalid(path, "unknown top-level key \"" + text::echo_value(k) +
                                    "\" (expected the tables [integration] and [connector])"));
    }
    for (const auto& [inner_key, inner] : *table) {
      auto entry = toml_entry(path, k, inner_key.str(), inner);
      if (!entry) return fail(entry.error());
      target->push_back(std::move(*entry));
    }
  }
  return out;
}

// --- JSON ---

Result<RawEntry> json_entry(std::string_view path, std::string_view table, const std::string& key,
                            const nlohmann::ordered_json& v) {
  RawEntry e{key, {}, std::nullopt};
  if (v.is_string()) {
    e.value = v.get<std::string>();
  } else if (v.is_boolean()) {
    e.value = v.get<bool>() ? "true" : "false";
  } else if (v.is_number_integer() || v.is_number_unsigned()) {
    e.value = v.dump();
  } else if (v.is_array()) {
    std::vector<std::string> items;
    for (const auto& item : v) {
      if (!item.is_string()) return fail(bad_value(path, table, key));
      items.push_back(item.get<std::string>());
    }
    for (const auto& item : items) e.value += (e.value.empty() ? "" : ",") + item;
    e.items = std::move(items);
  } else if (!v.is_null()) {
    return fail(bad_value(path, table, key));
  }
  return e;
}

Result<RawConfigFile> parse_json(std::string_view path, std::string_view document) {
  nlohmann::ordered_json root;
  try {
    root = nlohmann::ordered_json::parse(document.begin(), document.end());
  } catch (const nlohmann::json::parse_error& e) {
    return fail(invalid(path, "invalid JSON at offset " + std::to_string(e.byte)));
  } catch (const nlohmann::json::exception&) {
    // e.g. out_of_range for a number too large for a double: still invalid input, not a bug.
    return fail(invalid(path, "invalid JSON: a number is out of range"));
  }
  if (!root.is_object()) return fail(invalid(path, "expected a JSON object with \"integration\" and \"connector\""));
  RawConfigFile out;
  out.path = std::string(path);
  for (const auto& [key, node] : root.items()) {
    std::vector<RawEntry>* target = key == "integration" ? &out.integration
                                    : key == "connector" ? &out.connector
                                                         : nullptr;
    if (target == nullptr || !node.is_object()) {
      return fail(invalid(path, "unknown top-level key \"" + text::echo_value(key) +
                                    "\" (expected the objects \"integration\" and \"connector\")"));
    }
    for (const auto& [inner_key, inner] : node.items()) {
      auto entry = json_entry(path, key, inner_key, inner);
      if (!entry) return fail(entry.error());
      target->push_back(std::move(*entry));
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> choose_config_path(const std::optional<std::string>& option, const Environment& env) {
  if (option && !option->empty()) return option;
  if (auto v = env.get("EMAILV2_CONFIG"); v && !v->empty()) return v;
  std::error_code ec;
  if (std::filesystem::exists("emailv2.toml", ec)) return std::string("./emailv2.toml");
  return std::nullopt;
}

Result<RawConfigFile> parse_config_text(std::string_view path, std::string_view document) {
  return ends_with_json(path) ? parse_json(path, document) : parse_toml(path, document);
}

Result<RawConfigFile> read_config_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return fail(ErrorCode::kConfigMissing, "Cannot read configuration file " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return fail(ErrorCode::kConfigMissing, "Cannot read configuration file " + path + ": not a regular file");
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxConfigBytes) {
    return fail(invalid(path, "larger than 4 MiB"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kConfigMissing, "Cannot read configuration file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto parsed = parse_config_text(path, buffer.str());
  if (!parsed) return parsed;
  parsed->is_private = st.st_uid == ::geteuid() && (st.st_mode & 077) == 0;
  return parsed;
}

}  // namespace emailv2::app
