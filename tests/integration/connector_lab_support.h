#pragma once
// Shared by the connector's lab tests (tests/integration/connector_*_test.cpp, tests/faults/connector_*_test.cpp):
// a fresh lab folder filled by APPEND, a private store and configuration, the real binary run to completion
// (run_cli) or as a child that can be signalled or killed, and the exactly-once check of store against mailbox.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "../integration/cli_run.h"
#include "../integration/imap_lab_support.h"
#include "mail/imap_mail_store.h"
#include "store/database.h"

namespace emailv2::connector::lab {

namespace imap_lab = imap::lab;
using namespace std::chrono_literals;

// A child emailv2 process with stdout captured to a file (so it never blocks on a full pipe).
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
        const std::filesystem::path& out_file) {
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::strncmp(*e, "EMAILV2_", 8) != 0) env_strings.emplace_back(*e);
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_strings{testing::cli_binary().string()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = ::open((out_file.string() + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(out, 1);
      dup2(err, 2);
      execve(argv_strings[0].c_str(), argv.data(), envp.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  pid_t pid() const { return pid_; }
  void signal(int signo) const { ::kill(pid_, signo); }
  // Exit code, or 128 + signal.
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::optional<int> try_wait() {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

inline std::string numbered_message(int i, const std::string& tag) {
  std::string body = "Message " + std::to_string(i) + " of the " + tag + " run.\r\n";
  for (int k = 0; k < 20 + i % 40; ++k) body += "Line " + std::to_string(k) + " of filler text for realistic sizes.\r\n";
  return "From: Reporter <reporter@lab.test>\r\nTo: soc@lab.test\r\nSubject: " + tag + " #" + std::to_string(i) +
         "\r\nMessage-ID: <" + tag + "-" + std::to_string(i) + "@lab.test>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
         "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body;
}

class ConnectorLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::lab_available()) GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
    admin_ = imap_lab::connect(imap_lab::options("LAB_IMAPS_PORT", kUser));
    ASSERT_TRUE(admin_);
    folder_ = imap_lab::unique_folder("conn");
    for (char& c : folder_) if (c == ' ') c = '-';
    ASSERT_TRUE(imap_lab::create(*admin_, folder_));
    store_ = (dir_.path() / "cases.sqlite").string();
    config_ = {{"IMAP Server Address", testing::lab("LAB_HOST")},
               {"IMAP Port", testing::lab("LAB_IMAPS_PORT")},
               {"Username", testing::lab("LAB_USER" + std::to_string(kUser))},
               {"Folder to check for emails", folder_},
               {"Offset Time In Days", "5"},
               {"Max Emails Per Cycle", "100"},
               {"CA File", testing::lab("LAB_CA")}};
  }
  void TearDown() override {
    if (admin_) {
      (void)imap_lab::remove(*admin_, folder_);
      (void)admin_->logout(imap_lab::soon());
    }
  }

  void append(const std::vector<std::string>& messages) {
    ASSERT_TRUE(imap_lab::append_all(*admin_, folder_, messages));
  }

  std::filesystem::path write_config() {
    const auto path = dir_.path() / "emailv2.toml";
    std::ofstream out(path);
    out << "[integration]\n\"Instance Name\" = \"lab\"\n[connector]\n";
    for (const auto& [k, v] : config_) {
      nlohmann::json quoted = v;
      out << nlohmann::json(k).dump() << " = " << quoted.dump() << "\n";
    }
    out.close();
    ::chmod(path.c_str(), 0600);
    return path;
  }

  std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) {
    extra["EMAILV2_CONFIG"] = write_config().string();
    extra["EMAILV2_STORE"] = store_;
    extra["EMAILV2_CONNECTOR_PASSWORD"] = testing::lab("LAB_PASS" + std::to_string(kUser));
    return extra;
  }

  testing::CliRun connector(const std::vector<std::string>& args = {}, std::map<std::string, std::string> extra = {}) {
    std::vector<std::string> full{"connector"};
    full.insert(full.end(), args.begin(), args.end());
    return testing::run_cli(full, env(std::move(extra)), dir_.path());
  }

  static nlohmann::json summary(const testing::CliRun& run) {
    const auto nl = run.out.find('\n');
    return nlohmann::json::parse(run.out.substr(0, nl), nullptr, false);
  }

  // One SQL value from the store (tests read it directly; the product code goes through store/).
  std::int64_t scalar(const std::string& sql) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(store_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* st = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
  }

  std::vector<std::uint32_t> search(bool unseen) {
    auto store = mail::ImapMailStore(
        [](Deadline d) { return imap::Session::connect(imap_lab::options("LAB_IMAPS_PORT", kUser), d); });
    mail::SearchCriteria c;
    c.unseen = unseen;
    auto r = store.search(folder_, c, imap_lab::soon());
    EXPECT_TRUE(r) << r.error().to_string();
    (void)store.close(imap_lab::soon());
    return r ? *r : std::vector<std::uint32_t>{};
  }

  // Exactly once: every UID of the folder has one ledger row with an alert-producing outcome and one case; no
  // identity, case or alert twice. Returns the number of fetch_failed placeholders (a failure explains itself).
  int expect_exactly_once(std::size_t expected) {
    const auto uids = search(false);
    EXPECT_EQ(uids.size(), expected);
    const std::string f = "source_folder = '" + folder_ + "'";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM ingested_message WHERE folder = '" + folder_ + "'"),
              static_cast<std::int64_t>(expected));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM ingested_message WHERE folder = '" + folder_ +
                     "' AND outcome IN ('alerted','over_limit','fetch_failed') AND case_id IS NOT NULL"),
              static_cast<std::int64_t>(expected));
    EXPECT_EQ(scalar("SELECT COUNT(DISTINCT uid) FROM ingested_message WHERE folder = '" + folder_ + "'"),
              static_cast<std::int64_t>(expected));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM alert WHERE " + f), static_cast<std::int64_t>(expected));
    EXPECT_EQ(scalar("SELECT COUNT(DISTINCT source_uid) FROM alert WHERE " + f), static_cast<std::int64_t>(expected));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM \"case\" c JOIN ingested_message m ON c.ledger_id = m.ledger_id WHERE "
                     "m.folder = '" + folder_ + "'"),
              static_cast<std::int64_t>(expected));
    EXPECT_EQ(scalar("SELECT MAX(uid) FROM ingested_message WHERE folder = '" + folder_ + "'"),
              uids.empty() ? -1 : static_cast<std::int64_t>(uids.back()));
    return static_cast<int>(scalar("SELECT COUNT(*) FROM ingested_message WHERE folder = '" + folder_ +
                                   "' AND outcome = 'fetch_failed'"));
  }

  static constexpr int kUser = 3;
  testing::TempDir dir_;
  std::unique_ptr<imap::Session> admin_;
  std::string folder_;
  std::string store_;
  std::map<std::string, std::string> config_;
};

}  // namespace emailv2::connector::lab
