// Corpus conformance of the MIME layer over ../shared/corpus (EMAILV2_CORPUS_DIR): every message parses without a
// crash in < 2 s, and our values are compared with the oracles the sources ship (stalwart NNN.json fields and
// field-level JSONs, mime4j *_decoded.xml structure, govcert URL samples). With EMAILV2_WRITE_CORPUS_REPORT=1 the
// per-source agreement report is written to tests/corpus/REPORT.md; every accepted disagreement is explained in
// tests/corpus/KNOWN_DIFFERENCES.md. Floors below catch regressions.
#include <gtest/gtest.h>

#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/text.h"
#include "mime/address.h"
#include "mime/content_type.h"
#include "mime/date.h"
#include "mime/mail_object.h"
#include "mime/mime_tree.h"
#include "mime/parse_message.h"
#include "mime/urls.h"
#include "support/test_env.h"

namespace emailv2::mime {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct Tally {
  std::size_t agree = 0;
  std::size_t total = 0;
  std::vector<std::string> differences;
  void check(bool ok, const std::string& what) {
    ++total;
    if (ok) ++agree;
    else if (differences.size() < 40) differences.push_back(what);
  }
  double rate() const { return total == 0 ? 1.0 : static_cast<double>(agree) / static_cast<double>(total); }
};

std::map<std::string, Tally>& report() {
  static std::map<std::string, Tally> r;
  return r;
}

fs::path corpus() { return testing::corpus_dir(); }

bool is_message_file(const fs::path& p) {
  static const std::set<std::string> skip_ext{".json", ".xml", ".md", ".dict", ".out", ".list", ".tsv", ".py"};
  const std::string name = p.filename().string();
  if (skip_ext.count(p.extension().string()) != 0) return false;
  return !(name.starts_with("LICENSE") || name.starts_with("COPYING") || name.starts_with("PSF-LICENSE") ||
           name.starts_with("ARTISTIC") || name.starts_with("README") || name.starts_with("regexes_url") ||
           name == "license.txt");
}

std::string short_name(const fs::path& p) { return fs::relative(p, corpus()).string(); }

class MimeCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(corpus() / "MANIFEST.md")) GTEST_SKIP() << "corpus not found at " << corpus();
  }
};

TEST_F(MimeCorpus, EveryFileParsesFastWithoutCrash) {
  Tally& t = report()["all files: parse + Mail Object < 2 s"];
  double worst = 0;
  std::string worst_name;
  for (const auto& e : fs::recursive_directory_iterator(corpus())) {
    if (!e.is_regular_file() || !is_message_file(e.path())) continue;
    const std::string raw = testing::read_file(e.path());
    const std::clock_t t0 = std::clock();  // CPU time: the shared build machine's load must not fail the test
    const Message msg = parse_mail_file(raw);
    MailContext ctx;
    ctx.raw = raw;
    std::string dumped = mail_object(msg, ctx).dump();
    for (const AttachedMail& am : attached_mails(msg)) dumped += mail_object(*am.message, attached_context(ctx, *am.parent)).dump();
    const double ms = 1000.0 * static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC;
    if (ms > worst) worst = ms, worst_name = short_name(e.path());
    t.check(ms < 2000.0, short_name(e.path()) + " took " + std::to_string(ms) + " ms");
    EXPECT_LT(ms, 2000.0) << e.path();
  }
  t.differences.insert(t.differences.begin(), "(slowest: " + worst_name + ", " + std::to_string(worst) + " ms)");
  EXPECT_GT(t.total, 600u);
}

std::vector<std::string> stalwart_addresses(const Json& v) {
  std::vector<std::string> out;
  if (!v.is_object() || !v.contains("Address")) return out;
  const Json& a = v["Address"];
  auto add_list = [&](const Json& list) {
    for (const Json& m : list)
      if (m.contains("address") && m["address"].is_string()) out.push_back(m["address"].get<std::string>());
  };
  if (a.contains("List")) add_list(a["List"]);
  if (a.contains("Group"))
    for (const Json& g : a["Group"]) add_list(g["addresses"]);
  return out;
}

std::vector<std::string> ours(const std::vector<Address>& l) {
  std::vector<std::string> out;
  for (const Address& a : l) out.push_back(a.address);
  return out;
}

std::string strip_angles(std::string s) {
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}

