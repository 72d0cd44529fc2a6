// The command line (CONTRACT §1.1): global options anywhere, normalised names, env defaults, usage errors.
#include "app/cli_args.h"

#include <gtest/gtest.h>

#include "app/command_registry.h"

namespace emailv2::app {
namespace {

Result<CommandLine> parse(std::vector<std::string> argv, MapEnvironment env = MapEnvironment()) {
  return parse_command_line(argv, env);
}

TEST(CommandLine, UsageErrorsFirst) {
  struct Row {
    std::vector<std::string> argv;
    std::string detail;
  };
  const Row rows[] = {
      {{"--bogus", "ping"}, "Unknown option \"--bogus\""},
      {{"ping", "--config"}, "Option --config needs a value"},
      {{"--pretty", "ping", "--pretty"}, "Option --pretty was given more than once"},
      {{"ping", "--timeout", "0"}, "Invalid value for parameter \"--timeout\": expected an integer between 1 and 604800, got \"0\""},
      {{"ping", "--log-level", "loud"},
       "Invalid value for parameter \"--log-level\": expected one of error, warn, info, debug, trace, got \"loud\""},
      {{"ping", "--log-format=xml"}, "Invalid value for parameter \"--log-format\": expected text or json, got \"xml\""},
      {{"ping", "--pretty=maybe"}, "Invalid value for parameter \"--pretty\": expected true or false, got \"maybe\""},
  };
  for (const auto& row : rows) {
    auto r = parse(row.argv);
    ASSERT_FALSE(r) << row.detail;
    EXPECT_EQ(r.error().detail(), row.detail);
    EXPECT_EQ(r.error().exit_code(), 64);
  }
}

TEST(CommandLine, GlobalsBeforeAndAfterCommand) {
  auto r = parse({"--config", "/etc/e.toml", "search-emails", "--subject-filter", "x", "--pretty", "--Log-Level=debug",
                  "--store=/tmp/s.sqlite", "--timeout", "30", "--until-done", "--poll-every", "5", "--case-id", "7",
                  "--alert-id", "a-1", "--params-json", "-", "--log-format", "json"});
  ASSERT_TRUE(r) << r.error().detail();
  EXPECT_EQ(r->command, "search-emails");
  EXPECT_EQ(r->args, (std::vector<std::string>{"--subject-filter", "x"}));
  const GlobalOptions& g = r->globals;
  EXPECT_EQ(g.config, "/etc/e.toml");
  EXPECT_EQ(g.store, "/tmp/s.sqlite");
  EXPECT_TRUE(g.pretty);
  EXPECT_EQ(g.log_level, log::Level::kDebug);
  EXPECT_EQ(g.log_format, log::Format::kJson);
  EXPECT_EQ(g.timeout, std::chrono::seconds(30));
  EXPECT_TRUE(g.until_done);
  EXPECT_EQ(g.poll_every, std::chrono::seconds(5));
  EXPECT_EQ(g.case_id, "7");
  EXPECT_EQ(g.alert_id, "a-1");
  EXPECT_EQ(g.params_json, "-");
}

TEST(CommandLine, Defaults) {
  auto r = parse({"ping"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->globals.timeout, std::chrono::seconds(600));
  EXPECT_EQ(r->globals.poll_every, std::chrono::seconds(60));
  EXPECT_EQ(r->globals.log_level, log::Level::kInfo);
  EXPECT_FALSE(r->globals.pretty);
  EXPECT_FALSE(r->globals.config);
}

TEST(CommandLine, EnvironmentDefaultsAndOptionWins) {
  MapEnvironment env({{"EMAILV2_CONFIG", "/env.toml"}, {"EMAILV2_STORE", "/env.sqlite"}, {"EMAILV2_CASE_ID", "3"},
                      {"EMAILV2_ALERT_ID", "al"}, {"EMAILV2_LOG_LEVEL", "trace"}});
  auto r = parse({"ping"}, env);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->globals.config, "/env.toml");
  EXPECT_EQ(r->globals.store, "/env.sqlite");
  EXPECT_EQ(r->globals.case_id, "3");
  EXPECT_EQ(r->globals.alert_id, "al");
  EXPECT_EQ(r->globals.log_level, log::Level::kTrace);
  auto o = parse({"ping", "--config", "/opt.toml", "--log-level", "error"}, env);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->globals.config, "/opt.toml");
  EXPECT_EQ(o->globals.log_level, log::Level::kError);
  auto bad = parse({"ping"}, MapEnvironment({{"EMAILV2_LOG_LEVEL", "noisy"}}));
  ASSERT_FALSE(bad);
}

TEST(CommandLine, HelpAnywhere) {
  auto r = parse({"ping", "--help"});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->globals.help);
  EXPECT_TRUE(r->args.empty());
  auto h = parse({"-h"});
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->globals.help);
  EXPECT_TRUE(h->command.empty());
}

TEST(Registry, NamesAreNormalised) {
  ASSERT_NE(find_command("ping"), nullptr);
  EXPECT_EQ(find_command("Ping"), find_command("ping"));
  EXPECT_EQ(find_command("PING"), find_command("ping"));
  ASSERT_NE(find_command("cases"), nullptr);
  EXPECT_EQ(find_command("Cases"), find_command("cases"));
  EXPECT_EQ(find_command(" CASES "), find_command("cases"));
  ASSERT_NE(find_command("version"), nullptr);
  ASSERT_NE(find_command("help"), nullptr);
  ASSERT_NE(find_command("send-email"), nullptr);
  EXPECT_EQ(find_command("Send Email"), find_command("send-email"));  // the D name, normalised
  EXPECT_EQ(find_command("send email"), find_command("send-email"));
  EXPECT_EQ(find_command("sendemail"), nullptr);                      // a dropped separator is another name
  EXPECT_EQ(find_command(""), nullptr);
  EXPECT_EQ(find_command("--"), nullptr);
}

TEST(Registry, EveryCommandHasHelpAndSummary) {
  for (const Command& c : commands()) {
    EXPECT_FALSE(c.summary.empty()) << c.name;
    EXPECT_FALSE(c.help().empty()) << c.name;
    EXPECT_TRUE(c.run) << c.name;
  }
}

}  // namespace
}  // namespace emailv2::app
