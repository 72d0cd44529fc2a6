#include "mime/mail_object.h"

#include <array>
#include <unordered_set>

#include "core/limits.h"
#include "core/text.h"
#include "mime/charset.h"

namespace emailv2::mime {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 46> kCoreKeys{
    "email_uid",       "folder",         "message_id",         "subject",        "raw_subject",
    "from",            "to",             "cc",                 "bcc",            "receivers",
    "reply_to",        "reply_to_address", "date",             "received",       "start_time",
    "end_time",        "managerReceiptTime", "name",           "event_name",     "event_type",
    "vendor",          "device_product", "environment",        "text_body",      "html_body",
    "body",            "original_message", "original_message_id", "is_forward",  "last_email_sender",
    "last_email_recipient", "attachments", "size",             "sha256",         "flags",
    "over_limit",      "truncated",      "parse_warnings",     "parse_error",    "url",
    "file_name",       "file_md5",       "file_sha1",          "file_sha256",    "regex",
    "monitored_mailbox_name"};

bool is_core_key(std::string_view name) {
  for (std::string_view k : kCoreKeys)
    if (k == name) return true;
  return false;
}

// Every string value is valid UTF-8 (nlohmann::json refuses to dump anything else); raw header bytes may not be.
std::string u(std::string_view v) { return is_valid_utf8(v) ? std::string(v) : sanitize_utf8(v); }

Json opt(const std::optional<std::string>& v) { return v ? Json(u(*v)) : Json(nullptr); }

struct Extracted {
  std::string name;
  std::vector<std::string> hits;
};

}  // namespace

std::string join_addresses(const std::vector<const std::vector<Address>*>& lists, std::string_view sep) {
  std::string out;
  std::unordered_set<std::string> seen;
  for (const auto* list : lists) {
    for (const Address& a : *list) {
      if (a.address.empty() || !seen.insert(text::to_lower_ascii(a.address)).second) continue;
      if (!out.empty()) out += sep;
      out += a.address;
    }
  }
  return out;
}

