#pragma once
// Shared by the send_*_lab tests: a configuration for the lab (sender soc@lab.test over the submission port with
// STARTTLS + AUTH, IMAPS for Forward/Thread Reply), running the real emailv2 binary, and reading the delivered mail
// back over IMAP (read-only) to check what our client sent. The lab keeps Postfix from adding Date/Message-ID or
// dropping Bcc (docs/mail-lab.md), so what arrives is what we wrote.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "cli_run.h"
#include "imap_lab_support.h"
#include "mail/imap_mail_store.h"
#include "mime/parse_message.h"
#include "support/test_env.h"

namespace emailv2::testing::send_lab {

using namespace std::chrono_literals;

inline std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Lab {
  TempDir dir;
  std::string display_name = "SOC Team";
  std::string extra;  // more [integration] lines

  std::filesystem::path store() const { return dir.path() / "store.sqlite"; }

  void write_config() const {
    std::string body = "[integration]\n\"Sender's Address\" = \"soc@lab.test\"\n";
    body += "\"Sender's Display Name\" = " + toml_string(display_name) + "\n";
    body += "Username = " + toml_string(lab("LAB_USER4")) + "\n";
    body += "\"CA File\" = " + toml_string(lab("LAB_CA")) + "\n";
    body +=
        "\"SMTP Server Address\" = \"" + lab("LAB_HOST") + "\"\n\"SMTP Port\" = " + lab("LAB_SUBMISSION_PORT") + "\n";
    body += "\"SMTP - Use SSL\" = false\n";
    body += "\"IMAP Server Address\" = \"" + lab("LAB_HOST") + "\"\n\"IMAP Port\" = " + lab("LAB_IMAPS_PORT") + "\n";
    body += extra;
    const auto path = dir.path() / "emailv2.toml";
    write_file(path, body);
    ::chmod(path.c_str(), 0600);
  }

  // Runs `emailv2 <args>` in the lab directory with the soc password in the environment.
  CliRun run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
    write_config();
    if (env.count("EMAILV2_PASSWORD") == 0) env["EMAILV2_PASSWORD"] = lab("LAB_PASS4");
    args.insert(args.begin(), {"--store", store().string(), "--timeout", "60"});
    return run_cli(args, env, dir.path());
  }
};

// user: 1 alice, 2 bob, 3 carol, 4 soc.
inline std::string address(int user) {
  return lab("LAB_USER" + std::to_string(user));
}

inline std::unique_ptr<mail::MailStore> mailbox(int user) {
  return std::make_unique<mail::ImapMailStore>(
      [user](Deadline d) { return imap::Session::connect(imap::lab::options("LAB_IMAPS_PORT", user), d); });
}

// The raw bytes of the message with exactly this Message-ID in the user's INBOX, waiting up to `wait` for delivery;
// "" when it never arrived.
inline std::string read_back(int user, const std::string& message_id, std::chrono::seconds wait = 30s) {
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    auto store = mailbox(user);
    auto uids = store->find_by_message_id("INBOX", message_id, imap::lab::soon());
    EXPECT_TRUE(uids) << uids.error().to_string();
    if (uids && !uids->empty()) {
      std::string raw;
      auto r = store->fetch_messages(
          "INBOX", {uids->back()}, 100 * 1024 * 1024,
          [&](mail::StoredMessage&& m) -> Status {
            auto bytes = m.bytes.read_all();
            if (!bytes) return fail(bytes.error());
            raw = std::move(*bytes);
            return ok();
          },
          imap::lab::soon());
      EXPECT_TRUE(r) << r.error().to_string();
      (void)store->close(imap::lab::soon());
      return raw;
    }
    (void)store->close(imap::lab::soon());
    if (std::chrono::steady_clock::now() > until) return "";
    std::this_thread::sleep_for(200ms);
  }
}

// True when the message never shows up in the user's INBOX within `wait` (use after another copy arrived).
inline bool absent(int user, const std::string& message_id, std::chrono::seconds wait = 2s) {
  return read_back(user, message_id, wait).empty();
}

// The header section (up to and including the blank line) of a raw message.
inline std::string header_section(const std::string& raw) {
  const auto end = raw.find("\r\n\r\n");
  return end == std::string::npos ? raw : raw.substr(0, end + 4);
}

// Every header field name of the section, in order (continuations skipped).
inline std::vector<std::string> header_names(const std::string& raw) {
  std::vector<std::string> names;
  const std::string h = header_section(raw);
  std::size_t pos = 0;
  while (pos < h.size()) {
    const auto eol = h.find("\r\n", pos);
    const std::string line = h.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;
    names.push_back(line.substr(0, line.find(':')));
  }
  return names;
}

// Appends a raw message to the user's INBOX (no flags).
inline void append(int user, const std::string& raw) {
  auto s = imap::lab::connect(imap::lab::options("LAB_IMAPS_PORT", user));
  ASSERT_TRUE(s);
  ASSERT_TRUE(imap::lab::append_all(*s, "INBOX", {raw}));
  (void)s->logout(imap::lab::soon());
}

inline std::string unique_id(const std::string& prefix) {
  static int counter = 0;
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "@lab.test";
}

}  // namespace emailv2::testing::send_lab
