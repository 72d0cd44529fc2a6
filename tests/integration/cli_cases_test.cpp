// `emailv2 cases list|show|attachment` and the --case-id context on a real store (CONTRACT §5.6, §1.1).
#include <gtest/gtest.h>

#include "cli_run.h"
#include "store/case_repository.h"
#include "store/database.h"
#include "store/ledger_repository.h"

namespace emailv2::testing {
namespace {

struct SeededStore {
  std::filesystem::path path;
  store::CaseId case_id = 0;
};

SeededStore seed(const TempDir& dir) {
  SeededStore s{dir.path() / "cases.sqlite", 0};
  auto db = store::Database::open(s.path);
  EXPECT_TRUE(db) << db.error().detail();
  auto tx = db->begin_write();
  EXPECT_TRUE(tx);
  store::LedgerEntry entry;
  entry.identity = {"default", "soc@lab.test@127.0.0.1:993", "Inbox", 7, 42};
  entry.message_id = "<m1@lab.test>";
  entry.raw_sha256 = std::string(64, 'a');
  entry.size = 10;
  const auto now = std::chrono::system_clock::now();
  auto ledger = store::LedgerRepository(*db).insert(*tx, entry, now);
  EXPECT_TRUE(ledger && *ledger);
  store::NewCase c;
  c.ledger_id = **ledger;
  c.title = "Phish report";
  c.environment = "Default Environment";
  store::NewAlert a;
  a.identifier = a.ticket_id = a.display_id = "<m1@lab.test>";
  a.name = "soc_1";
  a.rule_generator = "Monitored Mailbox soc";
  a.environment = "Default Environment";
  a.source = {entry.identity.account, "Inbox", 7, 42};
  a.events.push_back({"Email Received in Monitoring Mailbox", nlohmann::json{{"orig_subject", "Phish report"}}});
  c.alerts.push_back(a);
  store::NewWallFile w;
  w.alert_index = 0;
  w.file.file_name = "invoice.pdf";
  w.file.name = "invoice";
  w.file.type = ".pdf";
  w.file.description = "Original email attachment";
  w.file.content = std::string("%PDF-1.4\0binary", 15);
  c.wall.push_back(w);
  auto created = store::CaseRepository(*db).create(*tx, c, now);
  EXPECT_TRUE(created) << created.error().detail();
  EXPECT_TRUE(tx->commit());
  s.case_id = created->case_id;
  return s;
}

TEST(CliCases, ListShowAndAttachment) {
  TempDir dir;
  const auto s = seed(dir);
  const std::map<std::string, std::string> env{{"EMAILV2_STORE", s.path.string()}};
  const auto list = run_cli({"cases", "list"}, env, dir.path());
  ASSERT_EQ(list.exit_code, 0) << list.out << list.err;
  const auto cases = nlohmann::json::parse(list.out);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0]["case_id"], s.case_id);
  EXPECT_EQ(cases[0]["title"], "Phish report");
  EXPECT_EQ(cases[0]["alerts"][0]["identifier"], "<m1@lab.test>");
  const auto paged = run_cli({"cases", "list", "--offset", "1", "--limit=5"}, env, dir.path());
  EXPECT_EQ(paged.out, "[]\n");

  const auto show = run_cli({"cases", "show", std::to_string(s.case_id), "--pretty"}, env, dir.path());
  ASSERT_EQ(show.exit_code, 0) << show.out;
  const auto detail = nlohmann::json::parse(show.out);
  ASSERT_EQ(detail["wall"].size(), 1u);
  EXPECT_EQ(detail["wall"][0]["file_name"], "invoice.pdf");
  EXPECT_FALSE(detail["wall"][0].contains("content"));
  const auto attachment_id = detail["wall"][0]["attachment_id"].get<std::int64_t>();

  const auto out = dir.path() / "out.pdf";
  const auto written = run_cli({"cases", "attachment", std::to_string(attachment_id), "--out", out.string()}, env,
                               dir.path());
  ASSERT_EQ(written.exit_code, 0) << written.out << written.err;
  EXPECT_EQ(read_file(out), std::string("%PDF-1.4\0binary", 15));
  const auto again = run_cli({"cases", "attachment", std::to_string(attachment_id), "--out", out.string()}, env,
                             dir.path());
  EXPECT_EQ(again.exit_code, 2) << "O_EXCL: an existing file is never overwritten: " << again.out;
  EXPECT_EQ(again.envelope()["error_code"], "IO_ERROR");

  const auto missing = run_cli({"cases", "show", "999"}, env, dir.path());
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_EQ(missing.envelope()["output_message"], "Case 999 not found in the case store");
}

TEST(CliCases, CaseContextAcceptsAnExistingCase) {
  TempDir dir;
  const auto s = seed(dir);
  // The case exists, so the run gets past the context check to the configuration check (neither protocol: 78).
  const auto r = run_cli({"ping", "--store", s.path.string(), "--case-id", std::to_string(s.case_id)}, {}, dir.path());
  EXPECT_EQ(r.exit_code, 78) << r.out;
  const auto absent = run_cli({"ping", "--store", s.path.string(), "--case-id", "999"}, {}, dir.path());
  EXPECT_EQ(absent.exit_code, 64);
  EXPECT_EQ(absent.envelope()["output_message"], "Case 999 not found in the case store");
}

TEST(CliCases, StorePathFromConfig) {
  TempDir dir;
  const auto s = seed(dir);
  write_file(dir.path() / "emailv2.toml", "[integration]\n\"Store Path\" = \"" + s.path.string() + "\"\n");
  const auto r = run_cli({"cases", "list"}, {}, dir.path());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out).size(), 1u);
}

}  // namespace
}  // namespace emailv2::testing
