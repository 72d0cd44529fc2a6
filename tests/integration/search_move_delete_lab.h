#pragma once
// Shared by the lab tests of Search Emails, Move Email to Folder and Delete Email: a fresh folder per test in bob's
// mailbox, APPEND with an explicit INTERNALDATE and flags, a configuration file for the real emailv2 binary, and an
// ImapMailStore to look at the mailbox afterwards (read-only: EXAMINE + BODY.PEEK).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "cli_run.h"
#include "imap_lab_support.h"
#include "mail/imap_mail_store.h"

namespace emailv2::testing::mailbox {

namespace imap_lab = imap::lab;
using namespace std::chrono_literals;

constexpr int kUser = 2;  // bob@lab.test

// "10-May-2024 11:59:59 +0000", the APPEND date-time of an instant.
inline std::string imap_date(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%d-%b-%Y %H:%M:%S +0000", &tm);
  return buf;
}

inline std::string message(const std::string& subject, const std::string& id, const std::string& from = "Bob <bob@lab.test>",
                           const std::string& to = "alice@lab.test") {
  return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + id +
         ">\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8"
         "\r\nContent-Transfer-Encoding: 8bit\r\n\r\nbody of " + subject + "\r\n";
}

class MailboxLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!lab_available()) GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
    admin_ = imap_lab::connect(imap_lab::options("LAB_IMAPS_PORT", kUser));
    ASSERT_TRUE(admin_);
    store_ = std::make_unique<mail::ImapMailStore>(
        [](Deadline d) { return imap::Session::connect(imap_lab::options("LAB_IMAPS_PORT", kUser), d); });
    token_ = std::to_string(::getpid()) + "." + std::to_string(counter_++);
  }
  void TearDown() override {
    if (store_) (void)store_->close(imap_lab::soon());
    if (admin_) {
      for (const auto& f : created_) (void)imap_lab::remove(*admin_, f);
      (void)admin_->logout(imap_lab::soon());
    }
  }

  std::string folder(const std::string& prefix) {
    created_.push_back(imap_lab::unique_folder(prefix));
    EXPECT_TRUE(imap_lab::create(*admin_, created_.back()));
    return created_.back();
  }
  // A Message-ID unique to this test run.
  std::string id(const std::string& name) const { return name + "." + token_ + "@lab.test"; }

  void append(const std::string& folder, const std::string& bytes,
              std::optional<std::chrono::system_clock::time_point> when = {}, const std::string& flags = {}) {
    imap::wire::CommandBuilder b("APPEND", admin_->capabilities().has("LITERAL+"));
    b.mailbox(folder);
    if (!flags.empty()) b.raw("(" + flags + ")");
    if (when) b.string(imap_date(*when));
    b.literal(bytes);
    auto c = b.build();
    ASSERT_TRUE(c) << c.error().to_string();
    auto r = admin_->run(*c, {}, imap_lab::soon());
    ASSERT_TRUE(r) << r.error().to_string();
  }

  // The UIDs of a folder, seen from a fresh selection (so other sessions' changes are visible).
  std::vector<std::uint32_t> uids(const std::string& folder) {
    (void)store_->close(imap_lab::soon());
    auto r = store_->search(folder, mail::SearchCriteria::all(), imap_lab::soon());
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : std::vector<std::uint32_t>{};
  }
  std::vector<std::uint32_t> with_id(const std::string& folder, const std::string& message_id) {
    (void)store_->close(imap_lab::soon());
    auto r = store_->find_by_message_id(folder, message_id, imap_lab::soon());
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : std::vector<std::uint32_t>{};
  }
  std::vector<mail::MessageMetadata> metadata(const std::string& folder) {
    const auto all = uids(folder);
    auto r = store_->fetch_metadata(folder, all, imap_lab::soon());
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : std::vector<mail::MessageMetadata>{};
  }

  // Runs `emailv2 --config <lab config> <action> <args>` as bob, IMAPS unless `port_key` says otherwise.
  CliRun run(const std::string& action, std::vector<std::string> args, const std::string& port_key = "LAB_IMAPS_PORT",
             const std::string& extra_config = {}) {
    TempDir dir;
    std::string body = "[integration]\n\"Sender's Address\" = \"soc@lab.test\"\n";
    body += "Username = \"" + lab("LAB_USER" + std::to_string(kUser)) + "\"\n";
    body += "\"CA File\" = \"" + lab("LAB_CA") + "\"\n";
    body += "\"IMAP Server Address\" = \"" + lab("LAB_HOST") + "\"\n\"IMAP Port\" = " + lab(port_key) + "\n";
    body += std::string("\"IMAP - Use SSL\" = ") + (port_key.find("IMAPS") != std::string::npos ? "true" : "false") +
            "\n" + extra_config;
    const auto path = dir.path() / "emailv2.toml";
    write_file(path, body);
    ::chmod(path.c_str(), 0600);
    std::vector<std::string> argv{"--config", path.string(), "--timeout", "60", action};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_cli(argv, {{"EMAILV2_PASSWORD", lab("LAB_PASS" + std::to_string(kUser))}}, dir.path());
  }

  std::unique_ptr<imap::Session> admin_;
  std::unique_ptr<mail::ImapMailStore> store_;
  std::vector<std::string> created_;
  std::string token_;
  static inline int counter_ = 0;
};

inline std::vector<std::string> subjects(const nlohmann::json& envelope) {
  std::vector<std::string> out;
  for (const auto& e : envelope["json_result"]["emails"]) out.push_back(e["subject"].get<std::string>());
  return out;
}

}  // namespace emailv2::testing::mailbox
