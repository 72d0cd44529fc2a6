#include "connector/regex_features.h"

#include <array>
#include <map>
#include <unordered_set>

#include "core/limits.h"
#include "core/text.h"
#include "mime/charset.h"
#include "mime/encoded_words.h"
#include "mime/forward.h"

namespace emailv2::connector {
namespace {

// Key families of the Mail Object and the event keys a header name may not take over.
constexpr std::array<std::string_view, 16> kReservedNames{
    "url", "file_name", "file_md5", "file_sha1", "file_sha256", "regex", "header", "forwarded",
    "event_name_mail_type", "monitored_mailbox_name", "parse_error", "cc", "bcc", "fetch_error",
    "last_email_sender", "last_email_recipient"};

std::string valid_utf8(std::string_view v) {
  return mime::is_valid_utf8(v) ? std::string(v) : mime::sanitize_utf8(v);
}

// Lower-case names already taken: the reserved names, the keys of `taken`, the keys added so far.
std::unordered_set<std::string> taken_names(const nlohmann::ordered_json& taken, const ExtraKeys& out) {
  std::unordered_set<std::string> names;
  for (std::string_view r : kReservedNames) names.insert(std::string(r));
  for (const auto& [k, v] : taken.items()) names.insert(text::to_lower_ascii(k));
  for (const auto& kv : out.keys) names.insert(text::to_lower_ascii(kv.first));
  return names;
}

}  // namespace

void add_dynamic_list_keys(std::string_view body, const std::vector<DynamicRule>& rules, ExtraKeys& out) {
  for (const DynamicRule& rule : rules) {
    std::vector<std::string> hits = mime::find_all(body, *rule.regex, limits::kDynamicListHits + 1);
    if (hits.size() > limits::kDynamicListHits) {
      hits.resize(limits::kDynamicListHits);
      out.truncated = true;
      out.warnings.push_back("dynamic list rule " + rule.name + ": more than " +
                             std::to_string(limits::kDynamicListHits) + " hits, the rest ignored");
    }
    std::vector<std::string> values;
    for (std::string& h : hits) {
      if (h.empty()) continue;
      if (h.size() > limits::kDynamicListValueBytes) {
        h = std::string(text::utf8_prefix(h, limits::kDynamicListValueBytes));
        out.truncated = true;
        out.warnings.push_back("dynamic list rule " + rule.name + ": a value longer than 64 KiB was cut");
      }
      values.push_back(valid_utf8(h));
    }
    const std::string key = "regex_" + valid_utf8(rule.name);
    if (values.size() == 1) {
      out.keys.emplace_back(key, std::move(values.front()));
    } else {
      for (std::size_t k = 0; k < values.size(); ++k) out.keys.emplace_back(key + "_" + std::to_string(k + 1), values[k]);
    }
  }
}

void add_header_keys(const std::vector<mime::HeaderField>& headers, const std::vector<HeaderRule>& rules,
                     const nlohmann::ordered_json& taken, ExtraKeys& out) {
  if (rules.empty()) return;
  struct Found {
    std::string name;  // as first written
    std::vector<std::string> values;
  };
  std::vector<Found> found;
  std::map<std::string, std::size_t> index;  // lower-case name -> found[]
  for (const mime::HeaderField& h : headers) {
    if (text::trim(h.name).empty()) continue;  // a broken line parsed as a nameless field (fuzz_connector_case)
    bool match = false;
    for (const HeaderRule& r : rules) {
      match = re2::RE2::FullMatch(re2::StringPiece(h.name.data(), h.name.size()), *r.regex);
      if (match) break;
    }
    if (!match) continue;
    const std::string lower = text::to_lower_ascii(h.name);
    auto [it, inserted] = index.emplace(lower, found.size());
    if (inserted) found.push_back(Found{valid_utf8(h.name), {}});
    Found& f = found[it->second];
    if (f.values.size() >= limits::kDynamicListHits) {
      if (f.values.size() == limits::kDynamicListHits) {
        out.truncated = true;
        out.warnings.push_back("header " + f.name + ": more than " + std::to_string(limits::kDynamicListHits) +
                               " occurrences, the rest ignored");
        f.values.emplace_back();  // marks the warning as given; never emitted
      }
      continue;
    }
    std::vector<std::string> warnings;
    std::string value = mime::decode_encoded_words(h.value, warnings);
    f.values.push_back(valid_utf8(text::trim(value)));
  }
  std::unordered_set<std::string> names = taken_names(taken, out);
  for (Found& f : found) {
    if (f.values.size() > limits::kDynamicListHits) f.values.resize(limits::kDynamicListHits);
    const std::string lower = text::to_lower_ascii(f.name);
    bool clash = names.count(lower) != 0;
    for (std::size_t k = 2; k <= f.values.size() && !clash; ++k) clash = names.count(lower + "_" + std::to_string(k)) != 0;
    const std::string base = clash ? "header_" + f.name : f.name;
    for (std::size_t k = 0; k < f.values.size(); ++k) {
      std::string key = k == 0 ? base : base + "_" + std::to_string(k + 1);
      names.insert(text::to_lower_ascii(key));
      out.keys.emplace_back(std::move(key), std::move(f.values[k]));
    }
  }
}

}  // namespace emailv2::connector
