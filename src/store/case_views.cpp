#include "store/case_views.h"

#include "core/time_format.h"

namespace emailv2::store {
namespace {

using nlohmann::ordered_json;

ordered_json alert_json(const AlertRecord& a) {
  ordered_json j;
  j["alert_id"] = a.alert_id;
  j["identifier"] = a.identifier;
  j["display_id"] = a.display_id;
  j["name"] = a.name;
  j["kind"] = to_string(a.kind);
  j["device_product"] = a.device_product;
  j["start_time"] = a.start_time;
  j["source"] = ordered_json{{"account", a.source.account},
                             {"folder", a.source.folder},
                             {"uidvalidity", a.source.uidvalidity},
                             {"uid", a.source.uid}};
  return j;
}

ordered_json case_head_json(const CaseRecord& c) {
  ordered_json j;
  j["case_id"] = c.case_id;
  j["title"] = c.title;
  j["environment"] = c.environment;
  j["priority"] = c.priority;
  j["status"] = c.status;
  j["created_at"] = rfc3339_utc(c.created_at);
  return j;
}

ordered_json wall_json(const WallAttachmentInfo& w) {
  ordered_json j;
  j["attachment_id"] = w.attachment_id;
  j["alert_id"] = w.alert_id ? ordered_json(*w.alert_id) : ordered_json(nullptr);
  j["file_name"] = w.file_name;
  j["name"] = w.name;
  j["type"] = w.type;
  j["description"] = w.description;
  j["size"] = w.size;
  j["md5"] = w.md5;
  j["sha1"] = w.sha1;
  j["sha256"] = w.sha256;
  j["added_by"] = to_string(w.added_by);
  j["added_at"] = rfc3339_utc(w.added_at);
  return j;
}

}  // namespace

ordered_json case_summary_json(const CaseSummary& c) {
  ordered_json j = case_head_json(c.record);
  ordered_json alerts = ordered_json::array();
  for (const AlertRecord& a : c.alerts) alerts.push_back(alert_json(a));
  j["alerts"] = std::move(alerts);
  return j;
}

ordered_json case_detail_json(const CaseDetail& c) {
  ordered_json j = case_head_json(c.record);
  ordered_json alerts = ordered_json::array();
  for (const auto& [alert, events] : c.alerts) {
    ordered_json a = alert_json(alert);
    ordered_json list = ordered_json::array();
    for (const EventRecord& e : events) list.push_back(ordered_json{{"event_name", e.event_name}, {"fields", e.fields}});
    a["events"] = std::move(list);
    alerts.push_back(std::move(a));
  }
  j["alerts"] = std::move(alerts);
  ordered_json wall = ordered_json::array();
  for (const WallAttachmentInfo& w : c.wall) wall.push_back(wall_json(w));
  j["wall"] = std::move(wall);
  return j;
}

Result<ordered_json> cases_list_view(Database& db, std::int64_t limit, std::int64_t offset) {
  auto cases = CaseRepository(db).list(limit, offset);
  if (!cases) return fail(cases.error());
  ordered_json out = ordered_json::array();
  for (const CaseSummary& c : *cases) out.push_back(case_summary_json(c));
  return out;
}

Result<std::optional<ordered_json>> case_show_view(Database& db, CaseId id) {
  auto detail = CaseRepository(db).show(id);
  if (!detail) return fail(detail.error());
  if (!*detail) return std::optional<ordered_json>();
  return std::optional<ordered_json>(case_detail_json(**detail));
}

}  // namespace emailv2::store
