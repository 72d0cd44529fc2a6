#include "app/environment.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "core/text.h"

extern char** environ;

namespace emailv2::app {

std::optional<std::string> ProcessEnvironment::get(std::string_view name) const {
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::vector<std::pair<std::string, std::string>> ProcessEnvironment::with_prefix(std::string_view prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos || entry.substr(0, eq).substr(0, prefix.size()) != prefix) continue;
    if (eq < prefix.size()) continue;
    out.emplace_back(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> MapEnvironment::get(std::string_view name) const {
  const auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::string, std::string>> MapEnvironment::with_prefix(std::string_view prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : vars_) {
    if (k.size() >= prefix.size() && std::string_view(k).substr(0, prefix.size()) == prefix) out.emplace_back(k, v);
  }
  return out;
}

std::string env_name(std::string_view prefix, std::string_view key) {
  std::string out = "EMAILV2_";
  out += prefix;
  for (char c : text::normalise_name(key)) {
    out += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return out;
}

}  // namespace emailv2::app
