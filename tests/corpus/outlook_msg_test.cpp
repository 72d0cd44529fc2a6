// Conformance of the .msg reader over ../shared/corpus: every Outlook file reads without error in < 2 s, and its
// fields agree with the msgreader oracle JSON (hiraoka-msgreader test/*.json) except for the listed, explained
// differences (KNOWN_DIFFERENCES_OUTLOOK_TNEF.md). Prints the agreement table of OUTLOOK_TNEF_REPORT.md.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "mime/outlook/msg_reader.h"
#include "mime/outlook/rtf_decapsulate.h"
#include "support/test_env.h"

namespace emailv2::mime::outlook {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<fs::path> outlook_files() {
  const fs::path root = testing::corpus_dir();
  std::vector<fs::path> files;
  for (const char* dir : {"hiraoka-msgreader/test", "hiraoka-msgreader/data", "sicos-msgreader", "msg-extractor"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::directory_iterator(root / dir)) {
      if (e.path().extension() == ".msg") files.push_back(e.path());
    }
  }
  files.push_back(root / "spamscope-mail-parser/mails/mail_outlook_1");
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::int64_t> parse_http_date(const std::string& s) {
  std::tm tm{};
  if (strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) == nullptr) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

std::string recipient_kind(RecipientKind k) {
  switch (k) {
    case RecipientKind::kTo: return "to";
    case RecipientKind::kCc: return "cc";
    case RecipientKind::kBcc: return "bcc";
    default: return "other";
  }
}

struct Tally {
  std::map<std::string, std::pair<int, int>> fields;  // field -> (agree, compared)
  std::set<std::string> disagreements;                 // "file:field"

  void check(const std::string& file, const std::string& field, bool agree) {
    auto& f = fields[field];
    ++f.second;
    if (agree) {
      ++f.first;
    } else {
      disagreements.insert(file + ":" + field);
    }
  }
};

// Compares one message with its oracle object; `label` names it in the disagreement list.
void compare(const OutlookMessage& msg, const json& oracle, const std::string& label, Tally& tally) {
  tally.check(label, "subject", msg.subject == oracle.value("subject", ""));
  if (oracle.contains("senderEmail")) {
    const std::string expected = oracle.value("senderAddressType", "") == "SMTP" ? oracle.value("senderEmail", "") : "";
    if (!expected.empty()) tally.check(label, "from", msg.from_address == expected);
  }
  std::vector<std::string> ours, theirs;
  for (const auto& r : msg.recipients) ours.push_back(recipient_kind(r.kind) + ":" + r.address);
  for (const auto& r : oracle.value("recipients", json::array())) {
    std::string address = r.value("smtpAddress", "");
    if (address.empty()) address = r.value("email", "");
    theirs.push_back(r.value("recipType", "to") + ":" + address);
  }
  tally.check(label, "recipients", ours == theirs);
  const bool oracle_body = !oracle.value("body", "").empty();
  tally.check(label, "body presence", oracle_body == !msg.text_body.empty());
  std::string date_text = oracle.value("clientSubmitTime", oracle.value("messageDeliveryTime", ""));
  if (auto expected = parse_http_date(date_text); expected && msg.date_ms) {
    tally.check(label, "date", *msg.date_ms / 1000 * 1000 == *expected);
  } else {
    tally.check(label, "date", !expected && !msg.date_ms);
  }
  const json attachments = oracle.value("attachments", json::array());
  tally.check(label, "attachment count", attachments.size() == msg.attachments.size());
  for (std::size_t i = 0; i < attachments.size() && i < msg.attachments.size(); ++i) {
    const json& a = attachments[i];
    const MsgAttachment& att = msg.attachments[i];
    const std::string at = label + "#" + std::to_string(i);
    if (a.value("innerMsgContent", false)) {
      tally.check(at, "attachment name", att.name == a.value("name", "") + ".msg" || att.name == a.value("name", ""));
      tally.check(at, "embedded message", att.is_message && att.message != nullptr);
      if (att.message && a.contains("innerMsgContentFields")) compare(*att.message, a["innerMsgContentFields"], at, tally);
    } else {
      tally.check(at, "attachment name", att.name == a.value("fileName", a.value("name", "")));
      if (a.contains("contentLength")) {
        tally.check(at, "attachment size", att.data.size() == a.value("contentLength", std::size_t{0}));
      }
      if (a.contains("attachMimeTag")) tally.check(at, "attachment mime tag", att.mime_tag == a.value("attachMimeTag", ""));
      if (a.contains("pidContentId")) tally.check(at, "attachment content id", att.content_id == a.value("pidContentId", ""));
    }
  }
}

// Disagreements that are explained in KNOWN_DIFFERENCES_OUTLOOK_TNEF.md; any other one fails the test.
const std::set<std::string> kKnownDifferences = {
    // The oracle decoded cp932 bytes as Latin-1 (its JSON was made without ANSI code page 932); we decode them
    // with the ANSI code page of PR_INTERNET_CPID 50220, i.e. 932, and get the real Japanese subject.
    "contactAnsi:subject",
    // The oracle JSON of the second-level embedded message lists no times; the storage has
    // PR_MESSAGE_DELIVERY_TIME and we report it.
    "msgInMsgInMsg#0:date",
};

TEST(OutlookCorpus, EveryFileReadsQuicklyAndAgreesWithTheOracle) {
  const auto files = outlook_files();
  if (files.size() < 2) GTEST_SKIP() << "corpus not found at " << testing::corpus_dir();
  Tally tally;
  int read = 0;
  double slowest = 0;
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.string());
    const std::string bytes = testing::read_file(path);
    const auto start = std::chrono::steady_clock::now();
    auto msg = read_msg(bytes);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    slowest = std::max(slowest, seconds);
    EXPECT_LT(seconds, 2.0);
    ASSERT_TRUE(msg) << msg.error().to_string();
    ++read;
    fs::path oracle_path = path;
    oracle_path.replace_extension(".json");
    if (path.parent_path().filename() != "test" || !fs::exists(oracle_path)) continue;
    compare(*msg, json::parse(testing::read_file(oracle_path)), path.stem().string(), tally);
  }
  std::printf("\n.msg files read: %d of %zu, slowest %.3f s\n| field | agree | compared |\n|---|---|---|\n", read,
              files.size(), slowest);
  for (const auto& [field, counts] : tally.fields) {
    std::printf("| %s | %d | %d |\n", field.c_str(), counts.first, counts.second);
  }
  for (const std::string& d : tally.disagreements) {
    std::printf("disagreement: %s%s\n", d.c_str(), kKnownDifferences.count(d) ? " (known)" : "");
    EXPECT_TRUE(kKnownDifferences.count(d)) << "unexplained disagreement " << d;
  }
}

