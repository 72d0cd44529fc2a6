// `emailv2 parse FILE [--attachments-out DIR]` on the real binary (CONTRACT §1.1 parse, §4.1, §6.4).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "cli_run.h"

namespace emailv2::testing {
namespace {

namespace fs = std::filesystem;

fs::path fixture(const std::string& name) { return source_dir() / "tests" / "data" / "parse" / name; }

TEST(CliParse, UnreadableFileIsIoErrorExit2) {
  TempDir tmp;
  const CliRun r = run_cli({"parse", (tmp.path() / "missing.eml").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const auto env = r.envelope();
  EXPECT_EQ(env["error_code"], "IO_ERROR");
  EXPECT_EQ(env["execution_state"], "failed");
}

TEST(CliParse, MissingFileArgumentIsParamInvalid) {
  const CliRun r = run_cli({"parse"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.envelope()["error_code"], "PARAM_INVALID");
}

TEST(CliParse, UnknownOptionIsParamInvalid) {
  const CliRun r = run_cli({"parse", fixture("two_attachments.eml").string(), "--bogus", "x"});
  EXPECT_EQ(r.envelope()["error_code"], "PARAM_INVALID") << r.out;
}

TEST(CliParse, EmlPrintsTheMailObjectWithParseContext) {
  const CliRun r = run_cli({"parse", fixture("two_attachments.eml").string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto env = r.envelope();
  EXPECT_EQ(env["is_success"], true);
  EXPECT_EQ(env["output_message"], "Parsed " + fixture("two_attachments.eml").string() + ": 3 attachments");
  const auto& mail = env["json_result"];
  EXPECT_EQ(mail["email_uid"], "");
  EXPECT_EQ(mail["folder"], "");
  EXPECT_TRUE(mail["received"].is_null());
  EXPECT_EQ(mail["flags"], nlohmann::json::array());
  EXPECT_EQ(mail["subject"], "Invoice with attachments");
  EXPECT_EQ(mail["attachments"].size(), 3u);
  EXPECT_FALSE(mail.contains("written_files"));
}

TEST(CliParse, AttachmentsOutWritesSafeNamesInsideTheDirectory) {
  TempDir tmp;
  const fs::path out = tmp.path() / "new" / "out";
  const CliRun r = run_cli({"parse", fixture("two_attachments.eml").string(), "--attachments-out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto env = r.envelope();
  const auto& written = env["json_result"]["written_files"];
  ASSERT_EQ(written.size(), 3u) << r.out;
  EXPECT_EQ(written[0]["path"], (out / "notes.txt").string());
  EXPECT_EQ(read_file(out / "notes.txt"), "hello notes");
  EXPECT_EQ(written[1]["name"], "../../evil.txt");
  EXPECT_EQ(written[1]["path"], (out / "_.._evil.txt").string());
  EXPECT_EQ(read_file(out / "_.._evil.txt"), "evil payload");
  EXPECT_EQ(written[2]["path"], (out / "invoice_fdp.exe").string());
  EXPECT_EQ(read_file(out / "invoice_fdp.exe"), "not an exe");
  EXPECT_FALSE(fs::exists(tmp.path() / "new" / "evil.txt"));
  EXPECT_FALSE(fs::exists(tmp.path() / "evil.txt"));
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0027, 0u) << "created 0750 (less the umask)";
  EXPECT_NE(env["output_message"].get<std::string>().find("3 written to"), std::string::npos);

  // Running again reuses the identical files and overwrites nothing.
  const CliRun again = run_cli({"parse", fixture("two_attachments.eml").string(), "--attachments-out", out.string()});
  ASSERT_EQ(again.exit_code, 0) << again.out;
  const auto again_env = again.envelope();  // a named object: iterating a temporary's member would dangle
  for (const auto& w : again_env["json_result"]["written_files"]) EXPECT_EQ(w["reused"], true);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(out)) ++entries;
  EXPECT_EQ(entries, 3u);
}

TEST(CliParse, AttachmentsOutNeverWritesThroughAPlantedSymlink) {
  TempDir tmp;
  const fs::path out = tmp.path() / "out";
  fs::create_directories(out);
  write_file(tmp.path() / "victim", "original");
  fs::create_symlink(tmp.path() / "victim", out / "notes.txt");
  const CliRun r = run_cli({"parse", fixture("two_attachments.eml").string(), "--attachments-out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.envelope()["json_result"]["written_files"][0]["path"], (out / "notes (2).txt").string());
  EXPECT_EQ(read_file(tmp.path() / "victim"), "original");
}

TEST(CliParse, AttachmentsOutOnAFileIsIoError) {
  TempDir tmp;
  write_file(tmp.path() / "file", "x");
  const CliRun r =
      run_cli({"parse", fixture("two_attachments.eml").string(), "--attachments-out", (tmp.path() / "file").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.envelope()["error_code"], "IO_ERROR");
}

TEST(CliParse, NotAMailStillParsesLeniently) {
  const CliRun r = run_cli({"parse", fixture("not_a_mail.bin").string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.envelope()["is_success"], true);
  EXPECT_FALSE(r.envelope()["json_result"]["parse_warnings"].empty()) << r.out;
}

TEST(CliParse, OutlookMsgIsDetectedBySignatureNotExtension) {
  const fs::path msg = corpus_dir() / "sicos-msgreader" / "TxtSampleEmail.msg";
  if (!fs::exists(msg)) GTEST_SKIP() << "corpus missing: " << msg;
  TempDir tmp;
  const fs::path renamed = tmp.path() / "looks-like.eml";
  fs::copy_file(msg, renamed);
  const CliRun as_msg = run_cli({"parse", msg.string()});
  const CliRun as_eml = run_cli({"parse", renamed.string()});
  ASSERT_EQ(as_msg.exit_code, 0) << as_msg.out << as_msg.err;
  ASSERT_EQ(as_eml.exit_code, 0) << as_eml.out;
  const auto a = as_msg.envelope()["json_result"];
  const auto b = as_eml.envelope()["json_result"];
  EXPECT_FALSE(a["subject"].get<std::string>().empty());
  EXPECT_EQ(a["subject"], b["subject"]);
  EXPECT_EQ(a["sha256"], b["sha256"]);
  EXPECT_EQ(a["email_uid"], "");
}

}  // namespace
}  // namespace emailv2::testing
