// build_case / exclusion_reason / alerts_json behaviour (CONTRACT §5.2, §5.4), each rule on its own small mail.
#include "connector/case_builder.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "case_fixtures.h"
#include "connector/alerts.h"
#include "connector/case_wall.h"
#include "connector/events.h"
#include "connector_test_support.h"
#include "mime/digest.h"

namespace emailv2::connector {
namespace {

using Json = nlohmann::ordered_json;
const TimePoint kNow = from_epoch_ms(1700000000000);

store::NewCase build(const std::string& raw, test::KeyValues kv = {}, bool over_limit = false) {
  const test::Ingest ingest(raw, over_limit);
  return build_case(ingest.input(), test::settings(std::move(kv)), kNow);
}

const Json& event1(const store::NewCase& c) { return c.alerts.at(0).events.at(0).fields; }

TEST(CaseBuilder, OriginalEmlIsByteExact) {
  // CRLF, a bare LF, trailing spaces, 8-bit bytes and an invalid UTF-8 sequence: the wall keeps every byte.
  const std::string raw =
      "Message-ID: <x@y>\r\nSubject: Invoice  \r\nFrom: a@b\r\n\r\nline 1  \r\nline 2\n\xE9t\xC3\x28\r\n";
  const store::NewCase c = build(raw, {{"Attach Original EML", "true"}});
  ASSERT_FALSE(c.wall.empty());
  EXPECT_EQ(c.wall[0].file.content, raw);
  EXPECT_EQ(c.wall[0].file.file_name, "Invoice.eml");
  EXPECT_EQ(c.wall[0].file.name, "Invoice");
  EXPECT_EQ(c.wall[0].file.type, ".eml");
  EXPECT_EQ(c.wall[0].file.description, "Original email");
  EXPECT_EQ(c.wall[0].alert_index, 0u);
  // The event carries it as UTF-8 text (invalid bytes → U+FFFD).
  const std::string text = event1(c)["orig_original_message"].get<std::string>();
  EXPECT_NE(text.find("line 1  \r\nline 2\n"), std::string::npos);
  EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos);
  // Off: neither the wall file nor the event text.
  const store::NewCase off = build(raw);
  EXPECT_TRUE(off.wall.empty());
  EXPECT_TRUE(event1(off)["orig_original_message"].is_null());
}

// A spent message (the connector's workers: the parse is dropped after the case is built) gives its attachments'
// bytes to the wall instead of a copy: the same case, the bytes in memory once.
TEST(CaseBuilder, ASpentMessageGivesItsAttachmentBytesToTheWallUnchanged) {
  for (const bool separate : {false, true}) {
    const test::KeyValues kv = {{"Create a Separate Siemplify Alert per Attached Mail File?", separate ? "true" : "false"}};
    const test::Ingest copied(test::fixture("phishing_report.eml"));
    const store::NewCase expected = build_case(copied.input(), test::settings(kv), kNow);
    test::Ingest spent(test::fixture("phishing_report.eml"));
    IngestInput in = spent.input();
    in.spent = &spent.message;
    const store::NewCase got = build_case(in, test::settings(kv), kNow);
    ASSERT_FALSE(expected.wall.empty());
    ASSERT_EQ(got.wall.size(), expected.wall.size());
    for (std::size_t i = 0; i < got.wall.size(); ++i) {
      EXPECT_FALSE(got.wall[i].file.content.empty());
      EXPECT_EQ(got.wall[i].file.content, expected.wall[i].file.content) << i;
      EXPECT_EQ(got.wall[i].file.file_name, expected.wall[i].file.file_name) << i;
      EXPECT_EQ(got.wall[i].alert_index, expected.wall[i].alert_index) << i;
      EXPECT_EQ(got.wall[i].file.digest->sha256, mime::sha256_hex(got.wall[i].file.content)) << i;
    }
    EXPECT_EQ(alerts_json(got), alerts_json(expected));
    for (const mime::Attachment& a : spent.message.attachments) EXPECT_TRUE(a.data.empty()) << a.name;
    for (const mime::Attachment& a : copied.message.attachments) EXPECT_FALSE(a.data.empty()) << a.name;
  }
}

TEST(CaseBuilder, OriginalEmlNames) {
  const std::string sha(64, 'a');
  EXPECT_EQ(original_eml_name("Re: a/b\\c:d*e?f\"g<h>i|j", sha), "Re_ a_b_c_d_e_f_g_h_i_j.eml");
  const std::string long_subject(150, 'x');
  EXPECT_EQ(original_eml_name(long_subject, sha), std::string(100, 'x') + ".eml");
  // 100 characters, not bytes, and then the §6.4 cap of 200 bytes at a character boundary.
  std::string accented;
  for (int i = 0; i < 150; ++i) accented += "a";
  EXPECT_EQ(original_eml_name("\xC3\xA9" + accented, sha), "\xC3\xA9" + std::string(99, 'a') + ".eml");
  std::string cjk;
  for (int i = 0; i < 150; ++i) cjk += "\xE8\xAB\x8B";
  const std::string cut = original_eml_name(cjk, sha);
  EXPECT_LE(cut.size(), 200u);
  EXPECT_EQ(cut, cjk.substr(0, 65 * 3) + ".eml");
  EXPECT_EQ(original_eml_name("CON", sha), "_CON.eml");
  EXPECT_EQ(original_eml_name("../../etc/passwd", sha), "_.._etc_passwd.eml");
  const std::string undefined = original_eml_name("   ", sha);
  EXPECT_EQ(undefined, original_eml_name("", sha));  // UUIDv5 of the message: re-runs give the same name
  EXPECT_EQ(undefined.rfind("Undefined_", 0), 0u);
  EXPECT_EQ(undefined.size(), std::string("Undefined_").size() + 36 + 4);
  EXPECT_NE(undefined, original_eml_name("", std::string(64, 'b')));
  EXPECT_EQ(original_eml_name("...", sha).rfind("Undefined_", 0), 0u);
  EXPECT_EQ(original_eml_name("a\x01" "b\xE2\x80\xAE" "c", sha), "a_b_c.eml");
}

TEST(CaseBuilder, FallbackIdentifierIsTheRawSha256) {
  const std::string raw = "Subject: no id\r\n\r\nbody\r\n";
  const store::NewCase c = build(raw);
  const std::string want = "<" + mime::sha256_hex(raw).substr(0, 32) + "@emailv2.invalid>";
  const store::NewAlert& a = c.alerts.at(0);
  EXPECT_EQ(a.identifier, want);
  EXPECT_EQ(a.ticket_id, want);
  EXPECT_EQ(a.display_id, want);
  EXPECT_FALSE(a.message_id);
  // A blank Message-ID header is no Message-ID.
  const store::NewCase blank = build("Message-ID:   \r\nSubject: x\r\n\r\nb\r\n");
  EXPECT_NE(blank.alerts[0].identifier.find("@emailv2.invalid>"), std::string::npos);
}

TEST(CaseBuilder, AlertFields) {
  const store::NewCase c = build(test::fixture("phishing_report.eml"));
  ASSERT_EQ(c.alerts.size(), 1u);
  const store::NewAlert& a = c.alerts[0];
  EXPECT_EQ(a.identifier, "<report-7@corp.example>");
  EXPECT_EQ(a.message_id, "<report-7@corp.example>");
  EXPECT_EQ(a.name, "soc@example.com_1566814813000");
  EXPECT_EQ(a.rule_generator, "Monitored Mailbox soc@example.com");
  EXPECT_EQ(a.priority, 40);
  EXPECT_EQ(a.device_vendor, "Mail");
  EXPECT_EQ(a.device_product, "Mail");
  EXPECT_EQ(a.start_time, 1566814813000);
  EXPECT_EQ(a.end_time, 1566814813000);
  EXPECT_EQ(a.kind, store::AlertKind::kEmail);
  EXPECT_EQ(a.source.account, "soc@example.com@imap.example.com:993");
  EXPECT_EQ(a.source.folder, "Inbox");
  EXPECT_EQ(a.source.uidvalidity, 1700000000u);
  EXPECT_EQ(a.source.uid, 42u);
  EXPECT_EQ(c.title, "Fwd: Your invoice is overdue");
  EXPECT_EQ(c.priority, 40);
  EXPECT_EQ(c.ledger_id, 0);
  // Default mode: event 1 + one event per attached mail, depth-first.
  ASSERT_EQ(a.events.size(), 2u);
  EXPECT_EQ(a.events[0].event_name, "Email Received in Monitoring Mailbox");
  EXPECT_EQ(a.events[1].event_name, "Attached Email File");
  EXPECT_EQ(a.events[1].fields["original_message_id"], "<report-7@corp.example>");
  EXPECT_EQ(a.events[1].fields["attach_message_id_1"], "<inv-99@phish.example>");
  EXPECT_TRUE(a.events[0].fields["original_message_id"].is_null());
}

TEST(CaseBuilder, ProductFieldNameIsAFieldName) {
  const std::string raw = test::fixture("phishing_report.eml");
  EXPECT_EQ(build(raw, {{"Product Field Name", "orig_from"}}).alerts[0].device_product, "alice@corp.example");
  EXPECT_EQ(build(raw, {{"Product Field Name", "orig_size"}}).alerts[0].device_product, "1560");
  EXPECT_EQ(build(raw, {{"Product Field Name", "no_such_field"}}).alerts[0].device_product, "Mail");
  EXPECT_EQ(build(raw, {{"Product Field Name", "orig_reply_to"}}).alerts[0].device_product, "Mail");  // null
  EXPECT_EQ(build(raw, {{"Product Field Name", "orig_html_body"}}).alerts[0].device_product, "Mail");  // ""
  // O used the parameter's VALUE as the product [fix]: "Mail" is not a field, so the default applies either way.
  EXPECT_EQ(build(raw, {{"Product Field Name", "Phishing Mailbox"}}).alerts[0].device_product, "Mail");
}

TEST(CaseBuilder, EventFieldNameNamesEachEvent) {
  const std::string raw = test::fixture("phishing_report.eml");
  const store::NewCase c = build(raw, {{"Event Field Name", "orig_subject"}});
  EXPECT_EQ(c.alerts[0].events[0].event_name, "Your invoice is overdue");
  EXPECT_EQ(c.alerts[0].events[1].event_name, "Attached Email File");  // no orig_subject there: its mail type
  const store::NewCase d = build(raw, {{"Event Field Name", "attach_from_1"}});
  EXPECT_EQ(d.alerts[0].events[1].event_name, "billing@phish.example");
}

TEST(CaseBuilder, EnvironmentRule) {
  const std::string raw = test::fixture("phishing_report.eml");  // orig_from alice@corp.example
  const struct {
    test::KeyValues kv;
    std::string want;
  } rows[] = {
      {{}, "Default Environment"},
      {{{"Default Environment", "SOC"}}, "SOC"},
      {{{"Environment Field Name", "orig_from"}}, "alice@corp.example"},               // no regex: whole value
      {{{"Environment Field Name", "orig_from"}, {"Environment Regex Pattern", "@(\\w+)"}}, "corp"},  // group 1
      {{{"Environment Field Name", "orig_from"}, {"Environment Regex Pattern", "corp\\.\\w+"}}, "corp.example"},
      {{{"Environment Field Name", "orig_from"}, {"Environment Regex Pattern", "x(y)?|alice"}}, "alice"},  // group 1 idle
      {{{"Environment Field Name", "orig_from"}, {"Environment Regex Pattern", "^zzz"}}, "Default Environment"},
      {{{"Environment Field Name", "orig_from"}, {"Environment Regex Pattern", "(q*)alice"}}, "Default Environment"},
      {{{"Environment Field Name", "orig_html_body"}}, "Default Environment"},         // empty value
      {{{"Environment Field Name", "orig_reply_to"}}, "Default Environment"},          // null
      {{{"Environment Field Name", "from"}}, "Default Environment"},                   // the prefix is part of the name
      {{{"Environment Field Name", "orig_to"}, {"Default Environment", "D"}}, "alice@corp.example"},
  };
  for (const auto& row : rows) {
    const store::NewCase c = build(raw, row.kv);
    EXPECT_EQ(c.alerts[0].environment, row.want);
    EXPECT_EQ(c.environment, row.want);
    EXPECT_EQ(event1(c)["orig_environment"], row.want);
    EXPECT_EQ(c.alerts[0].events[1].fields["attach_environment_1"], row.want);
  }
}

TEST(CaseBuilder, PrefixingRules) {
  EXPECT_EQ(event_key("from", "orig", std::nullopt), "orig_from");
  EXPECT_EQ(event_key("from", "attach", 3), "attach_from_3");
  EXPECT_EQ(event_key("file_md5_2", "attach", 1), "attach_file_md5_2_1");
  for (const char* k : {"device_product", "event_name", "original_message_id", "event_type", "vendor",
                        "event_name_mail_type", "monitored_mailbox_name"}) {
    EXPECT_EQ(event_key(k, "orig", std::nullopt), k);
    EXPECT_EQ(event_key(k, "attach", 2), k);
  }
  EXPECT_EQ(event_key("from", "", 2), "from");  // empty prefix: unprefixed and unsuffixed
  const store::NewCase c = build(test::fixture("phishing_report.eml"),
                                 {{"Original Received Mail Prefix", "o"}, {"Attached Mail File Prefix", "a"}});
  EXPECT_TRUE(event1(c).contains("o_from"));
  EXPECT_TRUE(c.alerts[0].events[1].fields.contains("a_from_1"));
  // Arrays are dropped, parse_warnings is joined.
  for (const auto& [k, v] : event1(c).items()) EXPECT_FALSE(v.is_array() || v.is_object()) << k;
  EXPECT_FALSE(event1(c).contains("o_attachments"));
  EXPECT_FALSE(event1(c).contains("o_flags"));
  EXPECT_TRUE(event1(c)["o_parse_warnings"].is_string());
}

// A §5.2 cap hit while the event is built sets the event's `truncated` and adds its warning to `parse_warnings`, both
// at their Mail Object positions; the Mail Object's own values are kept around them.
TEST(CaseBuilder, DynamicListCapMarksTheEventTruncatedInPlace) {
  std::string body;
  for (int i = 0; i < 1001; ++i) body += "ID-" + std::to_string(i) + "\r\n";
  const std::string raw = "Message-ID: <cap@x>\r\nSubject: ids\r\nFrom: a@b.example\r\nX-Ticket: T-1\r\n\r\n" + body;
  const store::NewCase c = build(raw, {{"Dynamic List", R"j(["ids: ID-(\\d+)"])j"},
                                       {"Additional headers to extract from emails", "x-ticket, subject"}});
  const Json& ev = event1(c);
  EXPECT_EQ(ev["orig_truncated"], true);
  EXPECT_NE(ev["orig_parse_warnings"].get<std::string>().find("dynamic list rule ids: more than 1000 hits"),
            std::string::npos);
  EXPECT_EQ(ev["orig_regex_ids_1000"], "999");
  EXPECT_FALSE(ev.contains("orig_regex_ids_1001"));
  EXPECT_EQ(ev["orig_subject"], "ids");           // the Mail Object's value, not the header rule's
  EXPECT_EQ(ev["orig_header_Subject"], "ids");    // the header that collided with it
  EXPECT_EQ(ev["orig_X-Ticket"], "T-1");
  std::vector<std::string> keys;
  for (const auto& [k, v] : ev.items()) keys.push_back(k);
  const auto at = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) - keys.begin(); };
  EXPECT_LT(at("orig_truncated"), at("orig_parse_warnings"));  // Mail Object order kept
  EXPECT_LT(at("orig_parse_warnings"), at("orig_regex_ids_1"));  // §5.2 keys after it
  EXPECT_EQ(at("monitored_mailbox_name"), static_cast<std::ptrdiff_t>(keys.size()) - 1);
}