// msg-extractor's expected text output: the Subject line and the first body line must match ours. (Its Date line
// is in the generating machine's local time mislabelled GMT, and strangeDate.msg has no submit or delivery time:
// see KNOWN_DIFFERENCES_OUTLOOK_TNEF.md.)
TEST(OutlookCorpus, MsgExtractorExpectedText) {
  const fs::path dir = testing::corpus_dir() / "msg-extractor";
  if (!fs::exists(dir)) GTEST_SKIP() << "corpus not found";
  const std::pair<const char*, const char*> cases[] = {
      {"unicode.msg", "expected-outputs/2013-11-18_0026 Test for TIF files/message.text"},
      {"strangeDate.msg", "expected-outputs/2016-02-23_0657 MSG Test File/message.text"}};
  for (const auto& [msg_name, expected_name] : cases) {
    SCOPED_TRACE(msg_name);
    auto msg = read_msg(testing::read_file(dir / msg_name));
    ASSERT_TRUE(msg);
    const std::string expected = testing::read_file(dir / expected_name);
    EXPECT_NE(expected.find("Subject: " + msg->subject + "\r"), std::string::npos);
    const std::size_t body_at = expected.find("-----------------");
    ASSERT_NE(body_at, std::string::npos);
    std::string first_line;
    for (std::size_t i = body_at + 17; i < expected.size() && first_line.empty(); ++i) {
      const std::size_t end = expected.find_first_of("\r\n", i);
      first_line = expected.substr(i, end - i);
      i = end;
    }
    ASSERT_FALSE(first_line.empty());
    EXPECT_NE(msg->text_body.find(first_line), std::string::npos) << first_line;
    for (const auto& r : msg->recipients) {
      if (r.kind == RecipientKind::kTo) {
        EXPECT_NE(expected.find("To: " + r.address), std::string::npos);
      }
    }
  }
}

TEST(OutlookCorpus, RtfSamplesDecapsulateToTheirHtml) {
  const fs::path dir = testing::corpus_dir() / "sicos-msgreader/rtf";
  if (!fs::exists(dir)) GTEST_SKIP() << "corpus not found";
  for (const char* name : {"Issue332", "Issue347"}) {
    SCOPED_TRACE(name);
    RtfBody body = rtf_to_body(testing::read_file(dir / (std::string(name) + ".rtf")), 1252);
    EXPECT_EQ(body.kind, RtfBodyKind::kHtml);
    const std::string expected = testing::read_file(dir / (std::string(name) + ".html"));
    EXPECT_EQ(body.text.size(), expected.size());
    EXPECT_EQ(body.text, expected);
  }
}

}  // namespace
}  // namespace emailv2::mime::outlook
