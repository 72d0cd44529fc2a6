#pragma once
// Shared helpers of the connector unit tests: configuration sections and valid settings.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "connector/settings.h"
#include "core/text.h"

namespace emailv2::connector::test {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

inline ConfigSection section(const std::string& table, const KeyValues& kv) {
  ConfigSection s;
  s.table = table;
  for (const auto& [k, v] : kv) s.values[text::normalise_name(k)] = ConfigValue{v, k, "test", std::nullopt};
  return s;
}

// The minimal valid [connector]: host, port, username and a password.
inline KeyValues minimal() {
  return {{"IMAP Server Address", "imap.example.com"}, {"IMAP Port", "993"}, {"Username", "soc@example.com"}};
}

inline ConfigSection connector_section(KeyValues extra, bool with_password = true) {
  KeyValues kv = minimal();
  for (auto& e : extra) {
    bool replaced = false;
    for (auto& m : kv)
      if (text::normalise_name(m.first) == text::normalise_name(e.first)) {
        m.second = e.second;
        replaced = true;
      }
    if (!replaced) kv.push_back(e);
  }
  ConfigSection s = section("connector", kv);
  if (with_password) s.secrets["password"] = SecretSource::from_value(Secret("pw"), "test");
  return s;
}

inline Settings settings(KeyValues extra = {}) {
  auto s = load_settings(connector_section(std::move(extra)), section("integration", {}));
  EXPECT_TRUE(s) << (s ? "" : s.error().to_string());
  return s ? *s : Settings{};
}

}  // namespace emailv2::connector::test
