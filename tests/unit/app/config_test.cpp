// Configuration loading (CONTRACT §1.3): TOML/JSON tables, normalised keys, env overrides, secret sources and the
// file-mode rule.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "app/config_file.h"
#include "app/config_loader.h"
#include "mail/integration_config.h"
#include "support/test_env.h"

namespace emailv2::app {
namespace {

using emailv2::testing::TempDir;
using emailv2::testing::write_file;

RawConfigFile parsed(std::string_view path, std::string_view doc) {
  auto r = parse_config_text(path, doc);
  EXPECT_TRUE(r) << (r ? "" : r.error().detail());
  return r ? *r : RawConfigFile{};
}

TEST(ConfigFile, HostileDocuments) {
  struct Row {
    std::string path, doc, starts_with;
  };
  const Row rows[] = {
      {"c.toml", "[integration\n", "Configuration file c.toml: invalid TOML at line 1"},
      {"c.toml", "[other]\nx = 1\n", "Configuration file c.toml: unknown top-level key \"other\""},
      {"c.toml", "loose = 1\n", "Configuration file c.toml: unknown top-level key \"loose\""},
      {"c.toml", "[integration]\n\"IMAP Port\" = 1.5\n",
       "Configuration file c.toml: value of \"IMAP Port\" in [integration] must be a string"},
      {"c.toml", "[integration]\nx = { a = 1 }\n", "Configuration file c.toml: value of \"x\" in [integration]"},
      {"c.toml", "[connector]\nx = [1, 2]\n", "Configuration file c.toml: value of \"x\" in [connector]"},
      {"c.json", "{\"integration\": ", "Configuration file c.json: invalid JSON at offset"},
      {"c.json", "[]", "Configuration file c.json: expected a JSON object"},
      {"c.json", "{\"integration\": {\"a\": 9e99999}}", "Configuration file c.json: invalid JSON: a number is out of range"},
      {"c.json", "{\"integration\": {\"a\": 1.5}}", "Configuration file c.json: value of \"a\" in [integration]"},
  };
  for (const auto& row : rows) {
    auto r = parse_config_text(row.path, row.doc);
    ASSERT_FALSE(r) << row.doc;
    EXPECT_EQ(r.error().code(), ErrorCode::kConfigInvalid);
    EXPECT_EQ(r.error().detail().rfind(row.starts_with, 0), 0u) << r.error().detail();
  }
}

TEST(ConfigFile, TomlValuesBecomeText) {
  const auto f = parsed("c.toml",
                        "[integration]\n\"IMAP Port\" = 993\n\"IMAP - Use SSL\" = true\nUsername = \"soc\"\n"
                        "[connector]\n\"Dynamic List\" = [\"subject: Subject: (.*)\", \"to: a,b\"]\n");
  ASSERT_EQ(f.integration.size(), 3u);
  std::map<std::string, std::string> by_key;
  for (const auto& e : f.integration) by_key[e.key] = e.value;
  EXPECT_EQ(by_key["IMAP Port"], "993");
  EXPECT_EQ(by_key["IMAP - Use SSL"], "true");
  EXPECT_EQ(by_key["Username"], "soc");
  ASSERT_EQ(f.connector.size(), 1u);
  ASSERT_TRUE(f.connector[0].items);
  EXPECT_EQ(f.connector[0].items->at(1), "to: a,b");
}

TEST(ConfigFile, JsonTables) {
  const auto f = parsed("c.json", R"({"integration": {"IMAP Port": 993, "Verify TLS": false}, "connector": {}})");
  ASSERT_EQ(f.integration.size(), 2u);
  EXPECT_EQ(f.integration[0].key, "IMAP Port");
  EXPECT_EQ(f.integration[1].value, "false");
}

TEST(ConfigFile, ExplicitFileMissingIs78) {
  auto r = read_config_file("/nonexistent/emailv2.toml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kConfigMissing);
  EXPECT_EQ(r.error().exit_code(), 78);
}

TEST(ConfigLoader, DuplicateKeysNormalisingAlike) {
  const auto f = parsed("c.toml", "[integration]\n\"IMAP Port\" = 1\nimap_port = 2\n");
  auto r = merge_config(f, MapEnvironment());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail(),
            "Parameter \"imap_port\" was given more than once in [integration] of configuration file c.toml");
  EXPECT_EQ(r.error().exit_code(), 78);
}

TEST(ConfigLoader, EnvOverridesFile) {
  auto f = parsed("c.toml", "[integration]\n\"IMAP Server Address\" = \"file.host\"\n[connector]\n\"Max Emails Per Cycle\" = 5\n");
  MapEnvironment env({{"EMAILV2_IMAP_SERVER_ADDRESS", "env.host"}, {"EMAILV2_SMTP_PORT", "2525"},
                      {"EMAILV2_CONNECTOR_MAX_EMAILS_PER_CYCLE", "7"}});
  auto r = merge_config(f, env);
  ASSERT_TRUE(r) << r.error().detail();
  EXPECT_EQ(r->integration.find("imap-server-address")->value, "env.host");
  EXPECT_EQ(r->integration.find("imap-server-address")->origin, "environment variable EMAILV2_IMAP_SERVER_ADDRESS");
  EXPECT_EQ(r->integration.find("smtp-port")->value, "2525");
  EXPECT_EQ(r->connector.find("max-emails-per-cycle")->value, "7");
  EXPECT_EQ(env_name("", "Sender's Address"), "EMAILV2_SENDER_S_ADDRESS");
  EXPECT_EQ(env_name("CONNECTOR_", "Folder to check for emails"), "EMAILV2_CONNECTOR_FOLDER_TO_CHECK_FOR_EMAILS");
}

TEST(ConfigLoader, InlineSecretNeedsPrivateFile) {
  auto f = parsed("/etc/c.toml", "[integration]\nPassword = \"hunter2\"\n");
  f.is_private = false;
  auto r = merge_config(f, MapEnvironment());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kConfigInvalid);
  EXPECT_EQ(r.error().detail(),
            "Configuration file /etc/c.toml contains a secret but is readable by group/others; chmod 600 it or use "
            "\"Password File\" / EMAILV2_PASSWORD");
  EXPECT_EQ(r.error().detail().find("hunter2"), std::string::npos);
  auto c = parsed("/etc/c.toml", "[connector]\n\"Proxy Password\" = \"pp\"\n");
  c.is_private = false;
  auto rc = merge_config(c, MapEnvironment());
  ASSERT_FALSE(rc);
  EXPECT_NE(rc.error().detail().find("\"Proxy Password File\" / EMAILV2_CONNECTOR_PROXY_PASSWORD"), std::string::npos);
  f.is_private = true;
  auto ok_private = merge_config(f, MapEnvironment());
  ASSERT_TRUE(ok_private);
  EXPECT_EQ(ok_private->integration.find_secret("password")->read()->reveal(), "hunter2");
  EXPECT_EQ(ok_private->integration.find("password"), nullptr);  // never among plain values
}

TEST(ConfigLoader, SecretSourcePrecedence) {
  TempDir dir;
  write_file(dir.path() / "env-file", "from-env-file\n");
  write_file(dir.path() / "cfg-file", "from-config-file\r\n");
  const std::string cfg = "[integration]\nPassword = \" inline \"\n\"Password File\" = \"" +
                          (dir.path() / "cfg-file").string() + "\"\n";
  struct Row {
    std::map<std::string, std::string> env;
    std::string expected;
  };
  const Row rows[] = {
      {{{"EMAILV2_PASSWORD", "from-env"}, {"EMAILV2_PASSWORD_FILE", (dir.path() / "env-file").string()}}, "from-env"},
      {{{"EMAILV2_PASSWORD_FILE", (dir.path() / "env-file").string()}}, "from-env-file"},
      {{}, "from-config-file"},
  };
  for (const auto& row : rows) {
    auto r = merge_config(parsed("c.toml", cfg), MapEnvironment(row.env));
    ASSERT_TRUE(r) << r.error().detail();
    EXPECT_EQ(r->integration.find_secret("password")->read()->reveal(), row.expected);
  }
  // Inline last, never trimmed.
  auto inline_only = merge_config(parsed("c.toml", "[integration]\nPassword = \" inline \"\n"), MapEnvironment());
  ASSERT_TRUE(inline_only);
  EXPECT_EQ(inline_only->integration.find_secret("password")->read()->reveal(), " inline ");
}

TEST(ConfigLoader, SecretFileLosesExactlyOneLineEnding) {
  TempDir dir;
  const std::pair<std::string, std::string> rows[] = {
      {"pw\n", "pw"}, {"pw\r\n", "pw"}, {"pw\n\n", "pw\n"}, {" pw \t", " pw \t"}, {"pw\r", "pw\r"}, {"pw", "pw"}};
  for (const auto& [content, expected] : rows) {
    write_file(dir.path() / "s", content);
    auto r = merge_config(RawConfigFile{}, MapEnvironment({{"EMAILV2_PASSWORD_FILE", (dir.path() / "s").string()}}));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->integration.find_secret("password")->read()->reveal(), expected);
  }
}

