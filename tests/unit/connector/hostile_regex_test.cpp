// Catastrophic-backtracking patterns (ReDoS classics) through every user-regex parameter of the connector, against
// 100 KB hostile inputs. RE2 is linear, so every case finishes; the test asserts what was matched (counts), never
// how long it took (the ctest TIMEOUT is the backstop).
#include <gtest/gtest.h>

#include <chrono>

#include "case_fixtures.h"
#include "connector/case_builder.h"
#include "connector_test_support.h"

namespace emailv2::connector {
namespace {

using Json = nlohmann::ordered_json;

const std::vector<std::string>& patterns() {
  static const std::vector<std::string> p = {
      "(a+)+$",          "(a|aa)+b",          "(a|a?)+b",           "(a*)*b",
      "(a+)*b",          "([a-zA-Z]+)*$",     "(.*a){20}",          "(a|b|ab)*c",
      "^(a+)+$",         "(x+x+)+y",          "(\\w+\\s?)+$",       "((a+)+)+b",
      "(a{1,10}){1,10}b", "(.*){1,30}b",      "(a*)+$",             "([^b]*)*b",
      "(aa|aab?)+$",     "(.*?,){11}P",       "^(\\d+)*$",          "(a|ab|abc)*d",
      "(?i)(A+)+B",      "(\\s*a\\s*)+b",     "((ab)*|b)*c",        "(a?){30}a{30}",
      "(.+)+x",          "(a+|b+)*c",         "([a-z]+.)+@",        "(.*)*!$",
      "^(([a-z])+.)+[A-Z]([a-z])+$", "(a|aa|aaa|aaaa)+z", "([\\s\\S]*)+q", "(\\.|[^\"])*\"",
      "(a+){2,}b",       "(?s)(.*\\n)*.*Z",   "(ab|a)*?c",          "^(a|a)*$"};
  return p;
}

constexpr std::size_t kHostileBytes = 100 * 1024;

// A mail whose subject, body and one header value are 100 KB of 'a' with no closing character, plus a 900-byte header
// name (a 100 KB header name makes the whole input unreadable as a header section: it is then all body).
std::string hostile_mail() {
  const std::string a(kHostileBytes, 'a');
  return "Message-ID: <redos@x>\r\nSubject: " + a + "\r\nX-" + std::string(900, 'a') + ": v\r\nX-Long: " + a +
         "\r\n\r\n" + a + "\r\n";
}

test::KeyValues every_regex_parameter(const std::string& p) {
  Json forward = Json::object();
  forward["subject"] = p;
  forward["hostile"] = p;
  Json dynamic = Json::array({"hostile: " + p});
  const bool needs_quotes = p.find(',') != std::string::npos;
  return {{"Additional headers to extract from emails", needs_quotes ? "\"" + p + "\"" : p},
          {"Environment Field Name", "orig_subject"},
          {"Environment Regex Pattern", p},
          {"Regex expressions to handle forwarded emails", forward.dump()},
          {"Exclusion Body Regex", p},
          {"Exclusion Subject Regex", p},
          {"Dynamic List", dynamic.dump()}};
}

TEST(HostileRegex, EveryPatternThroughEveryParameterFinishes) {
  ASSERT_GE(patterns().size(), 30u);
  const test::Ingest in(hostile_mail());
  ASSERT_EQ(in.message.raw_subject.size(), kHostileBytes);
  std::size_t loaded = 0, built = 0, consistent = 0;
  std::vector<std::string> excluded, with_dynamic_key;
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& p : patterns()) {
    SCOPED_TRACE(p);
    auto s = load_settings(test::connector_section(every_regex_parameter(p)), {});
    ASSERT_TRUE(s) << s.error().to_string();
    ++loaded;
    const IngestInput input = in.input();
    const std::optional<std::string> reason = exclusion_reason(input, *s);
    // The exclusion must agree with a direct RE2 search over the same texts.
    const re2::RE2& re = *s->exclusion_subject_regex;
    const mime::Message& m = in.message;
    const bool direct = re2::RE2::PartialMatch(m.raw_subject, re) ||
                        re2::RE2::PartialMatch(mime::apply_subject_regex(m.raw_subject, *s->forward_regexes.subject), re) ||
                        re2::RE2::PartialMatch(m.text_body, re) || re2::RE2::PartialMatch(m.html_body, re) ||
                        re2::RE2::PartialMatch(m.body, re);
    if (reason.has_value() == direct) ++consistent;
    if (reason) excluded.push_back(p);
    const store::NewCase c = build_case(input, *s, from_epoch_ms(0));
    if (c.alerts.size() == 1 && c.alerts[0].events.size() == 1) ++built;
    const Json& ev = c.alerts[0].events[0].fields;
    if (ev.contains("orig_regex_hostile") || ev.contains("orig_regex_hostile_1")) with_dynamic_key.push_back(p);
    for (const auto& [k, v] : ev.items()) {
      if (k.rfind("orig_regex_hostile", 0) == 0) {
        EXPECT_LE(v.get<std::string>().size(), 64u * 1024u);
      }
    }
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  std::printf("[ hostile ] %zu patterns x 7 parameters over 100 KB inputs: %lld ms\n", patterns().size(),
              static_cast<long long>(ms.count()));
  EXPECT_EQ(loaded, patterns().size());
  EXPECT_EQ(built, patterns().size());
  EXPECT_EQ(consistent, patterns().size());
  // All-'a' texts (the body ends with "\n", html_body is empty): only these can match. The patterns that match the
  // empty string at the end of a text exclude through the empty html_body, as a search over html_body must.
  EXPECT_EQ(excluded, (std::vector<std::string>{"(a+)+$", "([a-zA-Z]+)*$", "(.*a){20}", "^(a+)+$", "(\\w+\\s?)+$",
                                                "(a*)+$", "(aa|aab?)+$", "^(\\d+)*$", "(a?){30}a{30}", "^(a|a)*$"}));
  // Dynamic List over the body: "$" cannot follow the final "\n" with an 'a', and empty hits are skipped.
  EXPECT_EQ(with_dynamic_key, (std::vector<std::string>{"(.*a){20}", "(\\w+\\s?)+$", "(a?){30}a{30}"}));
}

TEST(HostileRegex, EachPatternAloneOverABody) {
  // The same patterns as Dynamic List rules over a 100 KB body made of near-misses ("ab" repeated, then '!').
  std::string body;
  while (body.size() < kHostileBytes) body += "ab";
  body += "!";
  const test::Ingest in("Subject: s\r\n\r\n" + body);
  std::size_t finished = 0;
  for (const std::string& p : patterns()) {
    Json dynamic = Json::array({"h: " + p});
    const Settings s = test::settings({{"Dynamic List", dynamic.dump()}});
    const store::NewCase c = build_case(in.input(), s, from_epoch_ms(0));
    std::size_t keys = 0;
    for (const auto& [k, v] : c.alerts[0].events[0].fields.items()) keys += k.rfind("orig_regex_h", 0) == 0 ? 1 : 0;
    EXPECT_LE(keys, 1000u) << p;
    ++finished;
  }
  EXPECT_EQ(finished, patterns().size());
}

}  // namespace
}  // namespace emailv2::connector