// prefixed(): keys keep their order; a prefixed key that spells an unprefixed name (prefix "event" + "name" =
// "event_name") shares its one position, and the later value wins, as JSON assignment gives.
TEST(CaseBuilder, PrefixedKeepsOrderAndMergesAKeyThatSpellsAnUnprefixedName) {
  const Json plain = prefixed(Json{{"from", "a"}, {"vendor", "Mail"}, {"to", "b"}}, "orig", 2);
  std::vector<std::string> keys;
  for (const auto& [k, v] : plain.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"orig_from_2", "vendor", "orig_to_2"}));
  const Json clash = prefixed(Json{{"name", "first"}, {"x", 1}, {"event_name", "second"}}, "event", std::nullopt);
  keys.clear();
  for (const auto& [k, v] : clash.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"event_name", "event_x"}));
  EXPECT_EQ(clash["event_name"], "second");
  EXPECT_EQ(clash["event_x"], 1);
}

TEST(CaseBuilder, SeparateAlertPerAttachedMail) {
  // The attached mail has no Message-ID: its alert falls back to its part's SHA-256.
  const std::string inner = "From: x@evil.example\r\nSubject: inner\r\nDate: Sun, 25 Aug 2019 09:00:00 +0000\r\n\r\nhi\r\n";
  const std::string raw = "Message-ID: <outer@x>\r\nSubject: outer\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                          "see\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "--b--\r\n";
  const test::KeyValues kv = {{"Create a Separate Siemplify Alert per Attached Mail File?", "true"}};
  const store::NewCase c = build(raw, kv);
  ASSERT_EQ(c.alerts.size(), 2u);
  EXPECT_EQ(c.alerts[0].events.size(), 1u);  // the original alert holds event 1 only
  const store::NewAlert& a = c.alerts[1];
  EXPECT_EQ(a.kind, store::AlertKind::kAttachedMail);
  const test::Ingest ingest(raw);
  ASSERT_EQ(ingest.message.attached.size(), 1u);
  EXPECT_EQ(a.identifier, "<" + ingest.message.attached[0].sha256.substr(0, 32) + "@emailv2.invalid>");
  EXPECT_FALSE(a.message_id);
  EXPECT_EQ(a.display_id.size(), 36u);  // a UUID
  EXPECT_EQ(a.display_id, build(raw, kv).alerts[1].display_id);  // UUIDv5: the same on every run
  EXPECT_EQ(a.name, "soc@example.com_1566723600000");
  ASSERT_EQ(a.events.size(), 2u);
  EXPECT_TRUE(a.events[0].fields.contains("attach_subject"));  // unsuffixed
  EXPECT_EQ(a.events[0].fields["attach_subject"], "inner");
  EXPECT_EQ(a.events[1].fields, event1(c));  // a copy of event 1
  // The attached mail's file is on the wall under its own alert.
  ASSERT_EQ(c.wall.size(), 1u);
  EXPECT_EQ(c.wall[0].alert_index, 1u);
  EXPECT_EQ(c.wall[0].file.description, "Attached email file");
}

