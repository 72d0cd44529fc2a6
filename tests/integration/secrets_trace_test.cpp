// Secrets (issue 8): every command runs at --log-level trace against the lab, in text and JSON log formats; the
// password and the OAuth2 token must appear nowhere — not in stdout, stderr, the case store (main file and WAL), nor
// any file left in TMPDIR — in plain text, base64 at every alignment, or SASL-encoded (PLAIN, LOGIN, XOAUTH2).
// The needles are computed here, independently of the redactor in core/, so a redactor bug cannot hide itself.

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/text.h"
#include "integration/cli_run.h"
#include "support/test_env.h"

namespace emailv2::testing {
namespace {

// The base64 forms of `secret` wherever it sits in a longer encoded string: the encoding of `secret` preceded by 0, 1
// or 2 arbitrary bytes, keeping only the characters that depend on the secret's bytes alone.
std::vector<std::string> base64_needles(const std::string& secret) {
  std::vector<std::string> out;
  for (std::size_t shift = 0; shift < 3; ++shift) {
    const std::string encoded = text::base64_encode(std::string(shift, '\x01') + secret + std::string(2, '\x01'));
    const std::size_t first = (shift * 8 + 5) / 6 + 1;                 // first character free of the prefix
    const std::size_t last = ((shift + secret.size()) * 8) / 6;        // characters before the suffix bits
    if (last > first + 8) out.push_back(encoded.substr(first, last - first));
  }
  return out;
}

struct Needles {
  std::vector<std::pair<std::string, std::string>> list;  // (what, bytes)
  void add(const std::string& what, const std::string& bytes) { list.emplace_back(what, bytes); }
};

Needles needles_for(const std::string& user, const std::string& password, const std::string& token) {
  Needles n;
  n.add("password", password);
  n.add("token", token);
  for (const auto& b : base64_needles(password)) n.add("password base64", b);
  for (const auto& b : base64_needles(token)) n.add("token base64", b);
  n.add("SASL PLAIN", text::base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + password));
  n.add("SASL XOAUTH2", text::base64_encode("user=" + user + "\x01" + "auth=Bearer " + token + "\x01\x01"));
  return n;
}

void expect_clean(const std::string& where, const std::string& haystack, const Needles& n) {
  for (const auto& [what, needle] : n.list) {
    EXPECT_EQ(haystack.find(needle), std::string::npos) << what << " found in " << where;
  }
}

std::string random_token(std::size_t length) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::mt19937_64 rng{std::random_device{}()};
  std::string s;
  for (std::size_t i = 0; i < length; ++i) s += kAlphabet[rng() % (sizeof kAlphabet - 1)];
  return s;
}

void deliver(const std::string& user, const std::string& eml) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() / ("secrets-" + random_token(8) + ".eml");
  write_file(file, eml);
  const std::string cmd = (source_dir() / "scripts/mail-lab").string() + " deliver " +
                          std::getenv("EMAILV2_LAB_DIR") + " " + user + " " + file.string() + " >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::filesystem::remove(file);
}

