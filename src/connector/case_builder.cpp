#include "connector/case_builder.h"

#include <re2/re2.h>

#include "connector/alerts.h"
#include "connector/case_wall.h"
#include "connector/events.h"
#include "mime/charset.h"
#include "mime/date.h"
#include "mime/digest.h"
#include "mime/forward.h"
#include "mime/mail_object.h"
#include "mime/parse_message.h"

namespace emailv2::connector {
namespace {

using Json = nlohmann::ordered_json;

bool search(const std::shared_ptr<const re2::RE2>& re, std::string_view text) {
  return re != nullptr && re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re);
}

std::optional<std::string> valid_utf8(const std::optional<std::string>& v) {
  if (!v || mime::is_valid_utf8(*v)) return v;
  return mime::sanitize_utf8(*v);
}

std::int64_t start_time_of(const Json& mail_object) {
  const auto it = mail_object.find("start_time");
  return it != mail_object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 1;
}

// What differs between an ingested mail and a fetch_failed placeholder.
struct Build {
  store::AlertKind kind = store::AlertKind::kEmail;
  std::string identifier_source;  // SHA-256 hex the fallback identifier is taken from
  std::optional<std::string> fetch_error;
  std::string_view raw_description;  // wall description of the raw bytes, "" = only when Attach Original EML
};

// `fetch_error` joins the placeholder's event right before the event keys.
Json with_fetch_error(const Json& fields, const std::string& error) {
  Json out = Json::object();
  for (const auto& [key, value] : fields.items()) {
    if (key == "event_name_mail_type") out["fetch_error"] = error;
    out[key] = value;
  }
  return out;
}

mime::MailContext context_of(const IngestInput& in, const Settings& s) {
  mime::MailContext ctx;
  ctx.email_uid = std::to_string(in.identity.uid);
  ctx.folder = in.identity.folder;
  if (in.internal_date) {
    ctx.internaldate_ms = epoch_ms(*in.internal_date);
    ctx.received = mime::format_rfc5322_date(*ctx.internaldate_ms, 0);
  }
  ctx.flags = in.flags;
  ctx.size = in.size;
  ctx.mailbox = s.username;
  ctx.over_limit = in.over_limit;
  ctx.attach_original = s.attach_original_eml;
  ctx.raw = in.raw;
  // A Settings not made by load_settings() may have no subject regex: the §4.2 defaults apply then.
  ctx.regexes = s.forward_regexes.subject != nullptr ? &s.forward_regexes : nullptr;
  return ctx;
}

// The events of attached mail n (1-based, depth-first) in the default mode, or of its own alert.
struct AttachedEvent {
  const mime::Message* message;
  const mime::Message* parent;
  Json fields;  // unprefixed
  std::int64_t start_time;
};

store::NewCase build(const IngestInput& in, const Settings& s, const Build& b) {
  const mime::Message& msg = in.message;
  mime::MailContext ctx = context_of(in, s);
  Json mo = mime::mail_object(msg, ctx);
  const std::int64_t start = start_time_of(mo);
  std::string title = mo.value("raw_subject", std::string());
  Json fields = event_fields(std::move(mo), msg, s, kMailTypeOriginal);
  if (b.fetch_error) fields = with_fetch_error(fields, *b.fetch_error);
  Json ev1 = prefixed(std::move(fields), s.original_prefix, std::nullopt);
  const std::string environment = environment_of({&ev1}, s);
  ev1[event_key("environment", s.original_prefix, std::nullopt)] = environment;
  ctx.environment = environment;

  std::vector<AttachedEvent> attached;
  for (const mime::AttachedMail& am : mime::attached_mails(msg)) {
    Json amo = mime::mail_object(*am.message, mime::attached_context(ctx, *am.parent));
    const std::int64_t attached_start = start_time_of(amo);
    attached.push_back(
        {am.message, am.parent, event_fields(std::move(amo), *am.message, s, kMailTypeAttached), attached_start});
  }

  const store::AlertSource source{in.identity.account, in.identity.folder, in.identity.uidvalidity, in.identity.uid};
  const std::optional<std::string> message_id = usable_message_id(valid_utf8(msg.message_id));
  store::NewAlert original =
      base_alert(s, message_id.value_or(fallback_identifier(b.identifier_source)), start, b.kind, source);
  original.message_id = message_id;
  original.environment = environment;
  original.device_product = device_product_of(ev1, s);
  original.events.push_back({event_name_of(ev1, s), std::move(ev1)});  // ev1 is not used below

  store::NewCase c;
  c.title = std::move(title);
  if (c.title.empty()) c.title = "(no subject)";
  c.environment = environment;
  c.priority = original.priority;

  // Wall: the raw bytes first (when due), then the top-level attachments in MIME order.
  const bool raw_due = !b.raw_description.empty() || s.attach_original_eml;
  if (raw_due && !in.raw.empty()) {
    const std::string_view desc = b.raw_description.empty() ? kDescOriginal : b.raw_description;
    c.wall.push_back({0, wall_file(original_eml_name(msg.raw_subject, msg.sha256), std::string(in.raw), desc)});
  }
  // Last use of the attachments' bytes: below only their metadata (part paths) is read.
  std::vector<store::NewWallFile> files = in.spent != nullptr ? take_attachment_files(*in.spent) : attachment_files(msg);

  if (!s.separate_alert_per_attached_mail) {
    for (std::size_t n = 0; n < attached.size(); ++n) {
      Json ev = prefixed(std::move(attached[n].fields), s.attached_prefix, n + 1);
      ev[event_key("environment", s.attached_prefix, n + 1)] = environment;
      original.events.push_back({event_name_of(ev, s), std::move(ev)});
    }
    c.alerts.push_back(std::move(original));
  } else {
    c.alerts.push_back(std::move(original));
    const Json event1 = c.alerts.front().events.front().fields;  // a copy: c.alerts grows below
    for (AttachedEvent& a : attached) {
      Json ev = prefixed(std::move(a.fields), s.attached_prefix, std::nullopt);
      ev[event_key("environment", s.attached_prefix, std::nullopt)] = environment;
      const std::optional<std::string> id = usable_message_id(valid_utf8(a.message->message_id));
      store::NewAlert alert = base_alert(s, id.value_or(fallback_identifier(a.message->sha256)), a.start_time,
                                         store::AlertKind::kAttachedMail, source);
      const std::size_t idx = a.message->attachment_index;
      const std::string part =
          idx >= 1 && idx <= a.parent->attachments.size() ? a.parent->attachments[idx - 1].part_path : "";
      alert.display_id = mime::uuid_v5(a.parent->sha256 + "/" + part);
      alert.message_id = id;
      alert.environment = environment;
      alert.device_product = device_product_of(ev, s);
      alert.events.push_back({event_name_of(ev, s), std::move(ev)});
      alert.events.push_back({event_name_of(event1, s), event1});
      // The attached mail's own file (a direct attachment of the ingested mail) is filed under its alert.
      if (a.parent == &msg && idx >= 1 && idx <= files.size()) files[idx - 1].alert_index = c.alerts.size();
      c.alerts.push_back(std::move(alert));
    }
  }
  for (store::NewWallFile& f : files) c.wall.push_back(std::move(f));
  return c;
}

}  // namespace

