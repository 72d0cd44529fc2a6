#include "store/case_repository.h"

#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::create_case;
using testing::kT0;
using testing::ledger_entry;
using testing::open_or_die;
using testing::sample_alert;
using testing::sample_case;

class CaseTest : public ::testing::Test {
 protected:
  TempDir dir_;
  Database db_ = open_or_die(dir_.path() / "store.sqlite");
  CaseRepository cases_{db_};
};

TEST_F(CaseTest, CreateWritesAlertsEventsWallAndLinksTheLedger) {
  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  auto ledger = LedgerRepository(db_).insert(*tx, ledger_entry(5), kT0);
  ASSERT_TRUE(ledger && *ledger);
  NewCase c = sample_case(**ledger);
  NewAlert attached = sample_alert("<inner@lab.test>", AlertKind::kAttachedMail);
  NewEvent copy = c.alerts[0].events[0];
  attached.events.push_back(copy);
  c.alerts.push_back(attached);
  NewWallFile eml;
  eml.alert_index = 1;
  eml.file = WallFile{std::nullopt, "inner.eml", "inner", ".eml", "Attached email file", "Subject: x\r\n\r\nhi",
                      AddedBy::kConnector, std::nullopt};
  c.wall.push_back(eml);
  c.wall.push_back(c.wall[0]);  // a repeated file is stored once
  auto created = cases_.create(*tx, c, kT0);
  ASSERT_TRUE(created) << created.error().to_string();
  ASSERT_TRUE(tx->commit());
  ASSERT_EQ(created->alert_ids.size(), 2u);

  auto shown = cases_.show(created->case_id);
  ASSERT_TRUE(shown && *shown);
  const CaseDetail& d = **shown;
  EXPECT_EQ(d.record.title, "Re: Cool offer");
  EXPECT_EQ(d.record.status, "open");
  EXPECT_EQ(d.record.priority, 40);
  EXPECT_EQ(d.record.ledger_id, **ledger);
  EXPECT_EQ(d.record.created_at, kT0);
  ASSERT_EQ(d.alerts.size(), 2u);
  EXPECT_EQ(d.alerts[0].first.ordinal, 1);
  EXPECT_EQ(d.alerts[0].first.kind, AlertKind::kEmail);
  EXPECT_EQ(d.alerts[1].first.ordinal, 2);
  EXPECT_EQ(d.alerts[1].first.kind, AlertKind::kAttachedMail);
  EXPECT_EQ(d.alerts[1].first.identifier, "<inner@lab.test>");
  EXPECT_EQ(d.alerts[0].second.size(), 1u);
  ASSERT_EQ(d.alerts[1].second.size(), 2u);
  EXPECT_EQ(d.alerts[1].second[1].ordinal, 2);
  // Event fields keep the connector's key order.
  EXPECT_EQ(d.alerts[0].second[0].fields.begin().key(), "orig_subject");
  ASSERT_EQ(d.wall.size(), 2u);
  EXPECT_EQ(d.wall[0].alert_id, created->alert_ids[0]);
  EXPECT_EQ(d.wall[1].alert_id, created->alert_ids[1]);

  auto row = LedgerRepository(db_).get(**ledger);
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->entry.case_id, created->case_id);
  EXPECT_EQ((*cases_.first_alert(created->case_id))->alert_id, created->alert_ids[0]);
  EXPECT_EQ((*cases_.alert(created->alert_ids[1]))->message_id, "<inner@lab.test>");
}

TEST_F(CaseTest, ASecondCaseForTheSameLedgerRowIsRefused) {
  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  auto ledger = LedgerRepository(db_).insert(*tx, ledger_entry(5), kT0);
  ASSERT_TRUE(cases_.create(*tx, sample_case(**ledger), kT0));
  auto second = cases_.create(*tx, sample_case(**ledger), kT0);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kStoreError);
}

TEST_F(CaseTest, EventFieldsMustBeAJsonObject) {
  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  auto ledger = LedgerRepository(db_).insert(*tx, ledger_entry(5), kT0);
  NewCase c = sample_case(**ledger);
  c.alerts[0].events[0].fields = nlohmann::ordered_json::array({1, 2});
  auto created = cases_.create(*tx, c, kT0);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code(), ErrorCode::kStoreError);
}

TEST_F(CaseTest, InvalidUtf8InEventFieldsIsReplacedNotThrown) {
  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  auto ledger = LedgerRepository(db_).insert(*tx, ledger_entry(5), kT0);
  NewCase c = sample_case(**ledger);
  c.alerts[0].events[0].fields["orig_subject"] = std::string("bad \xff\xfe bytes");
  auto created = cases_.create(*tx, c, kT0);
  ASSERT_TRUE(created) << created.error().to_string();
  ASSERT_TRUE(tx->commit());
  auto shown = cases_.show(created->case_id);
  EXPECT_EQ((*shown)->alerts[0].second[0].fields["orig_subject"], "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

TEST_F(CaseTest, ListIsNewestFirstWithLimitAndOffset) {
  std::vector<CaseId> ids;
  for (std::uint32_t uid = 1; uid <= 5; ++uid) ids.push_back(create_case(db_, uid, "case " + std::to_string(uid)).case_id);
  auto page1 = cases_.list(2, 0);
  ASSERT_TRUE(page1);
  ASSERT_EQ(page1->size(), 2u);
  EXPECT_EQ((*page1)[0].record.case_id, ids[4]);
  EXPECT_EQ((*page1)[1].record.case_id, ids[3]);
  EXPECT_EQ((*page1)[0].alerts.size(), 1u);
  auto page3 = cases_.list(2, 4);
  ASSERT_TRUE(page3);
  ASSERT_EQ(page3->size(), 1u);
  EXPECT_EQ((*page3)[0].record.title, "case 1");
  EXPECT_TRUE(cases_.list(10, 5)->empty());
  EXPECT_EQ(cases_.list(-1, 0)->size(), 5u);  // SQLite: a negative LIMIT means no limit
}

TEST_F(CaseTest, MissingCaseAndAlert) {
  EXPECT_FALSE(*cases_.exists(1));
  EXPECT_FALSE(*cases_.show(1));
  EXPECT_FALSE(*cases_.alert(1));
  EXPECT_FALSE(*cases_.first_alert(1));
  const CaseId c = create_case(db_, 1).case_id;
  EXPECT_TRUE(*cases_.exists(c));
}

}  // namespace
}  // namespace emailv2::store
