// Fuzzes what an ingested mail becomes (CONTRACT §5.4). Input: one flag byte (bit 0 separate alerts, bit 1 Attach
// Original EML, bit 2 empty prefixes, bit 3 over_limit, bit 4 every header extracted), then the raw mail.
// Invariants: never crashes; one case with ≥ 1 alert, each with ≥ 1 event whose fields are a flat JSON object;
// non-empty identifiers; the original EML on the wall is byte-exact; the dry-run JSON always serialises (valid
// UTF-8); the result is deterministic.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "connector/case_builder.h"
#include "core/text.h"
#include "mime/parse_message.h"

namespace {

using namespace emailv2;

ConfigValue value(std::string v) { return ConfigValue{std::move(v), "fuzz", "fuzz", std::nullopt}; }

const connector::Settings& settings_for(unsigned flags) {
  static std::map<unsigned, connector::Settings> cache;
  auto it = cache.find(flags);
  if (it != cache.end()) return it->second;
  ConfigSection c;
  c.table = "connector";
  c.values["imap-server-address"] = value("imap.example.com");
  c.values["imap-port"] = value("993");
  c.values["username"] = value("soc@example.com");
  c.values["environment-field-name"] = value("orig_from");
  c.values["environment-regex-pattern"] = value("@([^.]+)");
  c.values["dynamic-list"] = value(R"j(["urls: https?://\\S+", "ids: ID-(\\d+)", "subject: Subject: (.*)"])j");
  if (flags & 1u) c.values[text::normalise_name("Create a Separate Siemplify Alert per Attached Mail File?")] = value("true");
  if (flags & 2u) c.values["attach-original-eml"] = value("true");
  if (flags & 4u) {
    c.values["original-received-mail-prefix"] = value("");
    c.values["attached-mail-file-prefix"] = value("");
  }
  if (flags & 16u) c.values["additional-headers-to-extract-from-emails"] = value(".*");
  c.secrets["password"] = SecretSource::from_value(Secret("pw"), "fuzz");
  auto s = connector::load_settings(c, ConfigSection{});
  if (!s) std::abort();
  return cache.emplace(flags, std::move(*s)).first->second;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned flags = data[0];
  const std::string raw(reinterpret_cast<const char*>(data) + 1, size - 1);
  const connector::Settings& s = settings_for(flags & 0x17u);
  const mime::Message msg = mime::parse_message(raw);
  const connector::IngestInput in{raw, msg, {"default", "acct", "Inbox", 1, 7}, std::nullopt, {}, raw.size(),
                                  (flags & 8u) != 0};
  (void)connector::exclusion_reason(in, s);
  const store::NewCase c = connector::build_case(in, s, TimePoint{});
  if (c.alerts.empty() || c.title.empty()) std::abort();
  for (const store::NewAlert& a : c.alerts) {
    if (a.identifier.empty() || a.events.empty() || a.display_id.empty()) std::abort();
    for (const store::NewEvent& e : a.events) {
      if (!e.fields.is_object()) std::abort();
      for (const auto& [k, v] : e.fields.items())
        if (v.is_array() || v.is_object() || k.empty()) std::abort();
    }
  }
  const bool raw_on_wall = (flags & 2u) != 0 || (flags & 8u) != 0;
  if (raw_on_wall && !raw.empty() && (c.wall.empty() || c.wall[0].file.content != raw)) std::abort();
  for (const store::NewWallFile& w : c.wall)
    if (!w.alert_index || *w.alert_index >= c.alerts.size()) std::abort();
  const std::string once = connector::alerts_json(c).dump();  // throws (aborts) on invalid UTF-8
  const std::string twice = connector::alerts_json(connector::build_case(in, s, TimePoint{})).dump();
  if (once != twice) std::abort();
  return 0;
}