std::optional<std::string> exclusion_reason(const IngestInput& in, const Settings& s) {
  const mime::Message& m = in.message;
  if (s.exclusion_subject_regex) {
    const re2::RE2& subject_re = s.forward_regexes.subject != nullptr ? *s.forward_regexes.subject
                                                                       : *mime::ForwardRegexes::defaults().subject;
    const std::string subject = mime::apply_subject_regex(m.raw_subject, subject_re);
    if (search(s.exclusion_subject_regex, subject) || search(s.exclusion_subject_regex, m.raw_subject)) {
      return std::string("Exclusion Subject Regex");
    }
  }
  if (search(s.exclusion_body_regex, m.text_body) || search(s.exclusion_body_regex, m.html_body) ||
      search(s.exclusion_body_regex, m.body)) {
    return std::string("Exclusion Body Regex");
  }
  return std::nullopt;
}

store::NewCase build_case(const IngestInput& in, const Settings& s, TimePoint /*now*/) {
  Build b;
  b.kind = in.over_limit ? store::AlertKind::kOverLimit : store::AlertKind::kEmail;
  b.identifier_source = in.message.sha256;
  if (in.over_limit) b.raw_description = kDescOverLimit;
  return build(in, s, b);
}

store::NewCase build_fetch_failed_case(const store::MessageIdentity& id, std::string_view partial_raw,
                                       std::string_view error, const Settings& s, TimePoint /*now*/) {
  mime::Message msg = mime::parse_message(partial_raw);
  msg.parse_warnings.push_back("fetch failed: " + std::string(error));
  IngestInput in{partial_raw, msg, id, std::nullopt, {}, partial_raw.size(), false};
  Build b;
  b.kind = store::AlertKind::kFetchFailed;
  // No bytes: the identity names the placeholder, so two failed messages never share an identifier.
  b.identifier_source = partial_raw.empty()
                            ? mime::sha256_hex("fetch_failed/" + id.instance + "/" + id.account + "/" + id.folder + "/" +
                                               std::to_string(id.uidvalidity) + "/" + std::to_string(id.uid))
                            : msg.sha256;
  b.fetch_error = std::string(error);
  b.raw_description = kDescFetchFailed;
  return build(in, s, b);
}

}  // namespace emailv2::connector