TEST(CaseBuilder, AttachedMailsAreDepthFirst) {
  const std::string level2 = "Message-ID: <l2@x>\r\nSubject: level2\r\n\r\ndeep\r\n";
  const std::string level1 = "Message-ID: <l1@x>\r\nSubject: level1\r\nMIME-Version: 1.0\r\n"
                             "Content-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nContent-Type: message/rfc822\r\n\r\n" +
                             level2 + "--c--\r\n";
  const std::string sibling = "Message-ID: <s@x>\r\nSubject: sibling\r\n\r\nside\r\n";
  const std::string raw = "Message-ID: <top@x>\r\nSubject: top\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n" +
                          level1 + "--b\r\nContent-Type: message/rfc822\r\n\r\n" + sibling + "--b--\r\n";
  const store::NewCase c = build(raw);
  ASSERT_EQ(c.alerts[0].events.size(), 4u);
  EXPECT_EQ(c.alerts[0].events[1].fields["attach_message_id_1"], "<l1@x>");
  EXPECT_EQ(c.alerts[0].events[2].fields["attach_message_id_2"], "<l2@x>");
  EXPECT_EQ(c.alerts[0].events[2].fields["original_message_id"], "<l1@x>");  // its own parent
  EXPECT_EQ(c.alerts[0].events[3].fields["attach_message_id_3"], "<s@x>");
  // Only direct attachments of the ingested mail are on the wall.
  EXPECT_EQ(c.wall.size(), 2u);
}

