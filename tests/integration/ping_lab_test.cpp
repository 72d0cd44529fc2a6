// Ping end to end against the mail lab (CONTRACT §3.1, §2.1): IMAPS, IMAP+STARTTLS, SMTPS, submission+STARTTLS,
// wrong password, wrong CA, HTTP CONNECT and SOCKS5 proxies, secret files, and no password in any output at trace.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "cli_run.h"
#include "core/text.h"

namespace emailv2::testing {
namespace {

struct LabConfig {
  std::string imap_port;  // empty: IMAP unconfigured
  bool imap_ssl = true;
  std::string smtp_port;  // empty: SMTP unconfigured
  bool smtp_ssl = true;
  std::string ca = "LAB_CA";
  std::string proxy;
  std::string username = lab("LAB_USER4");
  std::string extra;
};

LabConfig cfg(std::string imap_port, bool imap_ssl, std::string smtp_port, bool smtp_ssl) {
  LabConfig c;
  c.imap_port = std::move(imap_port);
  c.imap_ssl = imap_ssl;
  c.smtp_port = std::move(smtp_port);
  c.smtp_ssl = smtp_ssl;
  return c;
}

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::filesystem::path write_lab_config(const TempDir& dir, const LabConfig& c) {
  std::string body = "[integration]\n\"Sender's Address\" = \"soc@lab.test\"\n";
  body += "Username = " + toml_string(c.username) + "\n";
  body += "\"CA File\" = " + toml_string(lab(c.ca)) + "\n";
  if (!c.imap_port.empty()) {
    body += "\"IMAP Server Address\" = \"" + lab("LAB_HOST") + "\"\n\"IMAP Port\" = " + c.imap_port + "\n";
    body += std::string("\"IMAP - Use SSL\" = ") + (c.imap_ssl ? "true" : "false") + "\n";
  }
  if (!c.smtp_port.empty()) {
    body += "\"SMTP Server Address\" = \"" + lab("LAB_HOST") + "\"\n\"SMTP Port\" = " + c.smtp_port + "\n";
    body += std::string("\"SMTP - Use SSL\" = ") + (c.smtp_ssl ? "true" : "false") + "\n";
  }
  if (!c.proxy.empty()) body += "\"Proxy Server Address\" = \"" + c.proxy + "\"\n";
  body += c.extra;
  const auto path = dir.path() / "emailv2.toml";
  write_file(path, body);
  ::chmod(path.c_str(), 0600);
  return path;
}

CliRun ping(const LabConfig& c, std::map<std::string, std::string> env = {}, std::vector<std::string> extra = {}) {
  TempDir dir;
  write_lab_config(dir, c);
  if (env.count("EMAILV2_PASSWORD") == 0 && env.count("EMAILV2_PASSWORD_FILE") == 0) {
    env["EMAILV2_PASSWORD"] = lab("LAB_PASS4");
  }
  std::vector<std::string> args{"ping", "--timeout", "60"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args, env, dir.path());
}

const std::string kAllGood = "Successfully connected to the email server with the provided connection parameters!";

TEST(PingLab, WrongPasswordIsAuthFailed) {
  const auto r = ping(cfg(lab("LAB_IMAPS_PORT"), true, lab("LAB_SMTPS_PORT"), true), {{"EMAILV2_PASSWORD", "wrong-pw"}});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const auto j = r.envelope();
  EXPECT_EQ(j["error_code"], "AUTH_FAILED");
  const std::string msg = j["output_message"];
  EXPECT_EQ(msg.rfind("Failed to connect to the IMAP server! Error is AUTH_FAILED: ", 0), 0u) << msg;
  EXPECT_NE(msg.find("\nFailed to connect to the SMTP server! Error is AUTH_FAILED: SMTP server rejected AUTH: 535"),
            std::string::npos)
      << msg;
  EXPECT_EQ(j["json_result"]["imap"]["success"], false);
}

TEST(PingLab, WrongCaIsTlsFailed) {
  LabConfig c = cfg(lab("LAB_IMAPS_PORT"), true, lab("LAB_SMTPS_PORT"), true);
  c.ca = "LAB_OTHER_CA";
  const auto r = ping(c);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  const auto j = r.envelope();
  EXPECT_EQ(j["error_code"], "TLS_FAILED");
  EXPECT_EQ(j["json_result"]["imap"]["error"].get<std::string>().rfind("TLS_FAILED: ", 0), 0u);
  EXPECT_EQ(j["json_result"]["smtp"]["error"].get<std::string>().rfind("TLS_FAILED: ", 0), 0u);
}

TEST(PingLab, ImapsAndSmtps) {
  const auto r = ping(cfg(lab("LAB_IMAPS_PORT"), true, lab("LAB_SMTPS_PORT"), true));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = r.envelope();
  EXPECT_EQ(j["output_message"], kAllGood);
  EXPECT_EQ(j["is_success"], true);
  EXPECT_TRUE(j["error_code"].is_null());
  const auto& caps = j["json_result"]["imap"]["capabilities"];
  EXPECT_NE(std::find(caps.begin(), caps.end(), "IMAP4rev1"), caps.end()) << caps;
  EXPECT_FALSE(j["json_result"]["smtp"]["extensions"].empty());
}

TEST(PingLab, StartTlsBoth) {
  const auto r = ping(cfg(lab("LAB_IMAP_PORT"), false, lab("LAB_SUBMISSION_PORT"), false));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"], kAllGood);
}

TEST(PingLab, OneProtocolSkipped) {
  const auto imap_only = ping(cfg(lab("LAB_IMAPS_PORT"), true, "", true));
  EXPECT_EQ(imap_only.exit_code, 0) << imap_only.out;
  EXPECT_EQ(imap_only.envelope()["output_message"],
            kAllGood + "\nSMTP is not configured, the SMTP connectivity check was skipped.");
  EXPECT_EQ(imap_only.envelope()["json_result"]["smtp"]["configured"], false);
  const auto smtp_only = ping(cfg("", true, lab("LAB_SUBMISSION_PORT"), false));
  EXPECT_EQ(smtp_only.exit_code, 0) << smtp_only.out;
  EXPECT_EQ(smtp_only.envelope()["output_message"],
            kAllGood + "\nIMAP is not configured, the IMAP connectivity check was skipped.");
}

TEST(PingLab, FailureLineThenSuccessLine) {
  // IMAP against the SMTPS port fails; SMTP still succeeds and both lines are reported.
  LabConfig c = cfg(lab("LAB_SMTPS_PORT"), true, lab("LAB_SMTPS_PORT"), true);
  c.extra = "\"Operation Timeout (Seconds)\" = 3\n";
  const auto r = ping(c);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  const std::string msg = r.envelope()["output_message"];
  EXPECT_EQ(msg.rfind("Failed to connect to the IMAP server! Error is ", 0), 0u) << msg;
  EXPECT_NE(msg.find("\nSuccessfully connected to the SMTP server."), std::string::npos) << msg;
}

TEST(PingLab, ThroughHttpConnectProxy) {
  LabConfig c = cfg(lab("LAB_IMAPS_PORT"), true, lab("LAB_SUBMISSION_PORT"), false);
  c.proxy = "http://" + lab("LAB_HOST") + ":" + lab("LAB_HTTP_PROXY_PORT");
  const auto r = ping(c);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"], kAllGood);
}

TEST(PingLab, ThroughAuthenticatedHttpProxyWithSecretFromEnv) {
  LabConfig c = cfg(lab("LAB_IMAPS_PORT"), true, "", true);
  c.proxy = "http://" + lab("LAB_HOST") + ":" + lab("LAB_HTTP_PROXY_AUTH_PORT");
  c.extra = "\"Proxy Username\" = \"" + lab("LAB_PROXY_USER") + "\"\n";
  const auto r = ping(c, {{"EMAILV2_PROXY_PASSWORD", lab("LAB_PROXY_PASS")}, {"EMAILV2_PASSWORD", lab("LAB_PASS4")}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto denied = ping(c, {{"EMAILV2_PROXY_PASSWORD", "nope"}, {"EMAILV2_PASSWORD", lab("LAB_PASS4")}});
  EXPECT_EQ(denied.exit_code, 2) << denied.out;
  EXPECT_EQ(denied.envelope()["error_code"], "PROXY_FAILED") << denied.out;
}

TEST(PingLab, ThroughSocks5Proxy) {
  for (const std::string scheme : {"socks5", "socks5h"}) {
    LabConfig c = cfg(lab("LAB_IMAPS_PORT"), true, lab("LAB_SMTPS_PORT"), true);
    c.proxy = scheme + "://" + lab("LAB_HOST") + ":" + lab("LAB_SOCKS_PORT");
    const auto r = ping(c);
    EXPECT_EQ(r.exit_code, 0) << scheme << r.out << r.err;
    EXPECT_EQ(r.envelope()["output_message"], kAllGood) << scheme;
  }
}

TEST(PingLab, PasswordFileLosesOneTrailingNewline) {
  TempDir secrets;
  write_file(secrets.path() / "pw", lab("LAB_PASS4") + "\n");
  const auto r = ping(cfg(lab("LAB_IMAPS_PORT"), true, lab("LAB_SMTPS_PORT"), true),
                      {{"EMAILV2_PASSWORD_FILE", (secrets.path() / "pw").string()}});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  write_file(secrets.path() / "pw2", lab("LAB_PASS4") + "\n\n");
  const auto two = ping(cfg(lab("LAB_IMAPS_PORT"), true, "", true),
                        {{"EMAILV2_PASSWORD_FILE", (secrets.path() / "pw2").string()}});
  EXPECT_EQ(two.exit_code, 2) << "only one line ending is removed: " << two.out;
}

TEST(PingLab, SpecialCharactersInPassword) {
  LabConfig c = cfg(lab("LAB_IMAP_PORT"), false, lab("LAB_SUBMISSION_PORT"), false);
  c.username = lab("LAB_SPECIAL_USER");
  const auto r = ping(c, {{"EMAILV2_PASSWORD", lab("LAB_SPECIAL_PASS")}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(PingLab, PasswordNeverInOutputAtTrace) {
  const std::string user = lab("LAB_USER4");
  const std::string pass = lab("LAB_PASS4");
  const std::string forms[] = {
      pass,
      text::base64_encode(pass),
      text::base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + pass),
      text::base64_encode(user + std::string(1, '\0') + user + std::string(1, '\0') + pass),
  };
  const LabConfig configs[] = {
      cfg(lab("LAB_IMAPS_PORT"), true, lab("LAB_SMTPS_PORT"), true),
      cfg(lab("LAB_IMAP_PORT"), false, lab("LAB_SUBMISSION_PORT"), false),
  };
  for (const auto& c : configs) {
    for (const std::string format : {"text", "json"}) {
      const auto r = ping(c, {}, {"--log-level", "trace", "--log-format", format});
      EXPECT_EQ(r.exit_code, 0) << r.out;
      EXPECT_NE(r.err.find("AUTH"), std::string::npos) << "the trace shows the exchange: " << r.err.substr(0, 400);
      for (const auto& f : forms) {
        EXPECT_EQ(r.out.find(f), std::string::npos) << "stdout holds a password form";
        EXPECT_EQ(r.err.find(f), std::string::npos) << "stderr holds a password form";
      }
    }
  }
}

}  // namespace
}  // namespace emailv2::testing
