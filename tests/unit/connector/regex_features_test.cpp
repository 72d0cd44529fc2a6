// §5.2: Dynamic List keys and additional header keys.
#include "connector/regex_features.h"

#include <gtest/gtest.h>

#include "case_fixtures.h"
#include "connector/settings_rules.h"
#include "connector_test_support.h"
#include "core/limits.h"

namespace emailv2::connector {
namespace {

using Json = nlohmann::ordered_json;

std::vector<DynamicRule> rules(std::initializer_list<const char*> texts) {
  std::vector<DynamicRule> out;
  for (const char* t : texts) {
    auto r = rules::parse_dynamic_rule(t);
    EXPECT_TRUE(r) << t;
    if (r) out.push_back(*r);
  }
  return out;
}

std::vector<HeaderRule> headers(const char* csv) {
  auto r = rules::parse_header_rules(csv);
  EXPECT_TRUE(r) << csv;
  return r ? *r : std::vector<HeaderRule>{};
}

using Keys = std::vector<std::pair<std::string, std::string>>;

TEST(DynamicList, DocumentationUrlsRuleGivesNumberedKeys) {
  ExtraKeys out;
  add_dynamic_list_keys("go to https://a.example/x and http://b.example/y?q=1 now",
                        rules({"urls: http[s]?://(?:[a-zA-Z]|[0-9]|[$-_@.&+]|[!*(),]|(?:%0-9a-fA-F))+"}), out);
  EXPECT_EQ(out.keys, (Keys{{"regex_urls_1", "https://a.example/x"}, {"regex_urls_2", "http://b.example/y?q=1"}}));
  EXPECT_FALSE(out.truncated);
}

TEST(DynamicList, OneHitIsUnnumberedAndValuesFollowTheForwardRule) {
  ExtraKeys out;
  add_dynamic_list_keys("Subject: Hello  \r\nTo: a@b\r\nTo: c@d\r\n",
                        rules({"subject: Subject: (.*)", "to: (?m)^To: (.*)", "none: (zzz)", "alt: (x)|(Hel)lo"}), out);
  EXPECT_EQ(out.keys, (Keys{{"regex_subject", "Hello"},  // trimmed of " \r\n"
                            {"regex_to_1", "a@b"},
                            {"regex_to_2", "c@d"},
                            {"regex_alt", "Hel"}}));  // first non-empty group
}

TEST(DynamicList, WholeMatchWithoutGroupsAndEmptyHitsSkipped) {
  ExtraKeys out;
  add_dynamic_list_keys("ab ab", rules({"ab: ab", "empty: x*"}), out);
  EXPECT_EQ(out.keys, (Keys{{"regex_ab_1", "ab"}, {"regex_ab_2", "ab"}}));
}

TEST(DynamicList, HitCapIs1000) {
  std::string body;
  for (int i = 0; i < 1500; ++i) body += "ID-" + std::to_string(i) + " ";
  ExtraKeys out;
  add_dynamic_list_keys(body, rules({"ids: ID-(\\d+)"}), out);
  ASSERT_EQ(out.keys.size(), limits::kDynamicListHits);
  EXPECT_EQ(out.keys.back(), (std::pair<std::string, std::string>{"regex_ids_1000", "999"}));
  EXPECT_TRUE(out.truncated);
  ASSERT_EQ(out.warnings.size(), 1u);
  // Exactly 1000 hits is not truncated.
  body.clear();
  for (int i = 0; i < 1000; ++i) body += "ID-1 ";
  ExtraKeys exact;
  add_dynamic_list_keys(body, rules({"ids: ID-(\\d+)"}), exact);
  EXPECT_EQ(exact.keys.size(), 1000u);
  EXPECT_FALSE(exact.truncated);
}

TEST(DynamicList, ValueCapIs64KiBAtACharacterBoundary) {
  std::string body = "V:";
  for (int i = 0; i < 30000; ++i) body += "\xC3\xA9";  // 60000 bytes
  body += std::string(10000, 'x');
  ExtraKeys out;
  add_dynamic_list_keys(body, rules({"v: V:(.*)"}), out);
  ASSERT_EQ(out.keys.size(), 1u);
  EXPECT_LE(out.keys[0].second.size(), limits::kDynamicListValueBytes);
  EXPECT_GE(out.keys[0].second.size(), limits::kDynamicListValueBytes - 3);
  EXPECT_TRUE(out.truncated);
  // Exactly 64 KiB stays whole.
  ExtraKeys exact;
  add_dynamic_list_keys("V:" + std::string(limits::kDynamicListValueBytes, 'y'), rules({"v: V:(.*)"}), exact);
  EXPECT_EQ(exact.keys[0].second.size(), limits::kDynamicListValueBytes);
  EXPECT_FALSE(exact.truncated);
}

TEST(DynamicList, InvalidUtf8ValuesBecomeValid) {
  ExtraKeys out;
  add_dynamic_list_keys("K:\xFF\xFE!", rules({"k: K:(.*)"}), out);
  ASSERT_EQ(out.keys.size(), 1u);
  EXPECT_NO_THROW((void)Json(out.keys[0].second).dump());
}

std::vector<mime::HeaderField> fields(std::initializer_list<std::pair<const char*, const char*>> kv) {
  std::vector<mime::HeaderField> out;
  for (const auto& [k, v] : kv) out.push_back({k, v});
  return out;
}

TEST(AdditionalHeaders, WholeNameCaseInsensitiveTrailingColonIgnored) {
  const auto hs = fields({{"X-Mailer", "Outlook 16"}, {"X-Mailer-Extra", "no"}, {"x-mailer", "second"},
                          {"Mailer", "not me"}, {"Received", "from a"}, {"Received", "from b"},
                          {"X-Spam-Score", "5.1"}});
  ExtraKeys out;
  add_header_keys(hs, headers("x-MAILER:, X-Spam-.*"), Json::object(), out);
  EXPECT_EQ(out.keys, (Keys{{"X-Mailer", "Outlook 16"}, {"X-Mailer_2", "second"}, {"X-Spam-Score", "5.1"}}));
}

TEST(AdditionalHeaders, ReceivedCollidesWithTheCoreKey) {
  // `received` is a Mail Object key (INTERNALDATE), so D's `Received:` example lands in header_Received.
  const auto hs = fields({{"Received", "from a"}, {"Received", "from b"}, {"Subject", "s"}, {"X-Url", "u"}, {"Url", "v"}});
  Json taken = Json::object();
  taken["received"] = "Mon, 26 Aug 2019 10:20:15 +0000";
  taken["subject"] = "s";
  ExtraKeys out;
  add_header_keys(hs, headers("Received:, Subject, X-Url, url"), taken, out);
  EXPECT_EQ(out.keys, (Keys{{"header_Received", "from a"}, {"header_Received_2", "from b"}, {"header_Subject", "s"},
                            {"X-Url", "u"}, {"header_Url", "v"}}));  // `url` is the url_N family
}

TEST(AdditionalHeaders, ValuesAreDecodedAndTrimmed) {
  const auto hs = fields({{"X-Note", " =?UTF-8?B?w6l0w6k=?= =?ISO-8859-1?Q?caf=E9?=  "}, {"X-Raw", "a\tb"}});
  ExtraKeys out;
  add_header_keys(hs, headers("X-Note,X-Raw"), Json::object(), out);
  EXPECT_EQ(out.keys, (Keys{{"X-Note", "\xC3\xA9t\xC3\xA9" "caf\xC3\xA9"}, {"X-Raw", "a\tb"}}));
}

TEST(AdditionalHeaders, ParsedMailUnfoldsFoldedValues) {
  const test::Ingest in(test::fixture("phishing_report.eml"));
  ExtraKeys out;
  add_header_keys(in.message.headers, headers("Received:"), Json::object(), out);
  ASSERT_EQ(out.keys.size(), 2u);
  EXPECT_EQ(out.keys[0].first, "Received");
  EXPECT_EQ(out.keys[0].second.find('\n'), std::string::npos);
  EXPECT_NE(out.keys[0].second.find("by imap.corp.example with LMTP id 42"), std::string::npos);
}

TEST(AdditionalHeaders, OccurrenceCap) {
  std::vector<mime::HeaderField> hs;
  for (int i = 0; i < 1200; ++i) hs.push_back({"X-Hop", std::to_string(i)});
  ExtraKeys out;
  add_header_keys(hs, headers("X-Hop"), Json::object(), out);
  EXPECT_EQ(out.keys.size(), limits::kDynamicListHits);
  EXPECT_EQ(out.keys.back().first, "X-Hop_1000");
  EXPECT_TRUE(out.truncated);
}

TEST(AdditionalHeaders, ManyDistinctHeadersAgainstManyTakenKeys) {
  std::vector<mime::HeaderField> hs;
  for (int i = 0; i < 5000; ++i) hs.push_back({"X-H" + std::to_string(i), "v"});
  hs.push_back({"URL_7", "clash"});
  Json taken = Json::object();
  for (int i = 1; i <= 1000; ++i) taken["url_" + std::to_string(i)] = "u";
  ExtraKeys out;
  add_header_keys(hs, headers(".*"), taken, out);
  ASSERT_EQ(out.keys.size(), 5001u);
  EXPECT_EQ(out.keys.back().first, "header_URL_7");
}

TEST(AdditionalHeaders, NamelessFieldsGiveNoKey) {
  ExtraKeys out;
  add_header_keys(fields({{"", "x"}, {" ", "y"}, {"A", "b"}}), headers(".*"), Json::object(), out);
  EXPECT_EQ(out.keys, (Keys{{"A", "b"}}));
}

TEST(AdditionalHeaders, NoRulesNoKeys) {
  ExtraKeys out;
  add_header_keys(fields({{"A", "b"}}), {}, Json::object(), out);
  EXPECT_TRUE(out.keys.empty());
}

}  // namespace
}  // namespace emailv2::connector
