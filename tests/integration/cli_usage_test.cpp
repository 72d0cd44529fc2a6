// The real binary: usage errors, help, version, the envelope shape and exit codes (CONTRACT §1.1, §1.2, §1.4).
#include <gtest/gtest.h>

#include "cli_run.h"

namespace emailv2::testing {
namespace {

const char* const kKeys[] = {"is_success", "execution_state", "output_message", "result_value", "json_result",
                             "error_code"};

void expect_usage_error(const CliRun& r, const std::string& message) {
  EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "exactly one JSON line: " << r.out;
  const auto j = r.envelope();
  EXPECT_EQ(j["is_success"], false);
  EXPECT_EQ(j["execution_state"], "failed");
  EXPECT_EQ(j["output_message"], message);
  EXPECT_EQ(j["result_value"], false);
  EXPECT_TRUE(j["json_result"].is_null());
  EXPECT_TRUE(j["error_code"] == "PARAM_INVALID" || j["error_code"] == "PARAM_MISSING") << j["error_code"];
}

TEST(CliUsage, HostileCommandLines) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      {{}, "Missing command"},
      {{"bogus"}, "Unknown command \"bogus\""},
      {{"--bogus", "version"}, "Unknown option \"--bogus\""},
      {{"Sendx\r\nEmail"}, "Unknown command \"Sendx\\r\\nEmail\""},
      {{"ping", "--foo", "1"}, "Unknown parameter \"foo\" for action \"Ping\""},
      {{"ping", "stray"}, "Unexpected argument \"stray\" for action \"Ping\""},
      {{"ping", "--timeout", "abc"},
       "Invalid value for parameter \"--timeout\": expected an integer between 1 and 604800, got \"abc\""},
      {{"ping", "--config"}, "Option --config needs a value"},
      {{"cases"}, "Missing sub-command: expected cases list, cases show ID or cases attachment ID"},
      {{"cases", "drop"}, "Unknown sub-command \"cases drop\": expected list, show or attachment"},
      {{"cases", "list", "--limit", "0"},
       "Invalid value for parameter \"--limit\": expected an integer between 1 and 10000, got \"0\""},
      {{"cases", "attachment", "3"}, "Missing --out FILE for \"cases attachment\""},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.message);
    expect_usage_error(run_cli(row.args), row.message);
  }
}

TEST(CliUsage, EnvelopeKeysInOrder) {
  const auto r = run_cli({"bogus"});
  std::size_t last = 0;
  for (const char* key : kKeys) {
    const auto at = r.out.find("\"" + std::string(key) + "\"");
    ASSERT_NE(at, std::string::npos) << key;
    EXPECT_GT(at, last) << key;
    last = at;
  }
}

TEST(CliUsage, PrettyIndents) {
  const auto r = run_cli({"--pretty", "bogus"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.out.find("{\n  \"is_success\": false,\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.envelope()["output_message"], "Unknown command \"bogus\"");
}

TEST(CliUsage, ParamsJsonErrors) {
  TempDir dir;
  write_file(dir.path() / "p.json", "{\"Subject\": ");
  const auto bad = run_cli({"ping", "--params-json", (dir.path() / "p.json").string()});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_EQ(bad.envelope()["output_message"].get<std::string>().rfind(
                "Invalid value for parameter \"--params-json\": invalid JSON at offset ", 0),
            0u)
      << bad.out;
  const auto unknown = run_cli({"ping", "--params-json", "-"}, {}, dir.path(), R"({"Subject": "x"})");
  expect_usage_error(unknown, "Unknown parameter \"Subject\" for action \"Ping\"");
  const auto missing = run_cli({"ping", "--params-json", (dir.path() / "none.json").string()});
  EXPECT_EQ(missing.exit_code, 64);
}

TEST(CliUsage, VersionAndHelpGoToStdout) {
  const auto v = run_cli({"version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, "emailv2 0.1.0\n");
  const auto h = run_cli({"help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("Usage: emailv2 [global options] <command>"), std::string::npos);
  EXPECT_NE(h.out.find("  cases "), std::string::npos);
  EXPECT_NE(h.out.find("--log-level LEVEL"), std::string::npos);
  EXPECT_TRUE(h.err.empty()) << h.err;
  const auto dash_h = run_cli({"--help"});
  EXPECT_EQ(dash_h.exit_code, 0);
  EXPECT_EQ(dash_h.out, h.out);
  const auto hc = run_cli({"help", "cases"});
  EXPECT_EQ(hc.exit_code, 0);
  EXPECT_NE(hc.out.find("cases list [--limit N] [--offset N]"), std::string::npos);
  const auto cases_help = run_cli({"Cases", "--help"});
  EXPECT_EQ(cases_help.exit_code, 0);
  EXPECT_EQ(cases_help.out, hc.out);
  const auto unknown = run_cli({"help", "nope"});
  EXPECT_EQ(unknown.exit_code, 64);
}

TEST(CliUsage, PingHelpListsNoParameters) {
  const auto r = run_cli({"help", "Ping"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Usage: emailv2 [global options] ping"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("This action takes no parameters."), std::string::npos);
  const auto r2 = run_cli({"ping", "--help"});
  EXPECT_EQ(r2.out, r.out);
}

}  // namespace
}  // namespace emailv2::testing
