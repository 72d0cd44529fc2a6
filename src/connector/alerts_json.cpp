#include "connector/case_builder.h"

#include "mime/digest.h"

namespace emailv2::connector {

nlohmann::ordered_json alerts_json(const store::NewCase& c) {
  using Json = nlohmann::ordered_json;
  Json out = Json::array();
  for (std::size_t i = 0; i < c.alerts.size(); ++i) {
    const store::NewAlert& a = c.alerts[i];
    Json j;
    j["identifier"] = a.identifier;
    j["ticket_id"] = a.ticket_id;
    j["display_id"] = a.display_id;
    j["name"] = a.name;
    j["rule_generator"] = a.rule_generator;
    j["priority"] = a.priority;
    j["device_vendor"] = a.device_vendor;
    j["device_product"] = a.device_product;
    j["environment"] = a.environment;
    j["start_time"] = a.start_time;
    j["end_time"] = a.end_time;
    j["kind"] = std::string(store::to_string(a.kind));
    j["source"] = {{"account", a.source.account},
                   {"folder", a.source.folder},
                   {"uidvalidity", a.source.uidvalidity},
                   {"uid", a.source.uid}};
    Json events = Json::array();
    for (const store::NewEvent& e : a.events) {
      // A prepared event carries only its stored text (prepare_ingest): shown as it would be stored.
      Json fields = e.fields_json.empty() ? e.fields : Json::parse(e.fields_json, nullptr, false);
      events.push_back({{"event_name", e.event_name}, {"fields", std::move(fields)}});
    }
    j["events"] = std::move(events);
    Json files = Json::array();
    for (const store::NewWallFile& w : c.wall) {
      const std::size_t owner = w.alert_index.value_or(0);
      if (owner != i) continue;
      const mime::Digests d = mime::digests_of(w.file.content);
      files.push_back({{"file_name", w.file.file_name},
                       {"name", w.file.name},
                       {"type", w.file.type},
                       {"description", w.file.description},
                       {"size", w.file.content.size()},
                       {"md5", d.md5},
                       {"sha1", d.sha1},
                       {"sha256", d.sha256}});
    }
    j["attachments"] = std::move(files);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace emailv2::connector
