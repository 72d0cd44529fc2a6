// Golden tests of what an ingested mail becomes (CONTRACT §5.4): the dry-run alert JSON (alerts, events, wall files)
// of each fixture under each interesting setting, compared byte for byte with tests/data/connector/*.golden.json.
// The goldens were reviewed by hand; regenerate after a reviewed change with EMAILV2_UPDATE_GOLDEN=1.
#include <gtest/gtest.h>

#include <cstdlib>

#include "case_fixtures.h"
#include "connector_test_support.h"

namespace emailv2::connector {
namespace {

using Json = nlohmann::ordered_json;

const TimePoint kNow = from_epoch_ms(1700000000000);

Json render(const store::NewCase& c) {
  Json j;
  j["title"] = c.title;
  j["environment"] = c.environment;
  j["priority"] = c.priority;
  j["alerts"] = alerts_json(c);
  return j;
}

struct GoldenCase {
  const char* name;
  std::string raw;
  test::KeyValues settings;
  bool over_limit = false;
};

std::string headers_of(const std::string& raw) { return raw.substr(0, raw.find("\n\n") + 2); }

std::vector<GoldenCase> cases() {
  const test::KeyValues phishing_rules = {
      {"Additional headers to extract from emails", "Received:, x-mailer"},
      {"Dynamic List", R"j(["urls: http[s]?://(?:[a-zA-Z]|[0-9]|[$-_@.&+]|[!*(),]|(?:%0-9a-fA-F))+", "ids: ID-(\\d+)"])j"},
      {"Environment Field Name", "orig_from"},
      {"Environment Regex Pattern", "@([a-z]+)\\."}};
  test::KeyValues separate = phishing_rules;
  separate.push_back({"Create a Separate Siemplify Alert per Attached Mail File?", "true"});
  test::KeyValues empty_prefix = {{"Original Received Mail Prefix", ""}, {"Attached Mail File Prefix", ""}};
  const std::string phishing = test::fixture("phishing_report.eml");
  return {
      {"phishing_report_default", phishing, phishing_rules},
      {"phishing_report_separate_alerts", phishing, separate},
      {"phishing_report_empty_prefix", phishing, empty_prefix},
      {"phishing_report_over_limit", headers_of(phishing), {}, true},
      {"html_urls", test::fixture("html_urls.eml"), {{"Product Field Name", "orig_from"}, {"Attach Original EML", "true"}}},
      {"no_message_id", test::fixture("no_message_id.eml"), {{"Event Field Name", "orig_subject"}}},
      {"empty_subject", test::fixture("empty_subject.eml"), {{"Attach Original EML", "true"}}},
      {"outlook_msg", test::mail_with_msg_attachment(), {{"Default Environment", "Finance"}}},
  };
}

TEST(ConnectorGolden, Fixtures) {
  const auto dir = testing::source_dir() / "tests/data/connector";
  for (const GoldenCase& gc : cases()) {
    SCOPED_TRACE(gc.name);
    const Settings s = test::settings(gc.settings);
    const test::Ingest ingest(gc.raw, gc.over_limit);
    const std::string got = render(build_case(ingest.input(), s, kNow)).dump(2) + "\n";
    const auto golden = dir / (std::string(gc.name) + ".golden.json");
    if (std::getenv("EMAILV2_UPDATE_GOLDEN") != nullptr) testing::write_file(golden, got);
    ASSERT_TRUE(std::filesystem::exists(golden)) << golden;
    EXPECT_EQ(got, testing::read_file(golden));
  }
}

TEST(ConnectorGolden, FetchFailedPlaceholders) {
  const auto dir = testing::source_dir() / "tests/data/connector";
  const Settings s = test::settings();
  const std::string partial = headers_of(test::fixture("phishing_report.eml"));
  const struct {
    const char* name;
    std::string raw;
  } rows[] = {{"fetch_failed_empty", ""}, {"fetch_failed_partial", partial}};
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    const store::NewCase c = build_fetch_failed_case(test::identity(), row.raw,
                                                     "IMAP_NO: IMAP server replied NO to UID FETCH: [UNAVAILABLE]", s, kNow);
    const std::string got = render(c).dump(2) + "\n";
    const auto golden = dir / (std::string(row.name) + ".golden.json");
    if (std::getenv("EMAILV2_UPDATE_GOLDEN") != nullptr) testing::write_file(golden, got);
    ASSERT_TRUE(std::filesystem::exists(golden)) << golden;
    EXPECT_EQ(got, testing::read_file(golden));
  }
}

}  // namespace
}  // namespace emailv2::connector
