// load_settings (CONTRACT §5.1): every parameter's default, type, range and exact error message; hostile values.
#include "connector/settings.h"

#include <gtest/gtest.h>

#include "connector/settings_rules.h"
#include "connector_test_support.h"

namespace emailv2::connector {
namespace {

using test::connector_section;
using test::section;
using test::settings;

Error load_error(test::KeyValues extra, bool with_password = true, const ConfigSection& integration = {}) {
  auto s = load_settings(connector_section(std::move(extra), with_password), integration);
  EXPECT_FALSE(s) << "expected an error";
  return s ? Error(ErrorCode::kInternal, "no error") : s.error();
}

TEST(ConnectorSettings, Defaults) {
  const Settings s = settings();
  EXPECT_EQ(s.instance, "default");
  EXPECT_EQ(s.username, "soc@example.com");
  EXPECT_EQ(s.account, "soc@example.com@imap.example.com:993");
  EXPECT_EQ(s.folders, std::vector<std::string>{"Inbox"});
  EXPECT_EQ(s.default_environment, "Default Environment");
  EXPECT_EQ(s.run_every, std::chrono::seconds(600));
  EXPECT_EQ(s.product_field_name, "device_product");
  EXPECT_EQ(s.event_field_name, "event_name_mail_type");
  EXPECT_TRUE(s.additional_headers.empty());
  EXPECT_EQ(s.script_timeout, std::chrono::seconds(60));
  EXPECT_EQ(s.server_time_zone, "UTC");
  EXPECT_FALSE(s.environment_field_name);
  EXPECT_EQ(s.environment_regex, nullptr);
  EXPECT_TRUE(s.use_ssl);
  EXPECT_TRUE(s.unread_only);
  EXPECT_TRUE(s.mark_as_read);
  EXPECT_FALSE(s.attach_original_eml);
  EXPECT_FALSE(s.separate_alert_per_attached_mail);
  EXPECT_EQ(s.forward_regexes.subject, mime::ForwardRegexes::defaults().subject);
  ASSERT_EQ(s.forward_regexes.extractors.size(), 2u);
  EXPECT_EQ(s.forward_regexes.extractors[0].name, "from_list");
  EXPECT_EQ(s.exclusion_body_regex, nullptr);
  EXPECT_EQ(s.exclusion_subject_regex, nullptr);
  EXPECT_EQ(s.offset_days, 5);
  EXPECT_EQ(s.max_emails_per_cycle, 10);
  EXPECT_EQ(s.original_prefix, "orig");
  EXPECT_EQ(s.attached_prefix, "attach");
  ASSERT_EQ(s.dynamic_list.size(), 2u);
  EXPECT_EQ(s.dynamic_list[0].name, "subject");
  EXPECT_EQ(s.dynamic_list[0].pattern, "Subject: (.*)");
  EXPECT_EQ(s.dynamic_list[1].name, "to");
  EXPECT_EQ(s.dynamic_list[1].pattern, "(?m)^To: (.*)");
  EXPECT_TRUE(s.mail.imap.configured);
  EXPECT_EQ(s.mail.imap.host, "imap.example.com");
  EXPECT_EQ(s.mail.imap.port, 993);
  EXPECT_TRUE(s.mail.imap.use_ssl);
  EXPECT_EQ(s.mail.username, "soc@example.com");
  EXPECT_TRUE(s.mail.password_source.configured());
}

TEST(ConnectorSettings, EveryParameterIsRead) {
  const Settings s = settings({{"Default Environment", "SOC"},
                               {"Run Every", "01:02:03:04"},
                               {"Product Field Name", "orig_from"},
                               {"Event Field Name", "orig_subject"},
                               {"Additional headers to extract from emails", "Received:, X-Mailer , \"X-(a|b),c\""},
                               {"Script Timeout (Seconds)", "120"},
                               {"Folder to check for emails", "Inbox, \"Phishing, Reports\", ,Archive"},
                               {"Server Time Zone", "Europe/Berlin"},
                               {"Environment Field Name", "orig_to"},
                               {"Environment Regex Pattern", "@(.*)$"},
                               {"IMAP USE SSL", "false"},
                               {"Unread Emails Only", "no"},
                               {"Mark Emails as Read", "0"},
                               {"Attach Original EML", "yes"},
                               {"Regex expressions to handle forwarded emails", R"j({"subject": "(.*)", "sender": "S: (.*)"})j"},
                               {"Exclusion Body Regex", "newsletter"},
                               {"Exclusion Subject Regex", "out of office"},
                               {"Offset Time In Days", "0"},
                               {"Max Emails Per Cycle", "10000"},
                               {"Create a Separate Siemplify Alert per Attached Mail File?", "TRUE"},
                               {"Original Received Mail Prefix", "o"},
                               {"Attached Mail File Prefix", "a"},
                               {"Dynamic List", R"j(["urls: https?://\\S+", "ids: ID-(\\d+)"])j"},
                               {"IMAP Port", "143"}});
  EXPECT_EQ(s.default_environment, "SOC");
  EXPECT_EQ(s.run_every, std::chrono::seconds(((1 * 24 + 2) * 60 + 3) * 60 + 4));
  EXPECT_EQ(s.product_field_name, "orig_from");
  EXPECT_EQ(s.event_field_name, "orig_subject");
  ASSERT_EQ(s.additional_header_rules.size(), 3u);
  EXPECT_EQ(s.additional_header_rules[0].pattern, "Received");
  EXPECT_EQ(s.additional_header_rules[1].pattern, "X-Mailer");
  EXPECT_EQ(s.additional_header_rules[2].pattern, "X-(a|b),c");
  EXPECT_EQ(s.additional_headers.size(), 3u);
  EXPECT_EQ(s.script_timeout, std::chrono::seconds(120));
  EXPECT_EQ(s.folders, (std::vector<std::string>{"Inbox", "Phishing, Reports", "Archive"}));
  EXPECT_EQ(s.server_time_zone, "Europe/Berlin");
  EXPECT_EQ(s.environment_field_name, "orig_to");
  ASSERT_NE(s.environment_regex, nullptr);
  EXPECT_FALSE(s.use_ssl);
  EXPECT_FALSE(s.mail.imap.use_ssl);
  EXPECT_EQ(s.mail.imap.port, 143);
  EXPECT_EQ(s.account, "soc@example.com@imap.example.com:143");
  EXPECT_FALSE(s.unread_only);
  EXPECT_FALSE(s.mark_as_read);
  EXPECT_TRUE(s.attach_original_eml);
  ASSERT_EQ(s.forward_regexes.extractors.size(), 1u);  // the configured object replaces the defaults
  EXPECT_EQ(s.forward_regexes.extractors[0].name, "sender");
  EXPECT_EQ(s.forward_regexes.subject->pattern(), "(.*)");
  ASSERT_NE(s.exclusion_body_regex, nullptr);
  ASSERT_NE(s.exclusion_subject_regex, nullptr);
  EXPECT_EQ(s.offset_days, 0);
  EXPECT_EQ(s.max_emails_per_cycle, 10000);
  EXPECT_TRUE(s.separate_alert_per_attached_mail);
  EXPECT_EQ(s.original_prefix, "o");
  EXPECT_EQ(s.attached_prefix, "a");
  ASSERT_EQ(s.dynamic_list.size(), 2u);
  EXPECT_EQ(s.dynamic_list[0].name, "urls");
  EXPECT_EQ(s.dynamic_list[1].name, "ids");
  EXPECT_EQ(s.dynamic_list[1].pattern, "ID-(\\d+)");
}

TEST(ConnectorSettings, LegacyPropertyNamesAreAccepted) {
  const Settings s = settings({{"DeviceProductField", "orig_to"}, {"EventClassId", "orig_from"},
                               {"PythonProcessTimeout", "30"}});
  EXPECT_EQ(s.product_field_name, "orig_to");
  EXPECT_EQ(s.event_field_name, "orig_from");
  EXPECT_EQ(s.script_timeout, std::chrono::seconds(30));
  const Error e = load_error({{"DeviceProductField", "a"}, {"Product Field Name", "b"}});
  EXPECT_EQ(e.code(), ErrorCode::kConfigInvalid);
  EXPECT_NE(e.detail().find("was given more than once"), std::string::npos);
}

struct ErrorRow {
  const char* label;
  test::KeyValues values;
  ErrorCode code;
  std::string message;
};

class ConnectorSettingsErrors : public ::testing::TestWithParam<ErrorRow> {};

TEST_P(ConnectorSettingsErrors, ExactMessage) {
  const ErrorRow& row = GetParam();
  const Error e = load_error(row.values);
  EXPECT_EQ(e.code(), row.code) << e.to_string();
  EXPECT_EQ(e.detail(), row.message);
  if (row.code != ErrorCode::kRegexInvalid) {
    EXPECT_EQ(e.exit_code(), 78);
  }
}

const std::string kRe2Note = ". Note: RE2 syntax is used (no look-around, no back-references).";

INSTANTIATE_TEST_SUITE_P(
    Table, ConnectorSettingsErrors,
    ::testing::Values(
        // Hostile rows first.
        ErrorRow{"UsernameWithCrLf", {{"Username", "soc\r\nA1 LOGOUT"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Username\": control characters (CR, LF, NUL) are not allowed"},
        ErrorRow{"HostWithNul", {{"IMAP Server Address", std::string("imap\0x", 6)}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"IMAP Server Address\": control characters (CR, LF, NUL) are not "
                 "allowed"},
        ErrorRow{"FolderWithLf", {{"Folder to check for emails", "Inbox\nX"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Folder to check for emails\": control characters (CR, LF, NUL) are "
                 "not allowed"},
        ErrorRow{"TimeZoneTraversal", {{"Server Time Zone", "../../etc/passwd"}}, ErrorCode::kConfigInvalid,
                 "Invalid Server TimeZone provided: ../../etc/passwd"},
        ErrorRow{"TimeZoneAbsolute", {{"Server Time Zone", "/etc/passwd"}}, ErrorCode::kConfigInvalid,
                 "Invalid Server TimeZone provided: /etc/passwd"},
        ErrorRow{"TimeZoneUnknown", {{"Server Time Zone", "Mars/Olympus"}}, ErrorCode::kConfigInvalid,
                 "Invalid Server TimeZone provided: Mars/Olympus"},
        ErrorRow{"TimeZoneControl", {{"Server Time Zone", "Europe/Berlin\x1b"}}, ErrorCode::kConfigInvalid,
                 "Invalid Server TimeZone provided: Europe/Berlin\\x1b"},
        ErrorRow{"PortHuge", {{"IMAP Port", "99999999999999999999999"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"IMAP Port\": expected an integer between 1 and 65535, got "
                 "\"99999999999999999999999\""},
        ErrorRow{"PythonLookbehind", {{"Exclusion Body Regex", "(?<=Subject: ).*"}}, ErrorCode::kRegexInvalid,
                 "Invalid regular expression in parameter \"Exclusion Body Regex\": invalid perl operator: (?<" +
                     kRe2Note},
        ErrorRow{"BackReference", {{"Exclusion Subject Regex", "(a)\\1"}}, ErrorCode::kRegexInvalid,
                 "Invalid regular expression in parameter \"Exclusion Subject Regex\": invalid escape sequence: \\1" +
                     kRe2Note},
        ErrorRow{"EnvironmentRegexBad", {{"Environment Regex Pattern", "(unclosed"}}, ErrorCode::kRegexInvalid,
                 "Invalid regular expression in parameter \"Environment Regex Pattern\": missing ): (unclosed" +
                     kRe2Note},
        ErrorRow{"HeaderRegexBad", {{"Additional headers to extract from emails", "X-[a"}}, ErrorCode::kRegexInvalid,
                 "Invalid regular expression in parameter \"Additional headers to extract from emails\": missing ]: "
                 "[a" + kRe2Note},
        ErrorRow{"DynamicRegexBad", {{"Dynamic List", R"j(["x: (?<=a)b"])j"}}, ErrorCode::kRegexInvalid,
                 "Invalid regular expression in parameter \"Dynamic List\": invalid perl operator: (?<" + kRe2Note},
        ErrorRow{"ForwardRegexBad", {{"Regex expressions to handle forwarded emails", R"j({"to": "(?P<x"})j"}},
                 ErrorCode::kRegexInvalid,
                 "Invalid regular expression in parameter \"Regex expressions to handle forwarded emails\": invalid "
                 "named capture group: (?P<x" + kRe2Note},
        ErrorRow{"ForwardNotJson", {{"Regex expressions to handle forwarded emails", "{to: x"}},
                 ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Regex expressions to handle forwarded emails\": expected a JSON "
                 "object of name to regular expression (JSON error at byte 3)"},
        ErrorRow{"ForwardNumberOverflow", {{"Regex expressions to handle forwarded emails", "666666666666666e666666"}},
                 ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Regex expressions to handle forwarded emails\": expected a JSON "
                 "object of name to regular expression"},
        ErrorRow{"ForwardArray", {{"Regex expressions to handle forwarded emails", R"(["a"])"}},
                 ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Regex expressions to handle forwarded emails\": expected a JSON "
                 "object of name to regular expression"},
        ErrorRow{"ForwardNonString", {{"Regex expressions to handle forwarded emails", R"({"to": 5})"}},
                 ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Regex expressions to handle forwarded emails\": expected a JSON "
                 "object of name to regular expression"},
        ErrorRow{"ForwardEmptyName", {{"Regex expressions to handle forwarded emails", R"({" ": "x"})"}},
                 ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Regex expressions to handle forwarded emails\": expected a JSON "
                 "object of name to regular expression"},
        ErrorRow{"DynamicNoSeparator", {{"Dynamic List", R"(["urls:http://x"])"}}, ErrorCode::kConfigInvalid,
                 "Invalid dynamic list rule \"urls:http://x\": expected \"name: regex\""},
        ErrorRow{"DynamicEmptyName", {{"Dynamic List", R"([": x"])"}}, ErrorCode::kConfigInvalid,
                 "Invalid dynamic list rule \": x\": expected \"name: regex\""},
        ErrorRow{"DynamicEmptyRegex", {{"Dynamic List", R"(["x:  "])"}}, ErrorCode::kConfigInvalid,
                 "Invalid dynamic list rule \"x:  \": expected \"name: regex\""},
        ErrorRow{"DynamicNameWithSpace", {{"Dynamic List", R"(["a b: x"])"}}, ErrorCode::kConfigInvalid,
                 "Invalid dynamic list rule \"a b: x\": expected \"name: regex\""},
        ErrorRow{"DynamicNumberOverflow", {{"Dynamic List", "[666e666666]"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Dynamic List\": expected an array of \"name: regex\" strings"},
        ErrorRow{"DynamicBadJson", {{"Dynamic List", R"(["a: x")"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Dynamic List\": expected an array of \"name: regex\" strings"},
        ErrorRow{"OrigPrefixSpace", {{"Original Received Mail Prefix", "or ig"}}, ErrorCode::kConfigInvalid,
                 "Original Received Mail Prefix configured contains a space, which is not supported, please remove "
                 "any spaces and try again."},
        ErrorRow{"OrigPrefixTrailingSpace", {{"Original Received Mail Prefix", "orig "}}, ErrorCode::kConfigInvalid,
                 "Original Received Mail Prefix configured contains a space, which is not supported, please remove "
                 "any spaces and try again."},
        ErrorRow{"AttachPrefixTab", {{"Attached Mail File Prefix", "at\ttach"}}, ErrorCode::kConfigInvalid,
                 "Attached Mail File Prefix configured contains a space, which is not supported, please remove any "
                 "spaces and try again."},
        ErrorRow{"RunEveryGarbage", {{"Run Every", "soon"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Run Every\": expected DD:HH:MM:SS or <n>s, <n>m, <n>h (more than 0, "
                 "at most 3650 days), got \"soon\""},
        ErrorRow{"RunEveryZero", {{"Run Every", "00:00:00:00"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Run Every\": expected DD:HH:MM:SS or <n>s, <n>m, <n>h (more than 0, "
                 "at most 3650 days), got \"00:00:00:00\""},
        ErrorRow{"RunEveryMinutes60", {{"Run Every", "00:00:60:00"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Run Every\": expected DD:HH:MM:SS or <n>s, <n>m, <n>h (more than 0, "
                 "at most 3650 days), got \"00:00:60:00\""},
        ErrorRow{"RunEveryNegative", {{"Run Every", "-5m"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Run Every\": expected DD:HH:MM:SS or <n>s, <n>m, <n>h (more than 0, "
                 "at most 3650 days), got \"-5m\""},
        ErrorRow{"RunEveryHuge", {{"Run Every", "999999999h"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Run Every\": expected DD:HH:MM:SS or <n>s, <n>m, <n>h (more than 0, "
                 "at most 3650 days), got \"999999999h\""},
        ErrorRow{"RunEveryThreeFields", {{"Run Every", "10:00:00"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Run Every\": expected DD:HH:MM:SS or <n>s, <n>m, <n>h (more than 0, "
                 "at most 3650 days), got \"10:00:00\""},
        // Types and ranges.
        ErrorRow{"ScriptTimeoutLow", {{"Script Timeout (Seconds)", "9"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Script Timeout (Seconds)\": expected an integer between 10 and 3600, "
                 "got \"9\""},
        ErrorRow{"ScriptTimeoutHigh", {{"Script Timeout (Seconds)", "3601"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Script Timeout (Seconds)\": expected an integer between 10 and 3600, "
                 "got \"3601\""},
        ErrorRow{"OffsetNegative", {{"Offset Time In Days", "-1"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Offset Time In Days\": expected an integer between 0 and 3650, got "
                 "\"-1\""},
        ErrorRow{"OffsetHigh", {{"Offset Time In Days", "3651"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Offset Time In Days\": expected an integer between 0 and 3650, got "
                 "\"3651\""},
        ErrorRow{"MaxZero", {{"Max Emails Per Cycle", "0"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Max Emails Per Cycle\": expected an integer between 1 and 10000, got "
                 "\"0\""},
        ErrorRow{"MaxHigh", {{"Max Emails Per Cycle", "10001"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Max Emails Per Cycle\": expected an integer between 1 and 10000, got "
                 "\"10001\""},
        ErrorRow{"MaxFloat", {{"Max Emails Per Cycle", "1.5"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Max Emails Per Cycle\": expected an integer between 1 and 10000, got "
                 "\"1.5\""},
        ErrorRow{"PortZero", {{"IMAP Port", "0"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"IMAP Port\": expected an integer between 1 and 65535, got \"0\""},
        ErrorRow{"UseSslBad", {{"IMAP USE SSL", "maybe"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"IMAP USE SSL\": expected true or false, got \"maybe\""},
        ErrorRow{"UnreadBad", {{"Unread Emails Only", "2"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Unread Emails Only\": expected true or false, got \"2\""},
        ErrorRow{"MarkBad", {{"Mark Emails as Read", "y"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Mark Emails as Read\": expected true or false, got \"y\""},
        ErrorRow{"AttachBad", {{"Attach Original EML", "on"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Attach Original EML\": expected true or false, got \"on\""},
        ErrorRow{"SeparateBad", {{"Create a Separate Siemplify Alert per Attached Mail File?", "ja"}},
                 ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Create a Separate Siemplify Alert per Attached Mail File?\": expected "
                 "true or false, got \"ja\""},
        ErrorRow{"FoldersAllEmpty", {{"Folder to check for emails", " , ,\"\""}}, ErrorCode::kConfigMissing,
                 "Missing mandatory parameter Folder to check for emails"},
        // Mandatory parameters.
        ErrorRow{"NoHost", {{"IMAP Server Address", ""}}, ErrorCode::kConfigMissing,
                 "Missing mandatory parameter IMAP Server Address"},
        ErrorRow{"HostSentinel", {{"IMAP Server Address", " not yet CONFIGURED "}}, ErrorCode::kConfigMissing,
                 "Missing mandatory parameter IMAP Server Address"},
        ErrorRow{"NoPort", {{"IMAP Port", " "}}, ErrorCode::kConfigMissing, "Missing mandatory parameter IMAP Port"},
        ErrorRow{"NoUsername", {{"Username", ""}}, ErrorCode::kConfigMissing, "Missing mandatory parameter Username"},
        ErrorRow{"UnknownKey", {{"Sender's Address", "a@b"}}, ErrorCode::kConfigInvalid,
                 "Unknown configuration key \"Sender's Address\" in [connector] (test)"},
        // Inherited transport keys keep the integration's rules.
        ErrorRow{"MaxMessageSize", {{"Max Message Size (MB)", "0"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Max Message Size (MB)\": expected an integer between 1 and 2048, got "
                 "\"0\""},
        ErrorRow{"AuthMethodBad", {{"Authentication Method", "kerberos"}}, ErrorCode::kConfigInvalid,
                 "Invalid value for parameter \"Authentication Method\": expected one of password, xoauth2, got "
                 "\"kerberos\""},
        ErrorRow{"ProxyBadScheme", {{"Proxy Server Address", "ftp://proxy:21"}}, ErrorCode::kConfigInvalid,
                 "Invalid Proxy Server Address \"ftp://proxy:21\": unsupported scheme (use http://, socks5:// or "
                 "socks5h://)"}),
    [](const ::testing::TestParamInfo<ErrorRow>& p) { return std::string(p.param.label); });

TEST(ConnectorSettings, PasswordIsMandatoryUnlessXoauth2) {
  Error e = load_error({}, false);
  EXPECT_EQ(e.code(), ErrorCode::kConfigMissing);
  EXPECT_EQ(e.detail(), "Missing mandatory parameter Password");
  e = load_error({{"Authentication Method", "xoauth2"}}, false);
  EXPECT_EQ(e.detail(), "Missing mandatory parameter OAuth2 Access Token");
  ConfigSection c = connector_section({{"Authentication Method", "xoauth2"}}, false);
  c.secrets["oauth2-access-token"] = SecretSource::from_value(Secret("tok"), "test");
  auto s = load_settings(c, {});
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->mail.auth_method, mail::AuthMethod::kXoauth2);
  // The token may come from [integration] (an [add] key inherits).
  ConfigSection integration = section("integration", {{"Authentication Method", "xoauth2"}});
  integration.secrets["oauth2-access-token"] = SecretSource::from_value(Secret("tok"), "test");
  s = load_settings(connector_section({}, false), integration);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->mail.auth_method, mail::AuthMethod::kXoauth2);
}

TEST(ConnectorSettings, TransportKeysInheritDocumentedKeysDoNot) {
  const ConfigSection integration = section(
      "integration", {{"Instance Name", "east"}, {"IMAP Server Address", "other.example"}, {"IMAP Port", "1143"},
                      {"Username", "nobody"}, {"Verify TLS", "false"}, {"Operation Timeout (Seconds)", "120"},
                      {"Max Message Size (MB)", "7"}, {"IMAP STARTTLS", "off"}, {"Proxy Server Address", "proxy:3128"}});
  auto s = load_settings(connector_section({{"Operation Timeout (Seconds)", "30"}}), integration);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->instance, "east");
  EXPECT_EQ(s->mail.imap.host, "imap.example.com");  // documented: never inherited
  EXPECT_EQ(s->mail.imap.port, 993);
  EXPECT_EQ(s->username, "soc@example.com");
  EXPECT_FALSE(s->mail.proxy);                        // documented connector key: not inherited
  EXPECT_FALSE(s->mail.verify_tls);                   // [add]: inherited
  EXPECT_EQ(s->mail.max_message_mib, 7u);
  EXPECT_EQ(s->mail.imap.starttls, mail::StartTlsPolicy::kOff);
  EXPECT_EQ(s->mail.operation_timeout, std::chrono::seconds(30));  // set here: wins
  // Documented keys are still missing when only [integration] has them.
  auto missing = load_settings(section("connector", {}), integration);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().detail(), "Missing mandatory parameter IMAP Server Address");
}

TEST(ConnectorSettings, ConnectorProxyIsUsed) {
  ConfigSection c = connector_section({{"Proxy Server Address", "socks5h://proxy.internal:1080"},
                                       {"Proxy Username", "u"}});
  c.secrets["proxy-password"] = SecretSource::from_value(Secret("p"), "test");
  auto s = load_settings(c, {});
  ASSERT_TRUE(s) << s.error().to_string();
  ASSERT_TRUE(s->mail.proxy);
  EXPECT_EQ(s->mail.proxy->endpoint.host, "proxy.internal");
  EXPECT_EQ(s->mail.proxy->endpoint.port, 1080);
  EXPECT_EQ(s->mail.proxy->scheme, net::ProxyScheme::kSocks5h);
  EXPECT_EQ(s->mail.proxy->username, "u");
}

TEST(ConnectorSettings, RunEveryForms) {
  const std::pair<const char*, long long> rows[] = {
      {"00:00:10:00", 600}, {"30s", 30}, {"5m", 300}, {"2h", 7200}, {"2H", 7200}, {" 15M ", 900},
      {"01:00:00:00", 86400}, {"0:0:0:1", 1}, {"3650:00:00:00", 3650LL * 86400}};
  for (const auto& [text, secs] : rows) {
    auto d = parse_duration("Run Every", text);
    ASSERT_TRUE(d) << text << ": " << d.error().to_string();
    EXPECT_EQ(d->count(), secs) << text;
  }
  for (const char* bad : {"", "s", "10", "10d", "1:2", "::::", "1:2:3:4:5", "00:24:00:00", "00:00:00:60", "3651:00:00:00",
                          "1 0s", "0x10s", "+5s", "10ss", "00:00:00:0a"}) {
    EXPECT_FALSE(parse_duration("Run Every", bad)) << bad;
  }
}

TEST(ConnectorSettings, PrefixesMayBeEmptyWhenSetEmpty) {
  const Settings s = settings({{"Original Received Mail Prefix", ""}, {"Attached Mail File Prefix", ""}});
  EXPECT_EQ(s.original_prefix, "");
  EXPECT_EQ(s.attached_prefix, "");
}

TEST(ConnectorSettings, DynamicListForms) {
  // One rule per line in an environment value; the rule is split at the FIRST ": ".
  Settings s = settings({{"Dynamic List", "urls: http[s]?://(?:[a-zA-Z]|[0-9]|[$-_@.&+]|[!*(),]|(?:%0-9a-fA-F))+\n"
                                          "\n  note: a: b  \n"}});
  ASSERT_EQ(s.dynamic_list.size(), 2u);
  EXPECT_EQ(s.dynamic_list[0].name, "urls");
  EXPECT_EQ(s.dynamic_list[1].name, "note");
  EXPECT_EQ(s.dynamic_list[1].pattern, "a: b");
  // A file array.
  ConfigSection c = connector_section({{"Dynamic List", ""}});
  c.values["dynamic-list"].items = std::vector<std::string>{"ids: ID-(\\d+)"};
  auto r = load_settings(c, {});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->dynamic_list.size(), 1u);
  EXPECT_EQ(r->dynamic_list[0].name, "ids");
  // Empty = not provided: the defaults.
  s = settings({{"Dynamic List", "[]"}});
  EXPECT_EQ(s.dynamic_list.size(), 2u);
}

TEST(ConnectorSettings, ForwardedRegexSubjectOnlyKeepsNoExtractors) {
  const Settings s = settings({{"Regex expressions to handle forwarded emails", R"j({"subject": "^(.*)$"})j"}});
  EXPECT_TRUE(s.forward_regexes.extractors.empty());
  EXPECT_EQ(s.forward_regexes.subject->pattern(), "^(.*)$");
}

TEST(ConnectorSettings, DocumentationExamplesCompile) {
  const Settings s = settings({{"Exclusion Body Regex", "([N|n]ewsletter)|([O|o]ut of office)"},
                               {"Exclusion Subject Regex", "([N|n]ewsletter)|([O|o]ut of office)"}});
  EXPECT_TRUE(re2::RE2::PartialMatch("Weekly Newsletter", *s.exclusion_subject_regex));
  EXPECT_TRUE(re2::RE2::PartialMatch("I am out of office", *s.exclusion_body_regex));
}

TEST(ConnectorSettings, HostileValuesAreEchoedSafely) {
  const std::string long_value(5000, 'x');
  const Error e = load_error({{"Max Emails Per Cycle", long_value}});
  EXPECT_LT(e.detail().size(), 400u);
  const Error z = load_error({{"Server Time Zone", "Europe/\x01\x7f" + long_value}});
  EXPECT_EQ(z.detail().find('\x01'), std::string::npos);
  EXPECT_LT(z.detail().size(), 300u);
  // A pattern that would need more than max_mem is refused at load time, not at match time.
  const Error big = load_error({{"Exclusion Body Regex", "((((((((((a{1,100}){1,100}){1,100}){1,100})))))))"}});
  EXPECT_EQ(big.code(), ErrorCode::kRegexInvalid);
}

TEST(ConnectorSettings, KnownKeysNormaliseUniquely) {
  std::set<std::string> seen;
  for (std::string_view k : known_keys()) EXPECT_TRUE(seen.insert(text::normalise_name(k)).second) << k;
  EXPECT_GE(known_keys().size(), 30u);
}

}  // namespace
}  // namespace emailv2::connector