nlohmann::ordered_json mail_object(const Message& msg, const MailContext& ctx) {
  const ForwardRegexes& rx = ctx.regexes != nullptr ? *ctx.regexes : ForwardRegexes::defaults();
  std::vector<std::string> warnings = msg.parse_warnings;
  bool truncated = msg.truncated;

  std::vector<Extracted> extracted;
  for (const NamedRegex& nr : rx.extractors) {
    Extracted e{nr.name, find_all(msg.body, *nr.re, limits::kDynamicListHits + 1)};
    if (e.hits.size() > limits::kDynamicListHits) {
      e.hits.resize(limits::kDynamicListHits);
      truncated = true;
      warnings.push_back("forwarded regex " + nr.name + ": more than 1000 hits, the rest ignored");
    }
    extracted.push_back(std::move(e));
  }
  auto first_hit = [&](std::string_view name) -> std::optional<std::string> {
    for (const Extracted& e : extracted)
      if (e.name == name)
        for (const std::string& h : e.hits)
          if (!h.empty()) return h;
    return std::nullopt;
  };

  std::int64_t start = 1;
  if (msg.date_ms) {
    start = *msg.date_ms;
  } else if (ctx.internaldate_ms) {
    start = *ctx.internaldate_ms;
    warnings.push_back("Date missing or invalid: INTERNALDATE used");
  }
  const std::string from = msg.from.empty() ? std::string("Message Has No Sender") : msg.from.front().address;
  std::string to = join_addresses({&msg.to}, ";");
  const std::optional<std::string> fwd_to = msg.is_forward ? first_hit("to") : std::nullopt;
  if (fwd_to) to = *fwd_to;
  if (to.empty()) to = "Message Has No Recipients";
  const std::string name = ctx.mailbox + "_" + std::to_string(start);

  Json j;
  j["email_uid"] = u(ctx.email_uid);
  j["folder"] = u(ctx.folder);
  j["message_id"] = opt(msg.message_id);
  j["subject"] = u(apply_subject_regex(msg.raw_subject, *rx.subject));
  j["raw_subject"] = u(msg.raw_subject);
  j["from"] = u(from);
  j["to"] = u(to);
  if (const std::string cc = join_addresses({&msg.cc}, ";"); !cc.empty()) j["cc"] = u(cc);
  if (const std::string bcc = join_addresses({&msg.bcc}, ";"); !bcc.empty()) j["bcc"] = u(bcc);
  j["receivers"] = u(join_addresses({&msg.to, &msg.cc, &msg.bcc}, ","));
  j["reply_to"] = opt(msg.in_reply_to);
  j["reply_to_address"] = u(join_addresses({&msg.reply_to}, ";"));
  j["date"] = opt(msg.date_header);
  j["received"] = opt(ctx.received);
  j["start_time"] = start;
  j["end_time"] = start;
  j["managerReceiptTime"] = start;
  j["name"] = u(name);
  j["event_name"] = u(name);
  j["event_type"] = "Mailbox Alert";
  j["vendor"] = "Mail";
  j["device_product"] = "Mail";
  j["environment"] = opt(ctx.environment);
  j["text_body"] = u(msg.text_body);
  j["html_body"] = u(msg.html_body);
  j["body"] = u(msg.body);
  j["original_message"] = ctx.attach_original ? Json(sanitize_utf8(ctx.raw)) : Json(nullptr);
  j["original_message_id"] = opt(ctx.original_message_id);
  j["is_forward"] = msg.is_forward;
  if (msg.is_forward) {
    j["last_email_sender"] = u(first_hit("from_list").value_or(from));
    const std::string first_to = msg.to.empty() ? std::string() : msg.to.front().address;
    j["last_email_recipient"] = u(first_hit("to").value_or(first_to));
  }
  for (const Extracted& e : extracted) {
    if (e.hits.empty()) continue;
    const std::string key = is_core_key(e.name) ? "forwarded_" + e.name : e.name;
    if (e.hits.size() == 1) {
      j[u(key)] = u(e.hits.front());
    } else {
      for (std::size_t k = 0; k < e.hits.size(); ++k) j[u(key) + "_" + std::to_string(k + 1)] = u(e.hits[k]);
    }
  }
  for (std::size_t k = 0; k < msg.urls.size(); ++k) j["url_" + std::to_string(k + 1)] = u(msg.urls[k]);
  Json atts = Json::array();
  for (std::size_t k = 0; k < msg.attachments.size(); ++k) {
    const Attachment& a = msg.attachments[k];
    const std::string n = std::to_string(k + 1);
    j["file_name_" + n] = u(a.name);
    j["file_md5_" + n] = a.md5;
    j["file_sha1_" + n] = a.sha1;
    j["file_sha256_" + n] = a.sha256;
    Json e;
    e["index"] = k + 1;
    e["name"] = u(a.name);
    e["content_type"] = u(a.content_type);
    e["disposition"] = a.disposition.empty() ? Json(nullptr) : Json(u(a.disposition));
    e["content_id"] = opt(a.content_id);
    e["size"] = a.data.size();
    e["md5"] = a.md5;
    e["sha1"] = a.sha1;
    e["sha256"] = a.sha256;
    e["is_email"] = a.is_email;
    atts.push_back(std::move(e));
  }
  j["attachments"] = std::move(atts);
  j["size"] = ctx.size.value_or(msg.size);
  j["sha256"] = msg.sha256;
  Json flags = Json::array();
  for (const std::string& f : ctx.flags) flags.push_back(u(f));
  j["flags"] = std::move(flags);
  for (std::string& w : warnings) w = u(w);
  j["over_limit"] = ctx.over_limit;
  j["truncated"] = truncated;
  if (msg.parse_error) j["parse_error"] = u(*msg.parse_error);
  j["parse_warnings"] = warnings;
  return j;
}

MailContext attached_context(const MailContext& parent, const Message& parent_msg) {
  MailContext c;
  c.email_uid = parent.email_uid;
  c.folder = parent.folder;
  c.internaldate_ms = parent.internaldate_ms;
  c.mailbox = parent.mailbox;
  c.environment = parent.environment;
  c.original_message_id = parent_msg.message_id;
  c.regexes = parent.regexes;
  return c;
}

std::vector<AttachedMail> attached_mails(const Message& msg) {
  std::vector<AttachedMail> out;
  std::vector<AttachedMail> stack;
  for (auto it = msg.attached.rbegin(); it != msg.attached.rend(); ++it) stack.push_back({&*it, &msg});
  while (!stack.empty()) {
    const AttachedMail cur = stack.back();
    stack.pop_back();
    out.push_back(cur);
    for (auto it = cur.message->attached.rbegin(); it != cur.message->attached.rend(); ++it)
      stack.push_back({&*it, cur.message});
  }
  return out;
}

}  // namespace emailv2::mime
