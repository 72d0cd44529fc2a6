#include "store/case_views.h"

#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using nlohmann::ordered_json;
using testing::create_case;
using testing::open_or_die;

std::vector<std::string> keys(const ordered_json& j) {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
  return out;
}

const std::vector<std::string> kCaseKeys{"case_id", "title", "environment", "priority", "status", "created_at", "alerts"};
const std::vector<std::string> kAlertKeys{"alert_id", "identifier",     "display_id", "name",
                                          "kind",     "device_product", "start_time", "source"};
const std::vector<std::string> kSourceKeys{"account", "folder", "uidvalidity", "uid"};

TEST(CaseViews, ListShapeMatchesTheContractExactly) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  const CreatedCase older = create_case(db, 1, "older");
  const CreatedCase newer = create_case(db, 2, "newer");
  auto view = cases_list_view(db, 50, 0);
  ASSERT_TRUE(view) << view.error().to_string();
  ASSERT_TRUE(view->is_array());
  ASSERT_EQ(view->size(), 2u);
  const ordered_json& c = (*view)[0];
  EXPECT_EQ(keys(c), kCaseKeys);
  EXPECT_EQ(c["case_id"], newer.case_id);
  EXPECT_EQ((*view)[1]["case_id"], older.case_id);
  EXPECT_EQ(c["title"], "newer");
  EXPECT_EQ(c["environment"], "Default Environment");
  EXPECT_EQ(c["priority"], 40);
  EXPECT_EQ(c["status"], "open");
  EXPECT_EQ(c["created_at"], "2023-11-14T22:13:20Z");
  ASSERT_EQ(c["alerts"].size(), 1u);
  const ordered_json& a = c["alerts"][0];
  EXPECT_EQ(keys(a), kAlertKeys);
  EXPECT_EQ(a["alert_id"], newer.alert_ids[0]);
  EXPECT_EQ(a["identifier"], "<CAJP=A_uGktt@mail.example.com>");
  EXPECT_EQ(a["kind"], "email");
  EXPECT_EQ(a["device_product"], "Mail");
  EXPECT_EQ(a["start_time"], 1566814813000);
  EXPECT_EQ(keys(a["source"]), kSourceKeys);
  EXPECT_EQ(a["source"]["uidvalidity"], 1700000000);
  EXPECT_EQ(a["source"]["uid"], 7);
  EXPECT_EQ(a["source"]["folder"], "Inbox");
}

TEST(CaseViews, EmptyStoreListsAnEmptyArray) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  auto view = cases_list_view(db, 50, 0);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->dump(), "[]");
}

TEST(CaseViews, ShowAddsEventsAndWallMetadataWithoutContent) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  const CreatedCase created = create_case(db, 1);
  auto view = case_show_view(db, created.case_id);
  ASSERT_TRUE(view && *view) << (view ? "not found" : view.error().to_string());
  const ordered_json& c = **view;
  std::vector<std::string> show_keys = kCaseKeys;
  show_keys.push_back("wall");
  EXPECT_EQ(keys(c), show_keys);
  std::vector<std::string> alert_keys = kAlertKeys;
  alert_keys.push_back("events");
  EXPECT_EQ(keys(c["alerts"][0]), alert_keys);
  const ordered_json& e = c["alerts"][0]["events"][0];
  EXPECT_EQ(keys(e), (std::vector<std::string>{"event_name", "fields"}));
  EXPECT_EQ(e["event_name"], "Email Received in Monitoring Mailbox");
  EXPECT_EQ(e["fields"].dump(),
            R"({"orig_subject":"Cool offer","orig_from":"user@test.example","event_name_mail_type":"Email Received in Monitoring Mailbox"})");
  ASSERT_EQ(c["wall"].size(), 1u);
  const ordered_json& w = c["wall"][0];
  EXPECT_EQ(keys(w), (std::vector<std::string>{"attachment_id", "alert_id", "file_name", "name", "type",
                                               "description", "size", "md5", "sha1", "sha256", "added_by",
                                               "added_at"}));
  EXPECT_EQ(w["file_name"], "pdfdocument.pdf");
  EXPECT_EQ(w["type"], ".pdf");
  EXPECT_EQ(w["size"], 16);
  EXPECT_EQ(w["alert_id"], created.alert_ids[0]);
  EXPECT_EQ(w["added_by"], "connector");
  EXPECT_EQ(w["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(c.dump().find("%PDF"), std::string::npos);  // never the content
}

TEST(CaseViews, ShowOfAMissingCaseIsNullopt) {
  TempDir dir;
  Database db = open_or_die(dir.path() / "store.sqlite");
  auto view = case_show_view(db, 77);
  ASSERT_TRUE(view);
  EXPECT_FALSE(*view);
}

}  // namespace
}  // namespace emailv2::store