TEST(ConfigLoader, UnreadableSecretFileIs78) {
  auto r = merge_config(RawConfigFile{}, MapEnvironment({{"EMAILV2_PASSWORD_FILE", "/nonexistent/pw"}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kConfigInvalid);
  EXPECT_EQ(r.error().detail().rfind("Cannot read secret file /nonexistent/pw (environment variable "
                                     "EMAILV2_PASSWORD_FILE): ", 0), 0u)
      << r.error().detail();
}

TEST(ConfigLoader, ConnectorSecretsFallBackToIntegrationEnv) {
  auto r = merge_config(RawConfigFile{}, MapEnvironment({{"EMAILV2_PASSWORD", "shared"}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->connector.find_secret("password")->read()->reveal(), "shared");
  auto own = merge_config(RawConfigFile{}, MapEnvironment({{"EMAILV2_PASSWORD", "shared"},
                                                           {"EMAILV2_CONNECTOR_PASSWORD", "own"}}));
  EXPECT_EQ(own->connector.find_secret("password")->read()->reveal(), "own");
}

TEST(ConfigLoader, SentinelSecretIsUnconfigured) {
  auto f = parsed("c.toml", "[integration]\nPassword = \"Not yet configured\"\n");
  f.is_private = false;
  auto r = merge_config(f, MapEnvironment());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->integration.find_secret("password"), nullptr);
}

TEST(ConfigLoader, FileModeFromDisk) {
  TempDir dir;
  const auto path = dir.path() / "c.toml";
  write_file(path, "[integration]\nUsername = \"u\"\n");
  ::chmod(path.c_str(), 0640);
  auto open = read_config_file(path.string());
  ASSERT_TRUE(open);
  EXPECT_FALSE(open->is_private);
  ::chmod(path.c_str(), 0600);
  auto closed = read_config_file(path.string());
  ASSERT_TRUE(closed);
  EXPECT_TRUE(closed->is_private);
}

TEST(ConfigLoader, EndToEndTyped) {
  auto f = parsed("c.toml",
                  "[integration]\n\"Sender's address\" = \"soc@lab.test\"\n\"IMAP Server Address\" = \"127.0.0.1\"\n"
                  "\"IMAP USE SSL\" = false\nUsername = \"soc@lab.test\"\n");
  auto loaded = merge_config(f, MapEnvironment({{"EMAILV2_PASSWORD", "pw"}}));
  ASSERT_TRUE(loaded);
  auto typed = mail::IntegrationConfig::from_section(loaded->integration);
  ASSERT_TRUE(typed) << typed.error().detail();
  EXPECT_EQ(typed->imap.port, 143);
  EXPECT_TRUE(typed->require_imap());
  EXPECT_EQ(typed->password()->reveal(), "pw");
}

}  // namespace
}  // namespace emailv2::app
