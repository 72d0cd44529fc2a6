// The action runner (app/action_command): one envelope per run, params before config, INTERNAL on exceptions,
// needs checked before the action runs, --until-done polling.
#include "app/action_command.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>

#include "support/test_env.h"

namespace emailv2::app {
namespace {

using actions::ActionResult;

const actions::ActionSpec& spec_needing_imap() {
  static const actions::ActionSpec spec{"probe", "Probe", {}, "test", {
      actions::ParamSpec{"Subject", {}, actions::ParamType::kString, "", true, 0, 0, true, 0}},
      actions::ActionNeeds{true, false, false}};
  return spec;
}

const actions::ActionSpec& spec_free() {
  static const actions::ActionSpec spec{"free", "Free", {}, "test", {}, {}};
  return spec;
}

int g_calls = 0;

ActionResult throws(const actions::ActionContext&, const actions::ParamSet&) {
  ++g_calls;
  throw std::runtime_error("boom\nline2");
}

ActionResult in_progress_then_done(const actions::ActionContext&, const actions::ParamSet&) {
  ++g_calls;
  if (g_calls < 2) return ActionResult::in_progress("waiting");
  return ActionResult::completed(true, "done");
}

ActionResult succeeds(const actions::ActionContext& ctx, const actions::ParamSet&) {
  ++g_calls;
  return ActionResult::completed(true, "store=" + ctx.store_path);
}

struct Captured {
  int exit_code;
  std::string out;
};

Captured run(const actions::ActionSpec& spec, ActionFn fn, std::vector<std::string> args, GlobalOptions globals,
             const std::string& config_body = "") {
  emailv2::testing::TempDir dir;
  const auto config = dir.path() / "c.toml";
  emailv2::testing::write_file(config, config_body);
  globals.config = config.string();
  std::FILE* out = std::tmpfile();
  const MapEnvironment env;
  const Command command = action_command(spec, fn);
  const Invocation inv{globals, args, env, out};
  const int code = command.run(inv);
  std::rewind(out);
  std::string text;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
  std::fclose(out);
  return {code, text};
}

TEST(ActionRunner, ParameterErrorBeforeConfiguration) {
  g_calls = 0;
  const auto r = run(spec_needing_imap(), succeeds, {}, {});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.out.find("Missing mandatory parameter Subject"), std::string::npos) << r.out;
  EXPECT_EQ(g_calls, 0);
}

TEST(ActionRunner, NeedsCheckedBeforeTheAction) {
  g_calls = 0;
  const auto r = run(spec_needing_imap(), succeeds, {"--subject", "x"}, {});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.out.find("IMAP configuration is needed to execute action."), std::string::npos) << r.out;
  EXPECT_EQ(g_calls, 0);
}

TEST(ActionRunner, ExceptionBecomesInternal) {
  g_calls = 0;
  const auto r = run(spec_free(), throws, {}, {});
  EXPECT_EQ(r.exit_code, 70);
  EXPECT_EQ(r.out,
            "{\"is_success\":false,\"execution_state\":\"failed\",\"output_message\":\"Internal error: boom\\\\nline2\","
            "\"result_value\":false,\"json_result\":null,\"error_code\":\"INTERNAL\"}\n");
}

TEST(ActionRunner, UntilDonePollsAndPrintsOnlyTheFinalEnvelope) {
  g_calls = 0;
  GlobalOptions g;
  g.until_done = true;
  g.poll_every = std::chrono::seconds(1);
  const auto r = run(spec_free(), in_progress_then_done, {}, g);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(g_calls, 2);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_NE(r.out.find("\"output_message\":\"done\""), std::string::npos);
}

TEST(ActionRunner, WithoutUntilDoneInProgressExits4) {
  g_calls = 0;
  const auto r = run(spec_free(), in_progress_then_done, {}, {});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(g_calls, 1);
}

TEST(ActionRunner, StorePathPrecedence) {
  GlobalOptions g;
  auto r = run(spec_free(), succeeds, {}, g, "[integration]\n\"Store Path\" = \"/cfg.sqlite\"\n");
  EXPECT_NE(r.out.find("store=/cfg.sqlite"), std::string::npos) << r.out;
  g.store = "/opt.sqlite";
  r = run(spec_free(), succeeds, {}, g, "[integration]\n\"Store Path\" = \"/cfg.sqlite\"\n");
  EXPECT_NE(r.out.find("store=/opt.sqlite"), std::string::npos) << r.out;
  r = run(spec_free(), succeeds, {}, GlobalOptions{});
  EXPECT_NE(r.out.find("store=./emailv2.sqlite"), std::string::npos) << r.out;
}

TEST(ActionRunner, HelpIsGeneratedFromTheSpec) {
  GlobalOptions g;
  g.help = true;
  const auto r = run(spec_needing_imap(), succeeds, {}, g);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--subject  \"Subject\", string, mandatory"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace emailv2::app
