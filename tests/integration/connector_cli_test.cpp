// The real `emailv2 connector` binary against the lab: one cycle, dry run, --reset-checkpoint, concurrent runs (one
// gets the lease, the other exits 75), poison messages, a busy store, configuration errors, and the daemon's
// SIGTERM.
#include <sys/file.h>

#include "connector_lab_support.h"
#include "store/case_repository.h"
#include "support/fault_proxy.h"

namespace emailv2::connector::lab {
namespace {

class ConnectorCli : public ConnectorLab {};

TEST_F(ConnectorCli, OnceIngestsEachMessageOnceFlagsItAndPrintsOneSummaryLine) {
  append({numbered_message(1, "once"), numbered_message(2, "once"), numbered_message(3, "once")});
  auto run = connector({"--once"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1);
  const auto s = summary(run);
  EXPECT_EQ(s["connector"], "Generic IMAP Email Connector");
  EXPECT_EQ(s["instance"], "lab");
  EXPECT_EQ(s["account"], testing::lab("LAB_USER3") + "@" + testing::lab("LAB_HOST") + ":" +
                              testing::lab("LAB_IMAPS_PORT"));
  EXPECT_EQ(s["status"], "ok");
  EXPECT_EQ(s["folders"][0]["folder"], folder_);
  EXPECT_EQ(s["folders"][0]["alerted"], 3);
  EXPECT_EQ(s["alerts_created"], 3);
  EXPECT_EQ(s["case_ids"].size(), 3u);
  EXPECT_EQ(s["seen_pending"], 0);
  EXPECT_TRUE(search(true).empty());  // all \Seen after commit
  EXPECT_EQ(expect_exactly_once(3), 0);
  run = connector();
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(summary(run)["folders"][0]["processed"], 0);
  // The cases command sees them.
  const auto cases = testing::run_cli({"cases", "list"}, env(), dir_.path());
  ASSERT_EQ(cases.exit_code, 0) << cases.out;
  EXPECT_EQ(nlohmann::json::parse(cases.out).size(), 3u);
}

TEST_F(ConnectorCli, DryRunWritesNoRowsTouchesNoFlagsAndPrintsTheWouldBeAlerts) {
  append({numbered_message(1, "dry"), numbered_message(2, "dry")});
  const auto run = connector({"--dry-run"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto s = summary(run);
  EXPECT_EQ(s["dry_run"], true);
  ASSERT_EQ(s["alerts"].size(), 2u);
  EXPECT_EQ(s["alerts"][0]["identifier"], "<dry-1@lab.test>");
  EXPECT_EQ(s["alerts"][0]["kind"], "email");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM ingested_message"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM folder_checkpoint"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM lease"), 0);
  EXPECT_EQ(search(true).size(), 2u);
}

TEST_F(ConnectorCli, ResetCheckpointMakesAFirstRunWithoutReAlerts) {
  config_["Unread Emails Only"] = "false";
  append({numbered_message(1, "reset"), numbered_message(2, "reset")});
  ASSERT_EQ(connector().exit_code, 0);
  auto run = connector({"--reset-checkpoint", folder_});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  auto j = summary(run);
  EXPECT_EQ(j["reset_checkpoint"], folder_);
  EXPECT_EQ(j["deleted"], true);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM folder_checkpoint"), 0);
  run = connector();
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(summary(run)["folders"][0]["duplicates"], 2);
  EXPECT_EQ(expect_exactly_once(2), 0);
}

TEST_F(ConnectorCli, ALiveLeaseHolderMakesTheOtherRunExit75) {
  append({numbered_message(1, "lease")});
  // Another live process holds <store>.lock (as a running cycle does).
  const auto lock_path = store_ + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  auto run = connector();
  EXPECT_EQ(run.exit_code, 75) << run.out << run.err;
  EXPECT_EQ(summary(run)["status"], "skipped");
  ::close(fd);
  run = connector();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(expect_exactly_once(1), 0);
}

TEST_F(ConnectorCli, TwoConcurrentOnceRunsOneGetsTheLeaseTheOtherExits75) {
  std::vector<std::string> messages;
  for (int i = 1; i <= 40; ++i) messages.push_back(numbered_message(i, "concurrent"));
  append(messages);
  // A slow link keeps the first cycle busy long enough for the second to find the lease taken.
  testing::FaultProxyOptions options;
  options.target_port = static_cast<std::uint16_t>(testing::lab_port("LAB_IMAPS_PORT"));
  options.faults = testing::ConnectionFaults::delay_each_way(40ms);
  auto proxy = testing::FaultProxy::start(options);
  ASSERT_TRUE(proxy) << proxy.error().to_string();
  config_["IMAP Port"] = std::to_string((*proxy)->port());
  const auto e = env();
  Child first({"connector", "--once"}, e, dir_.path() / "first.out");
  std::this_thread::sleep_for(300ms);
  Child second({"connector", "--once"}, e, dir_.path() / "second.out");
  const int a = first.wait();
  const int b = second.wait();
  EXPECT_EQ(a, 0) << testing::read_file(dir_.path() / "first.out.err");
  EXPECT_EQ(b, 75) << testing::read_file(dir_.path() / "second.out");
  EXPECT_NE(testing::read_file(dir_.path() / "second.out").find("\"status\":\"skipped\""), std::string::npos);
  EXPECT_EQ(expect_exactly_once(40), 0);
}

TEST_F(ConnectorCli, PoisonMessagesAlertOnceAndNeverBlockTheNext) {
  append({
      // Broken MIME: a boundary that never appears, an unknown charset, no Date, no Message-ID.
      "From: x@lab.test\r\nSubject: =?x-unknown?Q?broken?=\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"nowhere\"\r\n\r\n--elsewhere\r\n"
      "Content-Type: text/plain; charset=x-klingon\r\n\r\n\xff\xfe\xfd qapla'\r\n",
      "Subject: no date, no id\r\n\r\nbody only\r\n",
      numbered_message(3, "poison"),
  });
  auto run = connector();
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto s = summary(run);
  EXPECT_EQ(s["folders"][0]["alerted"], 3);
  EXPECT_EQ(s["status"], "ok");
  run = connector();
  EXPECT_EQ(summary(run)["folders"][0]["processed"], 0);
  EXPECT_EQ(expect_exactly_once(3), 0);
  // The fallback identifier of a mail without Message-ID.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM alert WHERE identifier LIKE '<%@emailv2.invalid>'"), 2);
}

TEST_F(ConnectorCli, BusyStoreRollsBackCleanlyAndTheNextRunCatchesUp) {
  append({numbered_message(1, "busy"), numbered_message(2, "busy")});
  ASSERT_EQ(connector({"--dry-run"}).exit_code, 0);  // creates the store file and schema
  auto other = store::Database::open(store_);
  ASSERT_TRUE(other) << other.error().to_string();
  {
    auto tx = other->begin_write();  // another writer holds the lock past busy_timeout
    ASSERT_TRUE(tx);
    const auto run = connector();
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    const auto s = summary(run);
    EXPECT_EQ(s["status"], "failed");
    EXPECT_EQ(s["error"].get<std::string>().rfind("STORE_BUSY: ", 0), 0u) << s.dump();
  }
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM ingested_message"), 0);
  EXPECT_EQ(search(true).size(), 2u);  // nothing flagged
  const auto run = connector();
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(expect_exactly_once(2), 0);
}

TEST_F(ConnectorCli, ConfigurationErrorsExit78BeforeAnyIo) {
  config_.erase("IMAP Server Address");
  auto run = connector();
  EXPECT_EQ(run.exit_code, 78) << run.out << run.err;
  EXPECT_EQ(summary(run)["error"], "CONFIG_MISSING: Missing mandatory parameter IMAP Server Address");
  config_["IMAP Server Address"] = testing::lab("LAB_HOST");
  config_["Exclusion Subject Regex"] = "(?<=x)";
  run = connector();
  EXPECT_EQ(run.exit_code, 78) << run.out << run.err;
  EXPECT_FALSE(std::filesystem::exists(store_));
  run = connector({"--limit", "0"});
  EXPECT_EQ(run.exit_code, 64) << run.out << run.err;
}

TEST_F(ConnectorCli, DaemonRunsCyclesAndExitsZeroOnSigterm) {
  append({numbered_message(1, "daemon")});
  Child daemon({"connector", "--every", "1s"}, env(), dir_.path() / "daemon.out");
  const auto out = dir_.path() / "daemon.out";
  for (int i = 0; i < 100; ++i) {
    if (std::count_if(std::istreambuf_iterator<char>(*std::make_unique<std::ifstream>(out)),
                      std::istreambuf_iterator<char>(), [](char c) { return c == '\n'; }) >= 2) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  append({numbered_message(2, "daemon")});
  std::this_thread::sleep_for(1500ms);
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(), 0) << testing::read_file(out.string() + ".err");
  const auto text = testing::read_file(out);
  EXPECT_GE(std::count(text.begin(), text.end(), '\n'), 3) << text;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM lease"), 0);
  EXPECT_EQ(expect_exactly_once(2), 0);
}

}  // namespace
}  // namespace emailv2::connector::lab
