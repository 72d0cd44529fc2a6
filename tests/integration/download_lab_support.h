#pragma once
// Shared by the attachment-action lab tests (download_*, save_*, hostile_names_*): a config for the lab's soc@lab.test
// account, a fresh folder per test filled with APPEND (or INBOX via `scripts/mail-lab deliver`), the real emailv2
// binary, and the flags of a message read back over IMAP (read-only actions must leave them alone).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli_run.h"
#include "imap_lab_support.h"
#include "mail/imap_mail_store.h"
#include "store/case_repository.h"
#include "store/database.h"
#include "store/ledger_repository.h"

namespace emailv2::testing::attach_lab {

namespace ilab = imap::lab;
namespace fs = std::filesystem;

constexpr int kUser = 4;  // soc@lab.test

inline imap::SessionOptions soc() { return ilab::options("LAB_IMAPS_PORT", kUser); }

class AttachmentLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!lab_available()) GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
    admin_ = ilab::connect(soc());
    ASSERT_TRUE(admin_);
    std::string body = "[integration]\n\"Sender's Address\" = \"soc@lab.test\"\nUsername = \"" + lab("LAB_USER4") +
                       "\"\n\"CA File\" = \"" + lab("LAB_CA") + "\"\n\"IMAP Server Address\" = \"" + lab("LAB_HOST") +
                       "\"\n\"IMAP Port\" = " + lab("LAB_IMAPS_PORT") + "\n";
    config_ = dir_.path() / "emailv2.toml";
    write_file(config_, body);
    ::chmod(config_.c_str(), 0600);
  }
  void TearDown() override {
    if (!admin_) return;
    for (const auto& f : folders_) (void)ilab::remove(*admin_, f);
    (void)admin_->logout(ilab::soon());
  }

  // A new folder (name with a space) holding `mails`, in order (UIDs 1..n).
  std::string folder_with(const std::vector<std::string>& mails, const std::string& prefix = "attach lab") {
    folders_.push_back(ilab::unique_folder(prefix));
    EXPECT_TRUE(ilab::create(*admin_, folders_.back()));
    EXPECT_TRUE(ilab::append_all(*admin_, folders_.back(), mails));
    return folders_.back();
  }

  // Delivers a raw mail into soc's INBOX over LMTP (`scripts/mail-lab deliver`).
  void deliver(const std::string& raw) {
    const fs::path file = dir_.path() / ("deliver-" + std::to_string(delivered_++) + ".eml");
    write_file(file, raw);
    const std::string cmd = "'" + (source_dir() / "scripts" / "mail-lab").string() + "' deliver '" + lab("LAB_DIR") +
                            "' " + lab("LAB_USER4") + " '" + file.string() + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }

  CliRun emailv2(std::vector<std::string> args, const std::vector<std::string>& globals = {}) {
    std::vector<std::string> full{"--config", config_.string(), "--store", store_path().string(), "--timeout", "120"};
    full.insert(full.end(), globals.begin(), globals.end());
    full.insert(full.end(), args.begin(), args.end());
    return run_cli(full, {{"EMAILV2_PASSWORD", lab("LAB_PASS4")}}, dir_.path());
  }

  // The flags of the (first) message with that Message-ID in `folder`, read over a separate connection.
  std::vector<std::string> flags_of(const std::string& folder, const std::string& message_id) {
    mail::ImapMailStore store([](Deadline d) { return imap::Session::connect(soc(), d); });
    auto uids = store.find_by_message_id(folder, message_id, ilab::soon());
    EXPECT_TRUE(uids && !uids->empty()) << message_id;
    if (!uids || uids->empty()) return {"<missing>"};
    auto meta = store.fetch_metadata(folder, {uids->front()}, ilab::soon());
    EXPECT_TRUE(meta && meta->size() == 1);
    (void)store.close(ilab::soon());
    if (!meta || meta->empty()) return {"<missing>"};
    std::vector<std::string> flags;
    for (const auto& f : meta->front().flags) {
      if (f != "\\Recent") flags.push_back(f);
    }
    return flags;
  }

  fs::path store_path() const { return dir_.path() / "cases.sqlite"; }

  TempDir dir_;
  fs::path config_;
  std::unique_ptr<imap::Session> admin_;
  std::vector<std::string> folders_;
  int delivered_ = 0;
};

// A Message-ID nobody else uses: <prefix-pid-counter-time@lab.test>.
inline std::string unique_id(const std::string& prefix) {
  static int counter = 0;
  return "<" + prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "@lab.test>";
}

// Creates a case in the store at `path` with one alert per Message-ID (as the connector would); returns
// {case_id, alert ids...}.
inline std::vector<std::int64_t> seed_case(const fs::path& path, const std::vector<std::string>& message_ids) {
  static std::uint32_t uid = 1;
  auto db = store::Database::open(path);
  EXPECT_TRUE(db) << db.error().detail();
  auto tx = db->begin_write();
  EXPECT_TRUE(tx);
  store::LedgerEntry entry;
  entry.identity = {"default", "soc@lab.test@127.0.0.1:993", "Inbox", 7, uid++};
  entry.message_id = message_ids.empty() ? std::nullopt : std::optional<std::string>(message_ids.front());
  entry.raw_sha256 = std::string(64, 'a');
  const auto now = std::chrono::system_clock::now();
  auto ledger = store::LedgerRepository(*db).insert(*tx, entry, now);
  EXPECT_TRUE(ledger && *ledger);
  store::NewCase c;
  c.ledger_id = **ledger;
  c.title = "Phish report";
  for (const auto& id : message_ids) {
    store::NewAlert a;
    a.identifier = a.ticket_id = a.display_id = id;
    a.name = "soc_1";
    a.message_id = id;
    a.source = {entry.identity.account, "Inbox", 7, entry.identity.uid};
    c.alerts.push_back(a);
  }
  auto created = store::CaseRepository(*db).create(*tx, c, now);
  EXPECT_TRUE(created) << created.error().detail();
  EXPECT_TRUE(tx->commit());
  std::vector<std::int64_t> out{created->case_id};
  out.insert(out.end(), created->alert_ids.begin(), created->alert_ids.end());
  return out;
}

}  // namespace emailv2::testing::attach_lab
