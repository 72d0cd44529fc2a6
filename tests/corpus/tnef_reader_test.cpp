// Conformance of the TNEF reader over ../shared/corpus: every TNEF file reads in < 2 s; the extracted files and
// bodies match the MD5s of MimeKit's extraction folders (EXPECTED-EXTRACTED-MD5.tsv) and the names of its *.list
// files, except for the listed, explained differences (KNOWN_DIFFERENCES_OUTLOOK_TNEF.md). Prints the table of
// OUTLOOK_TNEF_REPORT.md.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "core/text.h"
#include "mime/tnef/tnef_reader.h"
#include "support/test_env.h"

namespace emailv2::mime::tnef {
namespace {

namespace fs = std::filesystem;

std::string md5(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  return text::hex_lower(std::string_view(reinterpret_cast<const char*>(digest), length));
}

// The oracle folders went through git's text normalisation, so text files there have LF where TNEF had CRLF.
std::string crlf_to_lf(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') continue;
    out += data[i];
  }
  return out;
}

bool same_content(std::string_view data, const std::string& expected_md5) {
  return md5(data) == expected_md5 || md5(crlf_to_lf(data)) == expected_md5;
}

// Our bodies are UTF-8; the oracle keeps the HTML in its original 8-bit charset. Maps UTF-8 back to Latin-1
// (empty when a code point does not fit).
std::string utf8_to_latin1(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F));
    } else {
      return {};
    }
  }
  return out;
}

void flatten(const TnefContent& content, std::vector<const TnefAttachment*>& out) {
  for (const TnefAttachment& a : content.attachments) {
    out.push_back(&a);
    if (a.message) flatten(*a.message, out);
  }
}

struct Expected {
  std::string md5, file;
};

std::map<std::string, std::vector<Expected>> expected_md5s(const fs::path& tsv) {
  std::map<std::string, std::vector<Expected>> out;
  std::istringstream in(testing::read_file(tsv));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string sum, size, path;
    std::getline(fields, sum, '\t');
    std::getline(fields, size, '\t');
    std::getline(fields, path);
    const std::size_t slash = path.find('/');
    if (slash == std::string::npos) continue;
    out[path.substr(0, slash)].push_back({sum, path.substr(slash + 1)});
  }
  return out;
}

const std::set<std::string> kKnownDifferences = {
    // christmas.tnef's two embedded messages each carry an 89-byte attAttachData placeholder ("This attachment is
    // a MAPI 1.0 embedded message and is not supported by this mail system.") besides the real object in
    // PR_ATTACH_DATA_OBJ. tnef(1) and MimeKit emit both; we emit the embedded message only.
    "christmas:Untitled Attachment.1",
    "christmas:Untitled Attachment.3",
    "christmas:names",  // the same two placeholders, in MimeKit's list too
    // MimeKit's .list files name only what its own test extracts: long-filename and missing-filenames list the
    // body alone, yet the MD5 folders (and we) have the attachments.
    "long-filename:names",
    "missing-filenames:names",
    // These .list files omit the body (HTML or RTF) that the MD5 folder has as message.html / message.rtf.
    "unicode-mapi-attr-name:names",
    "unicode-mapi-attr:names",
    "winmail:names",
};