TEST(CaseBuilder, Exclusion) {
  const std::string raw = "Subject: Re: Weekly digest\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\nContent-Type: text/plain\r\n\r\n"
                          "plain words\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>Unsubscribe <b>here</b></p>\r\n--a--\r\n";
  const test::Ingest in(raw);
  const auto reason = [&](test::KeyValues kv) { return exclusion_reason(in.input(), test::settings(std::move(kv))); };
  EXPECT_EQ(reason({}), std::nullopt);
  EXPECT_EQ(reason({{"Exclusion Subject Regex", "^Weekly"}}), "Exclusion Subject Regex");  // stripped subject
  EXPECT_EQ(reason({{"Exclusion Subject Regex", "^Re: Weekly"}}), "Exclusion Subject Regex");  // raw_subject
  EXPECT_EQ(reason({{"Exclusion Subject Regex", "^digest"}}), std::nullopt);
  EXPECT_EQ(reason({{"Exclusion Body Regex", "plain words"}}), "Exclusion Body Regex");  // text_body
  EXPECT_EQ(reason({{"Exclusion Body Regex", "<b>here</b>"}}), "Exclusion Body Regex");  // html_body only
  EXPECT_EQ(reason({{"Exclusion Body Regex", "(?i)UNSUBSCRIBE"}}), "Exclusion Body Regex");
  EXPECT_EQ(reason({{"Exclusion Body Regex", "nowhere"}}), std::nullopt);
  EXPECT_EQ(reason({{"Exclusion Body Regex", "plain"}, {"Exclusion Subject Regex", "Weekly"}}),
            "Exclusion Subject Regex");
  // The D example.
  const test::Ingest ooo("Subject: Out of office: back Monday\r\n\r\nI am away.\r\n");
  EXPECT_EQ(exclusion_reason(ooo.input(), test::settings({{"Exclusion Subject Regex",
                                                           "([N|n]ewsletter)|([O|o]ut of office)"}})),
            "Exclusion Subject Regex");
  // A message body with a NUL byte and invalid UTF-8 is searched safely.
  const test::Ingest odd(std::string("Subject: x\r\n\r\nab\0cd\xFF\xFE needle\r\n", 31));
  EXPECT_EQ(exclusion_reason(odd.input(), test::settings({{"Exclusion Body Regex", "needle"}})),
            "Exclusion Body Regex");
}

