#pragma once
// Shared helpers for the store unit tests: a fresh store in a TempDir and sample rows.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "store/case_repository.h"
#include "store/database.h"
#include "store/ledger_repository.h"
#include "support/test_env.h"

namespace emailv2::store::testing {

inline TimePoint at_ms(std::int64_t ms) { return from_epoch_ms(ms); }
inline const TimePoint kT0 = at_ms(1'700'000'000'000);

inline Database open_or_die(const std::filesystem::path& path, OpenOptions options = {}) {
  auto db = Database::open(path, options);
  if (!db) ADD_FAILURE() << "open failed: " << db.error().to_string();
  return std::move(*db);
}

inline MessageIdentity identity(std::uint32_t uid, std::string folder = "Inbox") {
  return MessageIdentity{"default", "soc@lab.test@127.0.0.1:993", std::move(folder), 1700000000, uid};
}

inline LedgerEntry ledger_entry(std::uint32_t uid, std::string message_id = "<m@lab.test>",
                                std::string sha = std::string(64, 'a')) {
  LedgerEntry e;
  e.identity = identity(uid);
  e.message_id = std::move(message_id);
  e.raw_sha256 = std::move(sha);
  e.size = 1234;
  e.internaldate = at_ms(1'700'000'000'000);
  return e;
}

// Inserts a ledger row in its own transaction and returns its id.
inline LedgerId insert_ledger(Database& db, const LedgerEntry& e) {
  auto tx = db.begin_write();
  EXPECT_TRUE(tx) << tx.error().to_string();
  auto id = LedgerRepository(db).insert(*tx, e, kT0);
  EXPECT_TRUE(id && *id) << (id ? "ignored" : id.error().to_string());
  EXPECT_TRUE(tx->commit());
  return id && *id ? **id : 0;
}

inline NewAlert sample_alert(std::string identifier, AlertKind kind = AlertKind::kEmail) {
  NewAlert a;
  a.identifier = identifier;
  a.ticket_id = identifier;
  a.display_id = identifier;
  a.name = "soc@lab.test_1566814813000";
  a.rule_generator = "Monitored Mailbox soc@lab.test";
  a.environment = "Default Environment";
  a.start_time = 1566814813000;
  a.end_time = 1566814813000;
  a.kind = kind;
  a.source = {"soc@lab.test@127.0.0.1:993", "Inbox", 1700000000, 7};
  a.message_id = identifier;
  NewEvent e;
  e.event_name = "Email Received in Monitoring Mailbox";
  e.fields = nlohmann::ordered_json{{"orig_subject", "Cool offer"}, {"orig_from", "user@test.example"},
                                    {"event_name_mail_type", "Email Received in Monitoring Mailbox"}};
  a.events.push_back(e);
  return a;
}

inline NewCase sample_case(LedgerId ledger_id, std::string title = "Re: Cool offer") {
  NewCase c;
  c.ledger_id = ledger_id;
  c.title = std::move(title);
  c.environment = "Default Environment";
  c.alerts.push_back(sample_alert("<CAJP=A_uGktt@mail.example.com>"));
  NewWallFile w;
  w.alert_index = 0;
  w.file = WallFile{std::nullopt, "pdfdocument.pdf", "pdfdocument", ".pdf", "Original email attachment",
                    std::string("%PDF-1.4\0binary\xff", 16), AddedBy::kConnector, std::nullopt};
  c.wall.push_back(w);
  return c;
}

// Creates ledger row + case in one transaction (as the connector does) and returns the case.
inline CreatedCase create_case(Database& db, std::uint32_t uid, std::string title = "Re: Cool offer") {
  auto tx = db.begin_write();
  EXPECT_TRUE(tx) << tx.error().to_string();
  auto ledger = LedgerRepository(db).insert(*tx, ledger_entry(uid), kT0);
  EXPECT_TRUE(ledger && *ledger);
  auto created = CaseRepository(db).create(*tx, sample_case(**ledger, std::move(title)), kT0);
  EXPECT_TRUE(created) << created.error().to_string();
  EXPECT_TRUE(tx->commit());
  return created ? *created : CreatedCase{};
}

}  // namespace emailv2::store::testing
