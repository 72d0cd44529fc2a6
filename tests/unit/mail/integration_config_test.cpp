// The typed [integration] configuration (CONTRACT §2): types, defaults, sentinel, CR/LF rule, needs, session options.
#include "mail/integration_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "core/text.h"

namespace emailv2::mail {
namespace {

ConfigSection section(std::initializer_list<std::pair<std::string, std::string>> kv) {
  ConfigSection s;
  s.table = "integration";
  for (const auto& [k, v] : kv) s.values[text::normalise_name(k)] = ConfigValue{v, k, "test", std::nullopt};
  return s;
}

Result<IntegrationConfig> load(std::initializer_list<std::pair<std::string, std::string>> kv) {
  return IntegrationConfig::from_section(section(kv));
}

TEST(IntegrationConfig, HostileValuesAreConfigInvalid) {
  struct Row {
    std::string key, value, detail;
  };
  const Row rows[] = {
      {"Sender's Address", "soc@x.com\r\nBcc: a@b",
       "Invalid value for parameter \"Sender's Address\": control characters (CR, LF, NUL) are not allowed"},
      {"Sender's Display Name", "SOC\nX-Evil: 1",
       "Invalid value for parameter \"Sender's Display Name\": control characters (CR, LF, NUL) are not allowed"},
      {"Username", std::string("soc\0x", 5),
       "Invalid value for parameter \"Username\": control characters (CR, LF, NUL) are not allowed"},
      {"IMAP Server Address", "imap.x.com\r\n",
       "Invalid value for parameter \"IMAP Server Address\": control characters (CR, LF, NUL) are not allowed"},
      {"SMTP Server Address", "\nsmtp",
       "Invalid value for parameter \"SMTP Server Address\": control characters (CR, LF, NUL) are not allowed"},
      {"IMAP Port", "99999",
       "Invalid value for parameter \"IMAP Port\": expected an integer between 1 and 65535, got \"99999\""},
      {"SMTP Port", "abc",
       "Invalid value for parameter \"SMTP Port\": expected an integer between 1 and 65535, got \"abc\""},
      {"IMAP \xE2\x80\x93 Use SSL", "perhaps",
       "Invalid value for parameter \"IMAP \xE2\x80\x93 Use SSL\": expected true or false, got \"perhaps\""},
      {"Connect Timeout (Seconds)", "601",
       "Invalid value for parameter \"Connect Timeout (Seconds)\": expected an integer between 1 and 600, got \"601\""},
      {"Operation Timeout (Seconds)", "0",
       "Invalid value for parameter \"Operation Timeout (Seconds)\": expected an integer between 1 and 3600, got \"0\""},
      {"Max Message Size (MB)", "2049",
       "Invalid value for parameter \"Max Message Size (MB)\": expected an integer between 1 and 2048, got \"2049\""},
      {"IMAP STARTTLS", "maybe",
       "Invalid value for parameter \"IMAP STARTTLS\": expected one of required, off, got \"maybe\""},
      {"Authentication Method", "kerberos",
       "Invalid value for parameter \"Authentication Method\": expected one of password, xoauth2, got \"kerberos\""},
      {"Sender's Address", "not an address",
       "Invalid value for parameter \"Sender's Address\": expected an email address, got \"not an address\""},
      {"TLS Pinned SHA-256", "abcd",
       "Invalid value for parameter \"TLS Pinned SHA-256\": expected 64 hexadecimal digits, got \"abcd\""},
      {"Time Zone", "Mars/Olympus", "Invalid value for parameter \"Time Zone\": unknown IANA time zone \"Mars/Olympus\""},
      {"Time Zone", "../../etc/passwd",
       "Invalid value for parameter \"Time Zone\": unknown IANA time zone \"../../etc/passwd\""},
  };
  for (const auto& row : rows) {
    auto c = IntegrationConfig::from_section(section({{row.key, row.value}}));
    ASSERT_FALSE(c) << row.key;
    EXPECT_EQ(c.error().code(), ErrorCode::kConfigInvalid) << row.key;
    EXPECT_EQ(c.error().exit_code(), 78);
    EXPECT_EQ(c.error().detail(), row.detail);
  }
}

TEST(IntegrationConfig, UnknownKeyRejected) {
  auto c = load({{"IMAP Sever Address", "x"}});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::kConfigInvalid);
  EXPECT_EQ(c.error().detail(), "Unknown configuration key \"IMAP Sever Address\" in [integration] (test)");
}

TEST(IntegrationConfig, DefaultsAndSentinel) {
  auto c = load({{"SMTP Server Address", "Not yet configured"}, {"IMAP Server Address", " not YET configured "},
                 {"IMAP Port", "Not yet configured"}});
  ASSERT_TRUE(c) << c.error().detail();
  EXPECT_FALSE(c->imap_configured());
  EXPECT_FALSE(c->smtp_configured());
  EXPECT_EQ(c->instance_name, "default");
  EXPECT_TRUE(c->verify_tls);
  EXPECT_EQ(c->connect_timeout, std::chrono::seconds(30));
  EXPECT_EQ(c->operation_timeout, std::chrono::seconds(60));
  EXPECT_EQ(c->max_message_mib, 50u);
  EXPECT_EQ(c->time_zone, "UTC");
  EXPECT_TRUE(c->smtp_use_authentication);
  EXPECT_EQ(c->auth_method, AuthMethod::kPassword);
}

TEST(IntegrationConfig, PortDefaultsFollowSsl) {
  struct Row {
    std::string imap_ssl, smtp_ssl;
    std::uint16_t imap_port, smtp_port;
  };
  const Row rows[] = {{"true", "true", 993, 465}, {"false", "false", 143, 587}, {"", "", 993, 465}};
  for (const auto& row : rows) {
    auto c = load({{"IMAP Server Address", "imap.x"}, {"SMTP Server Address", "smtp.x"},
                   {"IMAP - Use SSL", row.imap_ssl}, {"SMTP USE SSL", row.smtp_ssl}});
    ASSERT_TRUE(c) << c.error().detail();
    EXPECT_EQ(c->imap.port, row.imap_port);
    EXPECT_EQ(c->smtp.port, row.smtp_port);
  }
  auto explicit_port = load({{"IMAP Server Address", "imap.x"}, {"IMAP Port", "1993"}});
  ASSERT_TRUE(explicit_port);
  EXPECT_EQ(explicit_port->imap.port, 1993);
}

TEST(IntegrationConfig, NeedsProduceContractMessages) {
  auto none = load({});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->require_smtp().error().detail(),
            "SMTP configuration is needed to execute action. Please configure SMTP in the integration configuration.");
  EXPECT_EQ(none->require_imap().error().detail(),
            "IMAP configuration is needed to execute action. Please configure IMAP in the integration configuration.");
  EXPECT_EQ(none->require_imap().error().exit_code(), 78);
  auto imap_only = load({{"IMAP Server Address", "imap.x"}});
  ASSERT_TRUE(imap_only);
  EXPECT_EQ(imap_only->require_imap().error().detail(), "Missing mandatory parameter Username");
  auto with_user = load({{"IMAP Server Address", "imap.x"}, {"Username", "u"}});
  EXPECT_EQ(with_user->require_imap().error().detail(), "Missing mandatory parameter Password");
  auto oauth = load({{"IMAP Server Address", "imap.x"}, {"Username", "u"}, {"Authentication Method", "XOAUTH2"}});
  EXPECT_EQ(oauth->require_imap().error().detail(), "Missing mandatory parameter OAuth2 Access Token");
  auto smtp = load({{"SMTP Server Address", "smtp.x"}, {"SMTP - Use Authentication", "false"}});
  EXPECT_EQ(smtp->require_smtp().error().detail(), "Missing mandatory parameter Sender's Address");
  auto open_relay = load({{"SMTP Server Address", "smtp.x"}, {"SMTP - Use Authentication", "false"},
                          {"Sender's Address", "soc@lab.test"}});
  EXPECT_TRUE(open_relay->require_smtp());
  EXPECT_EQ(open_relay->require_sender_display_name().error().detail(),
            "Missing mandatory parameter Sender's Display Name");
}