TEST(CaseBuilder, OverLimitKeepsTheHeaderBytes) {
  const std::string headers = "Message-ID: <big@x>\r\nSubject: Huge\r\nFrom: a@b\r\n\r\n";
  const store::NewCase c = build(headers, {}, true);
  EXPECT_EQ(c.alerts[0].kind, store::AlertKind::kOverLimit);
  ASSERT_EQ(c.wall.size(), 1u);  // regardless of Attach Original EML
  EXPECT_EQ(c.wall[0].file.content, headers);
  EXPECT_EQ(c.wall[0].file.file_name, "Huge.eml");
  EXPECT_EQ(event1(c)["orig_over_limit"], true);
}

TEST(CaseBuilder, FetchFailedPlaceholder) {
  const Settings s = test::settings();
  const store::NewCase empty = build_fetch_failed_case(test::identity(7), "", "TIMEOUT: Timed out", s, kNow);
  ASSERT_EQ(empty.alerts.size(), 1u);
  EXPECT_EQ(empty.alerts[0].kind, store::AlertKind::kFetchFailed);
  EXPECT_TRUE(empty.wall.empty());
  EXPECT_EQ(event1(empty)["orig_fetch_error"], "TIMEOUT: Timed out");
  EXPECT_NE(event1(empty)["orig_parse_warnings"].get<std::string>().find("fetch failed: TIMEOUT: Timed out"),
            std::string::npos);
  // Two placeholders without bytes never share an identifier.
  const store::NewCase other = build_fetch_failed_case(test::identity(8), "", "TIMEOUT: Timed out", s, kNow);
  EXPECT_NE(empty.alerts[0].identifier, other.alerts[0].identifier);
  EXPECT_EQ(empty.alerts[0].source.uid, 7u);
  const std::string partial = "Message-ID: <p@x>\r\nSubject: Part";
  const store::NewCase p = build_fetch_failed_case(test::identity(9), partial, "IMAP_BYE: gone", s, kNow);
  ASSERT_EQ(p.wall.size(), 1u);
  EXPECT_EQ(p.wall[0].file.content, partial);
  EXPECT_EQ(p.alerts[0].identifier, "<p@x>");
}

