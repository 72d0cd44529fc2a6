#pragma once
// The process environment behind an interface, so configuration loading is unit-tested with a map.

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emailv2::app {

class Environment {
 public:
  virtual ~Environment() = default;
  // The value of a variable; nullopt when unset. An empty value counts as set (callers decide).
  virtual std::optional<std::string> get(std::string_view name) const = 0;
  // Every variable whose name starts with prefix, sorted by name.
  virtual std::vector<std::pair<std::string, std::string>> with_prefix(std::string_view prefix) const = 0;
};

class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> get(std::string_view name) const override;
  std::vector<std::pair<std::string, std::string>> with_prefix(std::string_view prefix) const override;
};

class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  explicit MapEnvironment(const std::map<std::string, std::string>& vars) : vars_(vars.begin(), vars.end()) {}
  MapEnvironment(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}
  void set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  std::optional<std::string> get(std::string_view name) const override;
  std::vector<std::pair<std::string, std::string>> with_prefix(std::string_view prefix) const override;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

// The env name of a configuration key: "EMAILV2_" + prefix + normalise(key) upper-cased with '_' for '-'
// (`SMTP Server Address` -> `EMAILV2_SMTP_SERVER_ADDRESS`; prefix "CONNECTOR_" for the connector table).
std::string env_name(std::string_view prefix, std::string_view key);

}  // namespace emailv2::app