TEST(IntegrationConfig, SessionOptions) {
  ConfigSection s = section({{"IMAP Server Address", "imap.x"}, {"IMAP - Use SSL", "false"}, {"IMAP STARTTLS", "off"},
                             {"SMTP Server Address", "smtp.x"}, {"SMTP - Use SSL", "false"},
                             {"Sender's Address", "soc@corp.example"}, {"Username", "soc"},
                             {"Verify TLS", "false"}, {"CA File", "/etc/ca.pem"},
                             {"TLS Pinned SHA-256", std::string(64, 'A')}, {"Connect Timeout (Seconds)", "5"},
                             {"Proxy Server Address", "socks5h://proxy.local"}, {"Proxy Username", "pu"}});
  s.secrets["password"] = SecretSource::from_value(Secret("pw-123"), "test");
  s.secrets["proxy-password"] = SecretSource::from_value(Secret("proxy-pw"), "test");
  auto c = IntegrationConfig::from_section(s);
  ASSERT_TRUE(c) << c.error().detail();
  auto imap = c->imap_session_options();
  ASSERT_TRUE(imap);
  EXPECT_EQ(imap->endpoint.port, 143);
  EXPECT_EQ(imap->tls_mode, imap::TlsMode::kStartTlsOff);
  EXPECT_FALSE(imap->tls.verify);
  EXPECT_EQ(imap->tls.ca_file, "/etc/ca.pem");
  EXPECT_EQ(imap->tls.pinned_sha256_hex, std::string(64, 'a'));
  EXPECT_EQ(imap->connect_timeout, std::chrono::seconds(5));
  EXPECT_EQ(imap->password.reveal(), "pw-123");
  EXPECT_EQ(imap->proxy.scheme, net::ProxyScheme::kSocks5h);
  EXPECT_EQ(imap->proxy.username, "pu");
  EXPECT_EQ(imap->proxy.password.reveal(), "proxy-pw");
  auto smtp = c->smtp_session_options();
  ASSERT_TRUE(smtp);
  EXPECT_EQ(smtp->endpoint.port, 587);
  EXPECT_EQ(smtp->tls_mode, smtp::TlsMode::kStartTlsRequired);
  EXPECT_EQ(smtp->ehlo_domain, "corp.example");
  EXPECT_EQ(smtp->username, "soc");
  EXPECT_EQ(smtp->password.reveal(), "pw-123");
}

TEST(IntegrationConfig, BadProxyIsConfigInvalid) {
  auto c = load({{"Proxy Server Address", "ftp://x"}});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().exit_code(), 78);
}

TEST(IntegrationConfig, TokenFileIsReReadAtEachConnection) {
  char path[] = "/tmp/emailv2-token-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "tok-1\n", 6), 6);
  ConfigSection s = section({{"IMAP Server Address", "imap.x"}, {"Username", "u"}, {"Authentication Method", "xoauth2"}});
  s.secrets["oauth2-access-token"] = SecretSource::from_file(path, "test");
  auto c = IntegrationConfig::from_section(s);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->imap_session_options()->oauth_token.reveal(), "tok-1");
  ASSERT_EQ(pwrite(fd, "tok-2\r\n", 7, 0), 7);
  EXPECT_EQ(c->imap_session_options()->oauth_token.reveal(), "tok-2");
  close(fd);
  unlink(path);
}

}  // namespace
}  // namespace emailv2::mail
