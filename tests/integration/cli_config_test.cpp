// The real binary with configuration files: 78 exits with the contract messages, the file-mode rule, env overrides,
// the case context and `cases` on an absent store (CONTRACT §1.3, §2, §3.1, §5.6).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "cli_run.h"

namespace emailv2::testing {
namespace {

std::filesystem::path write_config(const TempDir& dir, const std::string& body, mode_t mode = 0600,
                                   const std::string& name = "emailv2.toml") {
  const auto path = dir.path() / name;
  write_file(path, body);
  ::chmod(path.c_str(), mode);
  return path;
}

TEST(CliConfig, NeitherProtocolConfiguredIs78) {
  TempDir dir;
  const auto r = run_cli({"ping"}, {}, dir.path());
  EXPECT_EQ(r.exit_code, 78) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"],
            "Neither IMAP nor SMTP is configured. Please configure at least one of them in the integration "
            "configuration.");
  EXPECT_EQ(r.envelope()["error_code"], "CONFIG_MISSING");
}

TEST(CliConfig, HostileConfigurations) {
  struct Row {
    std::string body;
    std::string message;
    std::string code;
  };
  const Row rows[] = {
      {"[integration]\n\"IMAP Server Address\" = \"127.0.0.1\"\n", "Missing mandatory parameter Username",
       "CONFIG_MISSING"},
      {"[integration]\n\"IMAP Server Address\" = \"127.0.0.1\"\nUsername = \"u\"\n",
       "Missing mandatory parameter Password", "CONFIG_MISSING"},
      {"[integration]\n\"IMAP Port\" = 70000\n",
       "Invalid value for parameter \"IMAP Port\": expected an integer between 1 and 65535, got \"70000\"",
       "CONFIG_INVALID"},
      {"[integration]\nUsername = \"u\\r\\nX\"\n",
       "Invalid value for parameter \"Username\": control characters (CR, LF, NUL) are not allowed", "CONFIG_INVALID"},
      {"[integration]\n\"Verify TLS\" = \"sometimes\"\n",
       "Invalid value for parameter \"Verify TLS\": expected true or false, got \"sometimes\"", "CONFIG_INVALID"},
      {"[integration\n", "", "CONFIG_INVALID"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.body);
    TempDir dir;
    write_config(dir, row.body);
    const auto r = run_cli({"ping"}, {}, dir.path());
    EXPECT_EQ(r.exit_code, 78) << r.out << r.err;
    if (!row.message.empty()) {
      EXPECT_EQ(r.envelope()["output_message"], row.message);
    }
    EXPECT_EQ(r.envelope()["error_code"], row.code);
  }
}

TEST(CliConfig, GroupReadableInlinePasswordIs78) {
  TempDir dir;
  const auto path = write_config(dir, "[integration]\n\"IMAP Server Address\" = \"127.0.0.1\"\nUsername = \"u\"\n"
                                      "Password = \"s3cret-inline\"\n", 0640, "c.toml");
  const auto r = run_cli({"ping", "--config", path.string()}, {}, dir.path());
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.envelope()["output_message"],
            "Configuration file " + path.string() +
                " contains a secret but is readable by group/others; chmod 600 it or use \"Password File\" / "
                "EMAILV2_PASSWORD");
  EXPECT_EQ(r.out.find("s3cret-inline"), std::string::npos);
  EXPECT_EQ(r.err.find("s3cret-inline"), std::string::npos);
}

TEST(CliConfig, ConfigSourcesInOrder) {
  TempDir dir;
  const auto bad = write_config(dir, "[integration]\n\"IMAP Port\" = 0\n", 0600, "bad.toml");
  // ./emailv2.toml is used when present ...
  write_config(dir, "[integration]\n\"SMTP Port\" = 0\n");
  auto r = run_cli({"ping"}, {}, dir.path());
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.envelope()["output_message"].get<std::string>().find("\"SMTP Port\""), std::string::npos);
  // ... EMAILV2_CONFIG beats it ...
  r = run_cli({"ping"}, {{"EMAILV2_CONFIG", bad.string()}}, dir.path());
  EXPECT_NE(r.envelope()["output_message"].get<std::string>().find("\"IMAP Port\""), std::string::npos);
  // ... and an explicit --config that does not exist is an error, not a fallback.
  r = run_cli({"ping", "--config", (dir.path() / "missing.toml").string()}, {{"EMAILV2_CONFIG", bad.string()}},
              dir.path());
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.envelope()["error_code"], "CONFIG_MISSING");
}

TEST(CliConfig, EnvOverridesFileValue) {
  TempDir dir;
  write_config(dir, "[integration]\n\"IMAP Port\" = 0\n");
  const auto r = run_cli({"ping"}, {{"EMAILV2_IMAP_PORT", "993"}}, dir.path());
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.envelope()["output_message"],
            "Neither IMAP nor SMTP is configured. Please configure at least one of them in the integration "
            "configuration.");
}

TEST(CliConfig, JsonConfigAccepted) {
  TempDir dir;
  const auto path = write_config(dir, R"({"integration": {"IMAP Server Address": "127.0.0.1", "IMAP Port": "x"}})",
                                 0600, "c.json");
  const auto r = run_cli({"ping", "--config", path.string()}, {}, dir.path());
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.envelope()["output_message"],
            "Invalid value for parameter \"IMAP Port\": expected an integer between 1 and 65535, got \"x\"");
}

TEST(CliConfig, CaseContextMustExist) {
  TempDir dir;
  const auto r = run_cli({"ping", "--case-id", "42"}, {}, dir.path());
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_EQ(r.envelope()["output_message"], "Case 42 not found in the case store");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "emailv2.sqlite")) << "the check never creates a store";
  const auto env = run_cli({"ping"}, {{"EMAILV2_CASE_ID", "x"}}, dir.path());
  EXPECT_EQ(env.exit_code, 64);
}

TEST(CliConfig, CasesOnAbsentStore) {
  TempDir dir;
  const auto list = run_cli({"cases", "list"}, {}, dir.path());
  EXPECT_EQ(list.exit_code, 0) << list.out << list.err;
  EXPECT_EQ(list.out, "[]\n");
  const auto show = run_cli({"cases", "show", "7", "--store", (dir.path() / "s.sqlite").string()}, {}, dir.path());
  EXPECT_EQ(show.exit_code, 64);
  EXPECT_EQ(show.envelope()["output_message"], "Case 7 not found in the case store");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "s.sqlite"));
}

}  // namespace
}  // namespace emailv2::testing