class SecretsTrace : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!lab_available()) GTEST_SKIP() << "mail lab not running (EMAILV2_LAB_DIR)";
    user_ = lab("LAB_USER4");
    password_ = lab("LAB_PASS4");
    token_ = "ya29." + random_token(40);
    tmp_ = dir_.path() / "tmp";
    std::filesystem::create_directories(tmp_);
    store_ = dir_.path() / "store.sqlite";
    write_config(dir_.path() / "password.toml", "password");
    write_config(dir_.path() / "xoauth2.toml", "xoauth2");
  }

  void write_config(const std::filesystem::path& path, const std::string& method) {
    std::string toml = "[integration]\n\"Instance Name\" = \"secrets\"\n";
    toml += "\"Sender's Address\" = \"" + user_ + "\"\n\"Sender's Display Name\" = \"SOC\"\n";
    toml += "\"IMAP Server Address\" = \"localhost\"\n\"IMAP Port\" = " + lab("LAB_IMAPS_PORT") + "\n";
    toml += "\"SMTP Server Address\" = \"localhost\"\n\"SMTP Port\" = " + lab("LAB_SUBMISSION_PORT") + "\n";
    toml += "\"SMTP – Use SSL\" = false\n\"Username\" = \"" + user_ + "\"\n";
    toml += "\"CA File\" = \"" + lab("LAB_CA") + "\"\n\"Store Path\" = \"" + store_.string() + "\"\n";
    if (method == "xoauth2") {
      toml += "\"Authentication Method\" = \"xoauth2\"\n\"OAuth2 Access Token\" = \"" + token_ + "\"\n";
    } else {
      toml += "\"Password\" = \"" + password_ + "\"\n";
    }
    toml += "[connector]\n\"IMAP Server Address\" = \"localhost\"\n\"IMAP Port\" = " + lab("LAB_IMAPS_PORT") + "\n";
    toml += "\"Username\" = \"" + user_ + "\"\n\"Password\" = \"" + password_ + "\"\n";
    toml += "\"Offset Time In Days\" = 1\n\"Mark Emails as Read\" = false\n";
    write_file(path, toml);
    ::chmod(path.c_str(), 0600);
  }

  CliRun run(const std::string& config, std::vector<std::string> args, const std::string& format) {
    std::vector<std::string> full = {"--config", (dir_.path() / config).string(), "--log-level", "trace",
                                     "--log-format", format, "--timeout", "60"};
    full.insert(full.end(), args.begin(), args.end());
    return run_cli(full, {{"TMPDIR", tmp_.string()}}, dir_.path());
  }

  std::string scan_files(const std::filesystem::path& root) {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().extension() != ".toml") all += read_file(entry.path());
    }
    return all;
  }

  TempDir dir_;
  std::string user_, password_, token_;
  std::filesystem::path tmp_, store_;
};

TEST_F(SecretsTrace, NoCommandLeaksThePasswordOrTokenAnywhere) {
  const std::string id = "<secrets-" + random_token(12) + "@lab.test>";
  deliver(user_, "From: Alice <" + lab("LAB_USER1") + ">\r\nTo: " + user_ + "\r\nSubject: secrets probe\r\n" +
                     "Message-ID: " + id + "\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n" +
                     "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n" +
                     "hello\r\n--B\r\nContent-Type: text/plain; name=\"a.txt\"\r\n" +
                     "Content-Disposition: attachment; filename=\"a.txt\"\r\n\r\nattachment\r\n--B--\r\n");
  const auto download = dir_.path() / "download";
  const std::vector<std::vector<std::string>> commands = {
      {"ping"},
      {"send-email", "--recipients", lab("LAB_USER1"), "--subject", "secrets send", "--content", "<p>hi</p>"},
      {"search-emails", "--folder-name", "INBOX", "--subject-filter", "secrets"},
      {"forward-email", "--message-id-of-the-email-to-forward", id, "--recipients", lab("LAB_USER2"), "--subject",
       "fwd"},
      {"send-thread-reply", "--message-id", id, "--content", "<p>reply</p>"},
      {"download-email-attachments", "--folder-name", "INBOX", "--download-path", download.string(), "--message-id",
       id},
      {"wait-for-email-from-user", "--message-id-to-check-replies-for", id, "--email-recipients", lab("LAB_USER1")},
      {"connector", "--once"},
      {"cases", "list"},
      {"save-email-attachments-to-case", "--case-id", "1", "--folder-name", "INBOX", "--message-id", id},
      {"delete-email", "--folder-name", "INBOX", "--message-ids", "<no-such-" + random_token(6) + "@lab.test>"},
  };
  const Needles n = needles_for(user_, password_, token_);
  for (const std::string config : {"password.toml", "xoauth2.toml"}) {
    for (const std::string format : {"text", "json"}) {
      for (const auto& args : commands) {
        const CliRun r = run(config, args, format);
        const std::string where = config + " " + format + " " + args[0];
        EXPECT_NE(r.exit_code, 70) << where << " crashed into INTERNAL: " << r.err;
        EXPECT_NE(r.exit_code, 64) << where << " rejected its arguments: " << r.out;
        if (args[0] != "cases") {
          EXPECT_FALSE(r.err.empty()) << where << ": trace logging produced nothing";
        }
        expect_clean(where + " stdout", r.out, n);
        expect_clean(where + " stderr", r.err, n);
      }
    }
  }
  expect_clean("the case store and its WAL", scan_files(dir_.path()), n);
  expect_clean("TMPDIR", scan_files(tmp_), n);
}

}  // namespace
}  // namespace emailv2::testing