TEST(TnefCorpus, EveryFileReadsQuicklyAndMatchesTheOracles) {
  const fs::path root = testing::corpus_dir();
  const fs::path mimekit = root / "mimekit/tnef";
  if (!fs::exists(mimekit)) GTEST_SKIP() << "corpus not found at " << root;
  std::vector<fs::path> files;
  for (const fs::path& dir : {mimekit, root / "tnefparse"}) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".tnef") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  const auto md5s = expected_md5s(mimekit / "EXPECTED-EXTRACTED-MD5.tsv");
  int read = 0, md5_agree = 0, md5_total = 0, list_agree = 0, list_total = 0;
  std::set<std::string> disagreements;
  double slowest = 0;
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.string());
    const std::string bytes = testing::read_file(path);
    const auto start = std::chrono::steady_clock::now();
    auto content = read_tnef(bytes);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    slowest = std::max(slowest, seconds);
    EXPECT_LT(seconds, 2.0);
    ASSERT_TRUE(content) << content.error().to_string();
    ++read;
    if (path.parent_path() != mimekit) continue;
    const std::string stem = path.stem().string();
    std::vector<const TnefAttachment*> all;
    flatten(*content, all);
    if (auto it = md5s.find(stem); it != md5s.end()) {
      for (const Expected& e : it->second) {
        ++md5_total;
        bool ok = false;
        if (e.file == "message.rtf") {
          ok = same_content(content->rtf_body, e.md5);
        } else if (e.file == "message.html") {
          ok = same_content(content->html_body, e.md5) || same_content(utf8_to_latin1(content->html_body), e.md5);
        } else if (e.file == "message.txt") {
          ok = same_content(content->text_body, e.md5);
        } else {
          // tnef(1) suffixes repeated names with .N; match the name up to that suffix and the content.
          for (const TnefAttachment* a : all) {
            const bool name_ok = e.file == a->name || e.file.rfind(a->name + ".", 0) == 0 ||
                                 (a->name.empty() && e.file.rfind("Untitled", 0) == 0);
            ok = ok || (name_ok && same_content(a->data, e.md5));
          }
        }
        md5_agree += ok ? 1 : 0;
        if (!ok) disagreements.insert(stem + ":" + e.file);
      }
    }
    fs::path list = path;
    list.replace_extension(".list");
    if (!fs::exists(list)) continue;
    std::vector<std::string> expected_names, our_names;
    std::istringstream names(testing::read_file(list));
    for (std::string name; std::getline(names, name);) {
      if (!text::trim(name).empty()) expected_names.emplace_back(text::trim(name));
    }
    for (const TnefAttachment& a : content->attachments) our_names.push_back(a.name.empty() ? "Untitled Attachment" : a.name);
    if (!content->rtf_body.empty()) our_names.emplace_back("body.rtf");
    if (!content->html_body.empty()) our_names.emplace_back("body.html");
    std::sort(expected_names.begin(), expected_names.end());
    std::sort(our_names.begin(), our_names.end());
    ++list_total;
    if (expected_names == our_names) {
      ++list_agree;
    } else {
      disagreements.insert(stem + ":names");
    }
  }
  std::printf("\nTNEF files read: %d of %zu, slowest %.3f s\nextracted file MD5s: %d of %d agree\n"
              ".list name sets: %d of %d agree\n", read, files.size(), slowest, md5_agree, md5_total, list_agree,
              list_total);
  for (const std::string& d : disagreements) {
    std::printf("disagreement: %s%s\n", d.c_str(), kKnownDifferences.count(d) ? " (known)" : "");
    EXPECT_TRUE(kKnownDifferences.count(d)) << "unexplained disagreement " << d;
  }
}

TEST(TnefCorpus, TnefparseExamplesKeepTheirQuirks) {
  const fs::path dir = testing::corpus_dir() / "tnefparse";
  if (!fs::exists(dir)) GTEST_SKIP() << "corpus not found";
  auto bad = read_tnef(testing::read_file(dir / "bad_checksum.tnef"));
  ASSERT_TRUE(bad);
  ASSERT_EQ(bad->attachments.size(), 1u);
  EXPECT_EQ(bad->attachments[0].name, "image001.png");
  EXPECT_FALSE(bad->warnings.empty());
  auto duplicates = read_tnef(testing::read_file(dir / "duplicate_filename.tnef"));
  ASSERT_TRUE(duplicates);
  ASSERT_EQ(duplicates->attachments.size(), 3u);
  EXPECT_EQ(duplicates->attachments[0].name, duplicates->attachments[1].name);  // both kept
  EXPECT_NE(duplicates->attachments[0].data, duplicates->attachments[1].data);
  auto minimal = read_tnef(testing::read_file(dir / "minimal_attachment.tnef"));
  ASSERT_TRUE(minimal);
  EXPECT_EQ(minimal->attachments.size(), 1u);
  auto umlaut = read_tnef(testing::read_file(dir / "umlaut.tnef"));
  ASSERT_TRUE(umlaut);
  EXPECT_EQ(umlaut->attachments.back().name, "UmlautAnhang-\xC3\xA4\xC3\xBC\xC3\xB6.txt");
}

}  // namespace
}  // namespace emailv2::mime::tnef
