// The sending actions through the real emailv2 binary against scripted servers on 127.0.0.1 (CONTRACT §2.1, §3.0,
// §6.2): rejection at RCPT and at DATA → RSET + QUIT and a clear SMTP_REJECTED, nothing half-delivered; STARTTLS
// missing → TLS_REQUIRED with zero credential bytes; bad input (CR/LF/NUL, unreadable attachment) → no connection
// at all; the password never in trace logs.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "integration/cli_run.h"
#include "support/scripted_server.h"
#include "support/test_certs.h"

namespace emailv2::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassword = "send-Fault-Pa55word-7";

struct Dialogue {
  std::string rcpt_reply = "250 2.1.5 ok\r\n";  // for recipients containing "nobody"
  std::string final_dot = "250 2.0.0 Ok: queued as F00\r\n";
  bool offer_starttls = true;
};

// A submission server: STARTTLS (upgrade), EHLO again, AUTH PLAIN, the transaction, RSET, QUIT.
std::function<LineReply(const std::string&)> submission(Dialogue d) {
  auto in_data = std::make_shared<bool>(false);
  auto tls = std::make_shared<bool>(false);
  return [=](const std::string& line) -> LineReply {
    if (*in_data) {
      if (line == ".") {
        *in_data = false;
        return {d.final_dot};
      }
      return {""};
    }
    if (line.rfind("EHLO", 0) == 0) {
      if (!*tls && d.offer_starttls) return {"250-fault.test\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n"};
      return {"250-fault.test\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n"};
    }
    if (line == "STARTTLS") {
      *tls = true;
      return {"220 2.0.0 go ahead\r\n", LineReply::Then::kStartTls};
    }
    if (line.rfind("AUTH PLAIN", 0) == 0) return {"235 2.7.0 ok\r\n"};
    if (line.rfind("MAIL FROM", 0) == 0) return {"250 2.1.0 ok\r\n"};
    if (line.find("nobody") != std::string::npos) return {d.rcpt_reply};
    if (line.rfind("RCPT TO", 0) == 0) return {"250 2.1.5 ok\r\n"};
    if (line == "DATA") {
      *in_data = true;
      return {"354 go ahead\r\n"};
    }
    if (line == "RSET") return {"250 2.0.0 reset\r\n"};
    if (line == "QUIT") return {"221 2.0.0 bye\r\n", LineReply::Then::kClose};
    return {"502 5.5.2 unknown\r\n"};
  };
}

class SendFaults : public ::testing::Test {
 protected:
  // Config pointing SMTP (and IMAP, for Forward/Thread Reply) at the given ports on 127.0.0.1.
  void write_config(std::uint16_t smtp_port, std::uint16_t imap_port = 0) {
    std::string body = "[integration]\n\"Sender's Address\" = \"soc@lab.test\"\n\"Sender's Display Name\" = \"SOC\"\n";
    body += "Username = \"soc@lab.test\"\n\"CA File\" = \"" + certs_.ca_file().string() + "\"\n";
    body += "\"SMTP Server Address\" = \"127.0.0.1\"\n\"SMTP Port\" = " + std::to_string(smtp_port) + "\n";
    body += "\"SMTP - Use SSL\" = false\n\"Connect Timeout (Seconds)\" = 5\n\"Operation Timeout (Seconds)\" = 5\n";
    if (imap_port != 0) {
      body += "\"IMAP Server Address\" = \"127.0.0.1\"\n\"IMAP Port\" = " + std::to_string(imap_port) + "\n";
    }
    write_file(dir_.path() / "emailv2.toml", body);
    ::chmod((dir_.path() / "emailv2.toml").c_str(), 0600);
  }
  CliRun run(std::vector<std::string> args, const std::string& stdin_bytes = "") {
    args.insert(args.begin(), {"--store", (dir_.path() / "store.sqlite").string(), "--timeout", "20"});
    return run_cli(args, {{"EMAILV2_PASSWORD", kPassword}}, dir_.path(), stdin_bytes);
  }
  static void expect_no_secret(const std::string& text) {
    EXPECT_EQ(text.find(kPassword), std::string::npos);
    EXPECT_EQ(text.find(emailv2::text::base64_encode(std::string(1, '\0') + "soc@lab.test" + std::string(1, '\0') +
                                                     kPassword)),
              std::string::npos);
  }

  TestCerts certs_;
  TempDir dir_;
};

