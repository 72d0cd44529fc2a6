#pragma once
// Shared fixture of the cycle_*_test.cpp files: a MemoryMailStore, a fresh case store in a TempDir, a FakeClock,
// Settings built through load_settings() from a [connector] table, and helpers to run a cycle and read the store.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>

#include "connector/cycle.h"
#include "connector/lease_guard.h"
#include "store/lease_repository.h"
#include "connector/settings.h"
#include "core/clock.h"
#include "mail/memory_mail_store.h"
#include "store/case_repository.h"
#include "store/checkpoint_repository.h"
#include "store/database.h"
#include "store/ledger_repository.h"
#include "support/test_env.h"

namespace emailv2::connector::testing {

using namespace std::chrono_literals;
using Call = mail::MemoryMailStore::Call;

inline TimePoint at_utc(int y, unsigned m, unsigned d, std::chrono::seconds time_of_day = 12h) {
  return std::chrono::sys_days(std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}) + time_of_day;
}

inline std::string mail_text(const std::string& subject, const std::string& message_id, const std::string& body = "hello",
                             const std::string& extra_headers = "") {
  std::string m = "From: Reporter <reporter@example.com>\r\nTo: soc@example.com\r\nSubject: " + subject + "\r\n";
  if (!message_id.empty()) m += "Message-ID: <" + message_id + ">\r\n";
  m += "Date: Fri, 10 May 2024 12:00:00 +0000\r\n" + extra_headers + "MIME-Version: 1.0\r\n"
       "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
  return m;
}

class CycleTest : public ::testing::Test {
 protected:
  CycleTest() : clock_(at_utc(2024, 5, 20)), mail_({}, clock_) {}

  void SetUp() override {
    config_["imap-server-address"] = "imap.example.com";
    config_["imap-port"] = "993";
    config_["username"] = "soc@example.com";
    config_["folder-to-check-for-emails"] = "Inbox";
    config_["max-emails-per-cycle"] = "100";
    store_path_ = (dir_.path() / "cases.sqlite").string();
    store::OpenOptions options;
    options.busy_timeout = 200ms;
    auto db = store::Database::open(store_path_, options);
    ASSERT_TRUE(db) << db.error().to_string();
    db_.emplace(std::move(*db));
  }

  Settings settings() {
    ConfigSection connector;
    connector.table = "connector";
    for (const auto& [k, v] : config_) connector.values[k] = ConfigValue{v, k, "test", std::nullopt};
    connector.secrets["password"] = SecretSource::from_value(Secret("secret-pw"), "test");
    ConfigSection integration;
    integration.table = "integration";
    auto s = load_settings(connector, integration);
    EXPECT_TRUE(s) << s.error().to_string();
    return s ? std::move(*s) : Settings{};
  }

  CycleSummary cycle(CycleOptions options = {}) {
    options.store_path = store_path_;
    const Settings s = settings_override_ ? *settings_override_ : settings();
    return run_cycle(s, mail_, *db_, clock_, options);
  }

  std::vector<store::CaseSummary> cases() {
    auto list = store::CaseRepository(*db_).list(100000, 0);
    EXPECT_TRUE(list) << list.error().to_string();
    return list ? *list : std::vector<store::CaseSummary>{};
  }

  std::optional<store::LedgerRow> ledger(const std::string& folder, std::uint32_t uid) {
    const Settings s = settings();
    auto row = store::LedgerRepository(*db_).find(
        {s.instance, s.account, folder, static_cast<std::uint32_t>(mail_.uid_validity(folder)), uid});
    EXPECT_TRUE(row) << row.error().to_string();
    return row ? *row : std::nullopt;
  }

  std::optional<store::FolderCheckpoint> checkpoint(const std::string& folder) {
    const Settings s = settings();
    auto cp = store::CheckpointRepository(*db_).load({s.instance, s.account, folder});
    EXPECT_TRUE(cp) << cp.error().to_string();
    return cp ? *cp : std::nullopt;
  }

  bool seen(const std::string& folder, std::uint32_t uid) {
    const auto m = mail_.message(folder, uid);
    if (!m) return false;
    for (const auto& f : m->flags) {
      if (f == "\\Seen") return true;
    }
    return false;
  }

  std::int64_t count_rows(const std::string& table) {
    sqlite3_stmt* st = nullptr;
    const std::string sql = "SELECT COUNT(*) FROM \"" + table + "\"";
    if (sqlite3_prepare_v2(db_->handle().raw(), sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return -1;
    std::int64_t n = -1;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }

  void exec(const std::string& sql) {
    ASSERT_EQ(sqlite3_exec(db_->handle().raw(), sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_->handle().raw());
  }

  emailv2::testing::TempDir dir_;
  FakeClock clock_;
  mail::MemoryMailStore mail_;
  std::map<std::string, std::string> config_;
  std::string store_path_;
  std::optional<store::Database> db_;
  std::optional<Settings> settings_override_;
};

}  // namespace emailv2::connector::testing