TEST_F(MimeCorpus, StalwartMessageFields) {
  Tally& t = report()["stalwart eml: subject/from/to/message-id/date"];
  for (const char* sub : {"rfc", "malformed", "thirdparty"}) {
    const fs::path dir = corpus() / "stalwart-mail-parser/resources/eml" / sub;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".eml") continue;
      fs::path jp = e.path();
      jp.replace_extension(".json");
      if (!fs::exists(jp)) continue;
      const Json oracle = Json::parse(testing::read_file(jp), nullptr, false);
      if (oracle.is_discarded() || !oracle.contains("parts") || oracle["parts"].empty()) continue;
      const Message m = parse_message(testing::read_file(e.path()));
      const std::string name = short_name(e.path());
      bool seen_from = false, seen_to = false, seen_subject = false, seen_id = false, seen_date = false;
      for (const Json& h : oracle["parts"][0]["headers"]) {
        if (!h["name"].is_string()) continue;  // {"other": …}: a header stalwart does not model
        const std::string hn = h["name"].get<std::string>();
        const Json& v = h["value"];
        if (hn == "subject" && !seen_subject && v.is_object() && v.contains("Text")) {
          seen_subject = true;
          t.check(m.raw_subject == v["Text"].get<std::string>(), name + " subject: ours \"" + m.raw_subject +
                                                                     "\" vs \"" + v["Text"].get<std::string>() + "\"");
        } else if (hn == "from" && !seen_from) {
          seen_from = true;
          const auto want = stalwart_addresses(v);
          t.check(ours(m.from) == want, name + " from: " + std::to_string(m.from.size()) + " vs " +
                                            std::to_string(want.size()) + " addresses");
        } else if (hn == "to" && !seen_to) {
          seen_to = true;
          const auto want = stalwart_addresses(v);
          t.check(ours(m.to) == want, name + " to: ours " + std::to_string(m.to.size()) + " vs " +
                                          std::to_string(want.size()) + " addresses");
        } else if (hn == "message_id" && !seen_id && v.is_object() && v.contains("Text")) {
          seen_id = true;
          t.check(m.message_id && strip_angles(*m.message_id) == v["Text"].get<std::string>(),
                  name + " message-id: ours " + m.message_id.value_or("(none)"));
        } else if (hn == "date" && !seen_date && v.is_object() && v.contains("DateTime")) {
          seen_date = true;
          const Json& d = v["DateTime"];
          ParsedDate pd;
          pd.year = d["year"], pd.month = d["month"], pd.day = d["day"];
          pd.hour = d["hour"], pd.minute = d["minute"], pd.second = d["second"];
          const int off = d["tz_hour"].get<int>() * 60 + d["tz_minute"].get<int>();
          pd.offset_minutes = d["tz_before_gmt"].get<bool>() ? -off : off;
          t.check(m.date_ms == to_epoch_ms(pd), name + " date: ours " +
                                                    (m.date_ms ? std::to_string(*m.date_ms) : "(invalid)"));
        }
      }
    }
  }
  EXPECT_GE(t.rate(), 0.85) << t.agree << "/" << t.total;
}

TEST_F(MimeCorpus, StalwartFieldOracles) {
  const fs::path dir = corpus() / "stalwart-mail-parser/resources";
  Tally& ta = report()["stalwart address.json (addr-specs)"];
  for (const Json& row : Json::parse(testing::read_file(dir / "address.json"))) {
    std::vector<std::string> want;
    const Json& ex = row["expected"];
    Json wrapped = {{"Address", ex}};
    want = stalwart_addresses(wrapped);
    std::vector<std::string> w;
    const AddressList got = parse_address_list(row["header"].get<std::string>(), w);
    std::vector<std::string> have = ours(got.addresses);
    ta.check(have == want, "\"" + row["header"].get<std::string>().substr(0, 60) + "\": ours " +
                               std::to_string(have.size()) + " vs " + std::to_string(want.size()));
  }
  Tally& td = report()["stalwart date.json"];
  for (const Json& row : Json::parse(testing::read_file(dir / "date.json"))) {
    const auto got = parse_date(row["header"].get<std::string>());
    const Json& ex = row["expected"];
    bool ok = false;
    if (ex.is_null()) {
      ok = !got.has_value();
    } else if (got) {
      const int off = ex["tz_hour"].get<int>() * 60 + ex["tz_minute"].get<int>();
      ok = got->year == ex["year"] && got->month == ex["month"] && got->day == ex["day"] && got->hour == ex["hour"] &&
           got->minute == ex["minute"] && got->second == ex["second"] &&
           got->offset_minutes == (ex["tz_before_gmt"].get<bool>() ? -off : off);
    }
    td.check(ok, "\"" + row["header"].get<std::string>().substr(0, 60) + "\"");
  }
  Tally& tc = report()["stalwart content_type.json"];
  for (const Json& row : Json::parse(testing::read_file(dir / "content_type.json"))) {
    std::vector<std::string> w;
    const std::string header = row["header"].get<std::string>();
    const Json& ex = row["expected"];
    bool ok = false;
    const Parameters* params = nullptr;
    ContentType ct;
    Disposition disp;
    if (ex.is_object() && (!ex.contains("c_subtype") || ex["c_subtype"].is_null())) {  // a bare token: compared as a disposition type
      disp = parse_disposition(header, w);
      ok = disp.kind == ex["c_type"].get<std::string>();
      params = &disp.params;
    } else if (ex.is_object()) {
      ct = parse_content_type(header, w);
      ok = ct.type == ex["c_type"].get<std::string>() && ct.subtype == ex["c_subtype"].get<std::string>();
      params = &ct.params;
    }
    if (ok && ex.contains("attributes") && ex["attributes"].is_array()) {
      for (const Json& a : ex["attributes"]) {
        const bool pair = a.is_array() && a.size() == 2;
        const std::string an = pair ? a[0].get<std::string>() : a["name"].get<std::string>();
        const std::string av = pair ? a[1].get<std::string>() : a["value"].get<std::string>();
        const std::string* v = params->find(text::to_lower_ascii(an));
        ok = ok && v != nullptr && *v == av;
      }
    }
    tc.check(ok, "\"" + row["header"].get<std::string>().substr(0, 70) + "\"");
  }
  EXPECT_GE(ta.rate(), 0.8);
  EXPECT_GE(td.rate(), 0.85);
  EXPECT_GE(tc.rate(), 0.7);
}