TEST_F(SendFaults, RejectionAtRcptIsRsetQuitAndSmtpRejectedWithNoData) {
  ScriptedServer server(
      Script{}
          .send("220 fault.test ESMTP\r\n")
          .on_line_reply(
              submission({.rcpt_reply = "550 5.1.1 <nobody@lab.test>: Recipient address rejected: User unknown\r\n"}),
              certs_.server()));
  write_config(server.port());
  const auto r = run({"send-email", "--log-level", "trace", "--recipients", "alice@lab.test, nobody@lab.test",
                      "--subject", "s", "--content", "c"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const auto env = r.envelope();
  EXPECT_EQ(env["error_code"], "SMTP_REJECTED");
  EXPECT_EQ(env["output_message"],
            "Failed to send email! The Error is SMTP_REJECTED: RCPT TO nobody@lab.test rejected: 550 5.1.1 "
            "<nobody@lab.test>: Recipient address rejected: User unknown");
  ASSERT_TRUE(server.wait_finished());
  EXPECT_TRUE(server.tls_established());
  const auto lines = server.lines();
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(lines.end() - 4, lines.end()),
            (std::vector<std::string>{"RCPT TO:<alice@lab.test>", "RCPT TO:<nobody@lab.test>", "RSET", "QUIT"}));
  EXPECT_EQ(server.received().find("DATA"), std::string::npos);
  expect_no_secret(r.err);
  // Nothing recorded for Wait.
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "store.sqlite"));
}

TEST_F(SendFaults, RejectionAtDataIsRsetQuitAndSmtpRejected) {
  ScriptedServer server(
      Script{}
          .send("220 fault.test ESMTP\r\n")
          .on_line_reply(submission({.final_dot = "554 5.7.1 Message rejected: policy\r\n"}), certs_.server()));
  write_config(server.port());
  const auto r = run({"send-email", "--recipients", "alice@lab.test", "--subject", "s", "--content", "c"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"],
            "Failed to send email! The Error is SMTP_REJECTED: DATA rejected: 554 5.7.1 Message rejected: policy");
  ASSERT_TRUE(server.wait_finished());
  const auto lines = server.lines();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(lines.end() - 3, lines.end()), (std::vector<std::string>{".", "RSET", "QUIT"}));
}