TEST(CaseBuilder, WallHoldsEveryDirectAttachmentByteExact) {
  const store::NewCase c = build(test::fixture("empty_subject.eml"), {{"Attach Original EML", "true"}});
  ASSERT_EQ(c.wall.size(), 2u);
  EXPECT_EQ(c.wall[1].file.file_name, "hosts.csv");
  EXPECT_EQ(c.wall[1].file.content, "host,ip\ndb-01,10.0.0.5");
  EXPECT_EQ(c.wall[1].file.description, "Original email attachment");
  EXPECT_EQ(c.wall[1].file.added_by, store::AddedBy::kConnector);
  EXPECT_EQ(c.title, "(no subject)");
  // Same-name files are all kept (the store dedups only identical name + content).
  const std::string raw = "Subject: two\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                          "--b\r\nContent-Type: text/plain; name=a.txt\r\n\r\none\r\n"
                          "--b\r\nContent-Type: text/plain; name=a.txt\r\n\r\ntwo\r\n--b--\r\n";
  const store::NewCase two = build(raw);
  ASSERT_EQ(two.wall.size(), 2u);
  EXPECT_NE(two.wall[0].file.content, two.wall[1].file.content);
  // A hostile name stays metadata (valid UTF-8 for every JSON view).
  EXPECT_EQ(wall_file("x\xFF.pdf", "b", "d").file_name, "x\xEF\xBF\xBD.pdf");
  EXPECT_EQ(wall_file("noext", "b", "d").type, "");
  EXPECT_EQ(wall_file(".hidden", "b", "d").name, ".hidden");
}

