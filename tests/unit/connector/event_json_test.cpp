// connector::event_json must give exactly store::event_fields_json's bytes (nlohmann's compact dump with invalid
// UTF-8 replaced): over the events of every connector fixture and over random keys and values built to hit each
// escaping and fallback rule (control characters, quotes, backslashes, DEL, multi-byte and invalid UTF-8, every
// JSON type).
#include "connector/event_json.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "case_fixtures.h"
#include "connector_test_support.h"
#include "store/case_repository.h"

namespace emailv2::connector {
namespace {

using Json = nlohmann::ordered_json;

std::string random_text(std::mt19937& rng, std::size_t max_len) {
  static const std::vector<std::string> pieces = {
      "a", "Z", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", std::string(1, '\0'), "\x01", "\x1f", "\x7f",
      "\xC3\xA9", "\xE2\x80\xA8", "\xF0\x9F\x98\x80", "\xE6\x97\xA5", "\xEF\xBF\xBD",  // valid multi-byte
      "\xC3", "\x80", "\xFF", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80", "\xE2\x82",  // invalid UTF-8
      "plain text that runs on for a while ", "<p>html</p>", "https://example.com/?a=1&b=\"2\""};
  std::uniform_int_distribution<std::size_t> len(0, max_len);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::bernoulli_distribution mostly_valid(0.8);
  const bool valid_only = mostly_valid(rng);
  std::string out;
  const std::size_t n = len(rng);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t k = pick(rng);
    if (valid_only) {
      while (k >= 20 && k <= 26) k = pick(rng);  // skip the invalid pieces
    }
    out += pieces[k];
  }
  return out;
}

Json random_value(std::mt19937& rng) {
  switch (std::uniform_int_distribution<int>(0, 9)(rng)) {
    case 0: return nullptr;
    case 1: return std::bernoulli_distribution(0.5)(rng);
    case 2: return std::uniform_int_distribution<std::int64_t>(-5'000'000'000'000, 5'000'000'000'000)(rng);
    case 3: return std::uniform_int_distribution<std::uint32_t>()(rng);
    case 4: return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    case 5: return Json::array({random_text(rng, 5), 1, nullptr});
    case 6: return Json::object({{random_text(rng, 3), random_text(rng, 5)}});
    default: return random_text(rng, 40);
  }
}

TEST(EventJson, SameBytesAsTheStoreSerialisationForRandomFields) {
  std::mt19937 rng(20261130);
  for (int round = 0; round < 3000; ++round) {
    Json fields = Json::object();
    const int keys = std::uniform_int_distribution<int>(0, 12)(rng);
    for (int k = 0; k < keys; ++k) fields[random_text(rng, 6) + std::to_string(k)] = random_value(rng);
    ASSERT_EQ(event_json(fields), store::event_fields_json(fields)) << "round " << round;
  }
}

TEST(EventJson, SameBytesForEachEscapedCharacterAlone) {
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    const Json fields = {{"k" + one, "v" + one + "w"}};
    EXPECT_EQ(event_json(fields), store::event_fields_json(fields)) << c;
  }
}

// Plain text is skipped 8 bytes at a time: every character that needs escaping, at every offset around the words'
// edges of a longer value (with multi-byte UTF-8 next to it), must come out exactly as the store writes it.
TEST(EventJson, SameBytesForEscapesAtEveryOffset) {
  const std::string plain = "The quick brown fox jumps over the lazy dog";
  const std::vector<std::string> specials = {"\"", "\\", "\n", "\r", "\t", std::string(1, '\0'), "\x1f", "\x7f",
                                            "\xC3\xA9", "\xE2\x80\xA8"};
  for (const std::string& special : specials) {
    for (std::size_t at = 0; at <= 20; ++at) {
      std::string v = plain;
      v.insert(at, special);
      const Json fields = {{"k", v}, {v, "\xC3\xA9" + v}};
      ASSERT_EQ(event_json(fields), store::event_fields_json(fields)) << "offset " << at;
    }
  }
}

TEST(EventJson, SameBytesForEveryEventOfTheFixtures) {
  std::size_t events = 0;
  for (const char* name : {"phishing_report.eml", "html_urls.eml", "no_message_id.eml", "empty_subject.eml"}) {
    for (const bool separate : {false, true}) {
      const test::Ingest in(test::fixture(name));
      const test::KeyValues kv = {{"Create a Separate Siemplify Alert per Attached Mail File?",
                                   separate ? "true" : "false"}};
      const store::NewCase c = build_case(in.input(), test::settings(kv), TimePoint{});
      for (const store::NewAlert& a : c.alerts) {
        for (const store::NewEvent& e : a.events) {
          ++events;
          EXPECT_EQ(event_json(e.fields), store::event_fields_json(e.fields)) << name;
        }
      }
    }
  }
  EXPECT_GT(events, 8u);
}

TEST(EventJson, NonObjectsFallBackToTheStoreSerialisation) {
  for (const Json& v : {Json(nullptr), Json(3), Json("x\ny"), Json::array({1, "\xFF"})}) {
    EXPECT_EQ(event_json(v), store::event_fields_json(v));
  }
}

}  // namespace
}  // namespace emailv2::connector