TEST_F(SendFaults, StartTlsMissingIsTlsRequiredWithZeroCredentialBytes) {
  ScriptedServer server(
      Script{}.send("220 fault.test ESMTP\r\n").on_line_reply(submission({.offer_starttls = false}), certs_.server()));
  write_config(server.port());
  const auto r =
      run({"send-email", "--log-level", "trace", "--recipients", "alice@lab.test", "--subject", "s", "--content", "c"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"],
            "Failed to send email! The Error is TLS_REQUIRED: 127.0.0.1:" + std::to_string(server.port()) +
                " does not offer STARTTLS; refusing to send credentials in clear text");
  EXPECT_EQ(r.envelope()["error_code"], "TLS_REQUIRED");
  ASSERT_TRUE(server.wait_finished());
  const std::string seen = server.received();
  EXPECT_EQ(seen.find("AUTH"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("MAIL FROM"), std::string::npos) << seen;
  expect_no_secret(seen);
  expect_no_secret(r.err);
}

TEST_F(SendFaults, StalledServerPastTheRunTimeoutIsDeadline) {
  ScriptedServer server(Script{}.send("220 fault.test ESMTP\r\n").stall());
  write_config(server.port());
  std::vector<std::string> args{"--store",
                                (dir_.path() / "store.sqlite").string(),
                                "--timeout",
                                "2",
                                "send-email",
                                "--recipients",
                                "alice@lab.test",
                                "--subject",
                                "s",
                                "--content",
                                "c"};
  const auto started = std::chrono::steady_clock::now();
  const auto r = run_cli(args, {{"EMAILV2_PASSWORD", kPassword}}, dir_.path());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.envelope()["error_code"], "DEADLINE") << r.out;
  EXPECT_EQ(r.envelope()["output_message"].get<std::string>().rfind(
                "Failed to send email! The Error is DEADLINE: the run's --timeout was reached: ", 0),
            0u)
      << r.out;
}

TEST_F(SendFaults, ForwardAndReplyWithUnreadableAttachmentConnectToNothing) {
  ScriptedServer smtp(Script{}.send("220 x\r\n").stall());
  ScriptedServer imap(Script{}.send("* OK x\r\n").stall());
  write_config(smtp.port(), imap.port());
  const std::string missing = (dir_.path() / "missing.pdf").string();
  const auto send = run(
      {"send-email", "--recipients", "a@lab.test", "--subject", "s", "--content", "c", "--attachments-paths", missing});
  EXPECT_EQ(send.exit_code, 2) << send.out;
  EXPECT_EQ(send.envelope()["output_message"], "Failed to send email! The Error is IO_ERROR: cannot read attachment " +
                                                   missing + ": No such file or directory");
  const auto fwd = run({"forward-email", "--message-id-of-the-email-to-forward", "<x@y>", "--recipients", "a@lab.test",
                        "--subject", "s", "--attachment-paths", missing});
  EXPECT_EQ(fwd.exit_code, 2) << fwd.out;
  EXPECT_EQ(fwd.envelope()["error_code"], "IO_ERROR");
  const auto reply =
      run({"send-thread-reply", "--message-id", "<x@y>", "--content", "c", "--attachment-paths", dir_.path().string()});
  EXPECT_EQ(reply.exit_code, 2) << reply.out;
  EXPECT_EQ(reply.envelope()["output_message"],
            "Error executing action \"Send Thread Reply\". Reason: IO_ERROR: cannot read attachment " +
                dir_.path().string() + ": not a regular file");
  EXPECT_FALSE(smtp.wait_accepted(1, 200ms));
  EXPECT_FALSE(imap.wait_accepted(1, 200ms));
}

TEST_F(SendFaults, ControlCharactersViaFlagsAndJsonConnectToNothing) {
  ScriptedServer smtp(Script{}.send("220 x\r\n").stall());
  ScriptedServer imap(Script{}.send("* OK x\r\n").stall());
  write_config(smtp.port(), imap.port());
  struct Field {
    std::string command, name, base;
    std::vector<std::pair<std::string, std::string>> rest;
  };
  const std::vector<Field> fields{
      {"send-email", "Recipients", "alice@lab.test", {{"Subject", "s"}, {"Content", "c"}}},
      {"send-email", "CC", "bob@lab.test", {{"Recipients", "a@lab.test"}, {"Subject", "s"}, {"Content", "c"}}},
      {"send-email", "Bcc", "carol@lab.test", {{"Recipients", "a@lab.test"}, {"Subject", "s"}, {"Content", "c"}}},
      {"send-email", "Subject", "report", {{"Recipients", "a@lab.test"}, {"Content", "c"}}},
      {"forward-email",
       "Message ID of the email to forward",
       "<x@y>",
       {{"Recipients", "a@lab.test"}, {"Subject", "s"}}},
      {"forward-email",
       "Folder Name",
       "Inbox",
       {{"Message ID of the email to forward", "<x@y>"}, {"Recipients", "a@lab.test"}, {"Subject", "s"}}},
      {"forward-email",
       "Subject",
       "FW",
       {{"Message ID of the email to forward", "<x@y>"}, {"Recipients", "a@lab.test"}}},
      {"send-thread-reply", "Message ID", "<x@y>", {{"Content", "c"}}},
      {"send-thread-reply", "Folder Name", "Inbox", {{"Message ID", "<x@y>"}, {"Content", "c"}}},
      {"send-thread-reply", "Reply To", "a@lab.test", {{"Message ID", "<x@y>"}, {"Content", "c"}}},
  };
  const std::vector<std::string> injections{"\r\nBcc: evil@attacker.test",
                                            "\nRCPT TO:<evil@attacker.test>",
                                            "\r",
                                            std::string("\0", 1),
                                            "\r\n.\r\nQUIT",
                                            "\n\n"};
  int runs = 0;
  for (const Field& f : fields) {
    for (const std::string& inj : injections) {
      for (bool json : {false, true}) {
        // argv is NUL-terminated: a NUL cannot reach the binary as a flag (the value would be cut), only in JSON.
        if (!json && inj.find('\0') != std::string::npos) continue;
        const std::string value = f.base + inj;
        CliRun r;
        if (json) {
          nlohmann::json doc;
          for (const auto& [k, v] : f.rest) doc[k] = v;
          doc[f.name] = value;
          r = run({f.command, "--params-json", "-"}, doc.dump());
        } else {
          std::vector<std::string> args{f.command};
          for (const auto& [k, v] : f.rest) {
            args.push_back("--" + emailv2::text::normalise_name(k));
            args.push_back(v);
          }
          args.push_back("--" + emailv2::text::normalise_name(f.name));
          args.push_back(value);
          r = run(args);
        }
        SCOPED_TRACE(f.command + " " + f.name + " " + emailv2::text::echo_value(value) + (json ? " json" : " flag"));
        EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
        EXPECT_EQ(r.envelope()["output_message"],
                  "Invalid value for parameter \"" + f.name + "\": control characters (CR, LF, NUL) are not allowed");
        ++runs;
      }
    }
  }
  EXPECT_EQ(runs, 110);
  EXPECT_FALSE(smtp.wait_accepted(1, 200ms));
  EXPECT_FALSE(imap.wait_accepted(1, 200ms));
}

}  // namespace
}  // namespace emailv2::testing