TEST(CaseBuilder, AlertsJsonListsEachAlertWithItsFiles) {
  const store::NewCase c = build(test::fixture("phishing_report.eml"),
                                 {{"Create a Separate Siemplify Alert per Attached Mail File?", "true"},
                                  {"Attach Original EML", "true"}});
  const Json j = alerts_json(c);
  ASSERT_EQ(j.size(), 2u);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j[0].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"identifier", "ticket_id", "display_id", "name", "rule_generator",
                                            "priority", "device_vendor", "device_product", "environment",
                                            "start_time", "end_time", "kind", "source", "events", "attachments"}));
  ASSERT_EQ(j[0]["attachments"].size(), 1u);  // the original EML
  EXPECT_EQ(j[0]["attachments"][0]["description"], "Original email");
  EXPECT_EQ(j[0]["attachments"][0]["sha256"], mime::sha256_hex(test::fixture("phishing_report.eml")));
  ASSERT_EQ(j[1]["attachments"].size(), 1u);  // the attached .eml under its own alert
  EXPECT_EQ(j[1]["kind"], "attached_mail");
  EXPECT_EQ(j[1]["events"].size(), 2u);
  EXPECT_NO_THROW((void)j.dump());
}

TEST(CaseBuilder, DeterministicGivenTheSameInput) {
  const std::string raw = test::mail_with_msg_attachment();
  const test::KeyValues kv = {{"Attach Original EML", "true"},
                              {"Create a Separate Siemplify Alert per Attached Mail File?", "true"}};
  EXPECT_EQ(alerts_json(build(raw, kv)).dump(), alerts_json(build(raw, kv)).dump());
}

}  // namespace
}  // namespace emailv2::connector

namespace emailv2::connector {
namespace {

TEST(CaseBuilder, HandMadeSettingsUseTheDefaultRegexes) {
  Settings s;  // not from load_settings: no forwarded regexes compiled
  s.username = "soc@example.com";
  const test::Ingest in(test::fixture("phishing_report.eml"));
  const store::NewCase c = build_case(in.input(), s, from_epoch_ms(0));
  EXPECT_EQ(c.alerts.at(0).events.at(0).fields["orig_subject"], "Your invoice is overdue");
  EXPECT_EQ(exclusion_reason(in.input(), s), std::nullopt);
}

}  // namespace
}  // namespace emailv2::connector