std::size_t count_leaves(std::string_view raw, int depth) {
  const MimeTree tree = read_mime_tree(raw);
  std::size_t n = 0;
  for (const MimeLeaf& l : tree.leaves) {
    if (l.is_message && depth < 8) n += count_leaves(l.data, depth + 1);
    else ++n;
  }
  return n;
}

std::size_t count_substr(const std::string& s, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

TEST_F(MimeCorpus, Mime4jStructure) {
  Tally& t = report()["mime4j *_decoded.xml: leaf-part count"];
  for (const char* sub : {"mime4j-testmsgs", "mime4j-mimetools-testmsgs"}) {
    for (const auto& e : fs::directory_iterator(corpus() / sub)) {
      const std::string fname = e.path().filename().string();
      if (!fname.ends_with("_decoded.xml")) continue;
      const fs::path msg = e.path().parent_path() / (fname.substr(0, fname.size() - 12) + ".msg");
      if (!fs::exists(msg)) continue;
      const std::string xml = testing::read_file(e.path());
      const std::size_t want = count_substr(xml, "<text-body") + count_substr(xml, "<binary-body");
      const std::size_t got = count_leaves(testing::read_file(msg), 0);
      t.check(got == want, short_name(msg) + ": ours " + std::to_string(got) + " vs " + std::to_string(want));
    }
  }
  EXPECT_GE(t.rate(), 0.7) << t.agree << "/" << t.total;
}

TEST_F(MimeCorpus, GovcertUrlSamples) {
  const fs::path dir = corpus() / "govcert-eml_parser/samples";
  const UrlList got = extract_urls(testing::read_file(dir / "regexes_url_samples.txt"), {});
  const std::set<std::string> have(got.urls.begin(), got.urls.end());
  std::istringstream in(testing::read_file(dir / "regexes_url_matches.txt"));
  Tally& t = report()["govcert regexes_url_matches.txt (expected URLs found)"];
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    t.check(have.count(line) != 0, line);
  }
  EXPECT_GE(t.rate(), 0.4);
}

TEST_F(MimeCorpus, TnefEmbeddedMessagesBecomeAttachedMails) {
  const std::string tnef = testing::read_file(corpus() / "mimekit/tnef/christmas.tnef");
  const std::string raw = "From: a@x\r\nSubject: t\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n"
                          "Content-Type: text/plain\r\n\r\nbody\r\n--q\r\nContent-Type: application/ms-tnef; "
                          "name=winmail.dat\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                          text::base64_encode(tnef) + "\r\n--q--\r\n";
  const Message m = parse_message(raw);
  ASSERT_EQ(m.attachments.size(), 4u);  // winmail.dat + a picture + two embedded messages
  EXPECT_EQ(m.attachments[1].name, "kitten-playing-with-a-christmas-tree.jpg");
  ASSERT_EQ(m.attached.size(), 2u);
  EXPECT_EQ(m.attached[0].raw_subject, "Build a train table");
  EXPECT_EQ(m.attached[1].raw_subject, "Christmas Celebration!");
  EXPECT_EQ(m.attached[1].attachments.size(), 1u);
  EXPECT_TRUE(m.attachments[2].is_email);
}

// Runs last (gtest runs tests in declaration order within a binary): writes the agreement report when asked.
TEST_F(MimeCorpus, ZzWriteReport) {
  std::ostringstream md;
  md << "# MIME corpus agreement report\n\nGenerated by `corpus_mime_conformance` with "
        "`EMAILV2_WRITE_CORPUS_REPORT=1`. Differences are explained in KNOWN_DIFFERENCES.md.\n\n"
        "| check | agree | total | rate |\n|---|---|---|---|\n";
  for (const auto& [name, t] : report()) {
    char rate[16];
    std::snprintf(rate, sizeof rate, "%.1f%%", 100.0 * t.rate());
    md << "| " << name << " | " << t.agree << " | " << t.total << " | " << rate << " |\n";
  }
  for (const auto& [name, t] : report()) {
    if (t.differences.empty()) continue;
    md << "\n## " << name << "\n\n";
    for (const std::string& d : t.differences) md << "- " << d << "\n";
  }
  if (std::getenv("EMAILV2_WRITE_CORPUS_REPORT") != nullptr)
    testing::write_file(testing::source_dir() / "tests/corpus/REPORT.md", md.str());
  SUCCEED() << md.str();
}

}  // namespace
}  // namespace emailv2::mime
