// Download Email Attachments (CONTRACT §3.9) on the in-memory MailStore: parameters, outcome table, exact messages
// and exit codes, <msgdir> naming, no overwrite, reuse, partial failures, read-only. The ≥ 200 hostile names run in
// hostile_names_test.cpp.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions/download_email_attachments.h"
#include "mail/memory_mail_store.h"
#include "mime/digest.h"
#include "support/hostile_names_mail.h"
#include "support/test_env.h"

namespace emailv2::actions {
namespace {

using emailv2::testing::TempDir;
using emailv2::testing::hostile::Part;
using Call = mail::MemoryMailStore::Call;
namespace fs = std::filesystem;

std::string mail_with(const std::string& id, const std::string& subject, const std::vector<Part>& parts) {
  return emailv2::testing::hostile::mail(id, subject, parts);
}

class Download : public ::testing::Test {
 protected:
  Download() { config_.sender_address = "soc@lab.test"; }

  Result<ParamSet> params(std::vector<std::string> tokens) {
    auto flags = parse_flags(download_email_attachments_spec(), tokens);
    if (!flags) return fail(flags.error());
    return resolve(download_email_attachments_spec(), *flags, {});
  }
  ActionResult run(std::vector<std::string> tokens) {
    auto p = params(std::move(tokens));
    if (!p) return ActionResult::from_error(p.error());
    const ActionContext ctx{config_, "", std::nullopt, std::nullopt, Deadline::after(timeout_), system_clock()};
    return download_email_attachments(ctx, *p, store_);
  }
  ActionResult run_into(const fs::path& dir, std::vector<std::string> more = {}) {
    std::vector<std::string> tokens{"--download-path", dir.string()};
    tokens.insert(tokens.end(), more.begin(), more.end());
    return run(tokens);
  }
  std::string out() const { return (tmp_.path() / "out").string(); }

  mail::IntegrationConfig config_;
  mail::MemoryMailStore store_;
  TempDir tmp_;
  std::chrono::milliseconds timeout_{30'000};
};

// ---- pure pieces ----

TEST(DownloadMsgdir, MessageIdOrUidForm) {
  const std::string inbox_sha1 = mime::digests_of("INBOX").sha1.substr(0, 8);
  EXPECT_EQ(message_directory_name(std::string("<abc@x.example>"), "INBOX", 7), "abc@x.example");
  EXPECT_EQ(message_directory_name(std::string("  <a b@x>  "), "INBOX", 7), "a b@x");
  EXPECT_EQ(message_directory_name(std::string("<../../etc@x>"), "INBOX", 7), "../../etc@x");  // sanitised later
  EXPECT_EQ(message_directory_name(std::string("no-brackets@x"), "INBOX", 7), "no-brackets@x");
  EXPECT_EQ(message_directory_name(std::nullopt, "INBOX", 7), "uid-" + inbox_sha1 + "-7");
  EXPECT_EQ(message_directory_name(std::string(""), "INBOX", 7), "uid-" + inbox_sha1 + "-7");
  EXPECT_EQ(message_directory_name(std::string("<>"), "INBOX", 9), "uid-" + inbox_sha1 + "-9");
  EXPECT_NE(message_directory_name(std::nullopt, "Archive", 7), message_directory_name(std::nullopt, "INBOX", 7));
}

DownloadedFile file(std::string path) {
  DownloadedFile f;
  f.path = std::move(path);
  f.name = "a.pdf";
  f.message_id = "<m@x>";
  f.folder = "Inbox";
  f.email_uid = 3;
  f.size = 4;
  return f;
}

TEST(DownloadResult, OutcomeTable) {
  DownloadOutcome none;
  auto r = download_result(none);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.output_message, "No attachments found to download!");
  EXPECT_EQ(r.to_json()["result_value"], "");
  EXPECT_TRUE(r.to_json()["json_result"].is_null());

  DownloadOutcome two;
  two.files = {file("/d/m@x/a.pdf"), file("/d/m@x/b.pdf")};
  two.messages = 1;
  r = download_result(two);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.output_message, "Downloaded 2 attachments. \n\nFiles:\n/d/m@x/a.pdf\n/d/m@x/b.pdf");
  const auto j = r.to_json();
  EXPECT_EQ(j["result_value"], "/d/m@x/a.pdf,/d/m@x/b.pdf");
  EXPECT_EQ(j["json_result"]["attachments"][0].dump(),
            R"({"path":"/d/m@x/a.pdf","name":"a.pdf","message_id":"<m@x>","folder":"Inbox","email_uid":"3",)"
            R"("size":4,"md5":"","sha1":"","sha256":""})");

  DownloadOutcome partial = two;
  partial.messages = 3;
  partial.failed_messages = 1;
  partial.first_error = Error(ErrorCode::kSizeLimit, "too big");
  r = download_result(partial);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.to_json()["error_code"], "SIZE_LIMIT");
  EXPECT_EQ(r.output_message,
            "Downloaded 2 attachments. \n\nFiles:\n/d/m@x/a.pdf\n/d/m@x/b.pdf\nfailed to download email attachments, "
            "the error is: 1 of 3 failed; first error: SIZE_LIMIT: too big");
  EXPECT_EQ(r.to_json()["result_value"], "/d/m@x/a.pdf,/d/m@x/b.pdf");

  DownloadOutcome single;
  single.messages = 1;
  single.failed_messages = 1;
  single.first_error = Error(ErrorCode::kIoError, "cannot write /d/x: No space left on device");
  r = download_result(single);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "failed to download email attachments, the error is: IO_ERROR: cannot write /d/x: No space left on device");
  EXPECT_EQ(r.to_json()["result_value"], "");

  DownloadOutcome fatal;
  fatal.fatal = Error(ErrorCode::kFolderNotFound, "Folder Nope not found");
  r = download_result(fatal);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, "failed to download email attachments, the error is: FOLDER_NOT_FOUND: Folder Nope not found");
}

// ---- parameters (hostile rows first; all before any connection) ----

TEST_F(Download, ParameterErrorsContactNothing) {
  struct Row {
    std::vector<std::string> tokens;
    std::string message;
  };
  const fs::path a_file = tmp_.path() / "plain-file";
  emailv2::testing::write_file(a_file, "x");
  const std::vector<Row> rows = {
      {{"--download-path", out(), "--message-id", "a@x\r\nA1 LOGOUT"},
       "Invalid value for parameter \"Message ID\": control characters (CR, LF, NUL) are not allowed"},
      {{"--download-path", out(), "--folder-name", "Inbox\nX"},
       "Invalid value for parameter \"Folder Name\": control characters (CR, LF, NUL) are not allowed"},
      {{"--download-path", out(), "--subject-filter", "a\rb"},
       "Invalid value for parameter \"Subject filter\": control characters (CR, LF, NUL) are not allowed"},
      {{"--download-path", a_file.string()},
       "Invalid value for parameter \"Download Path\": \"" + a_file.string() + "\" exists and is not a directory"},
      {{}, "Missing mandatory parameter Download Path"},
      {{"--download-path", "   "}, "Missing mandatory parameter Download Path"},
      {{"--download-path", out(), "--nope", "1"},
       "Unknown parameter \"nope\" for action \"Download Email Attachments\""},
  };
  for (const Row& row : rows) {
    const auto r = run(row.tokens);
    EXPECT_EQ(r.exit_code(), 64) << row.message;
    EXPECT_EQ(r.output_message, row.message);
  }
  EXPECT_EQ(store_.connections(), 0u);
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(Download, AllowedPathsRefuseOutsideBeforeCreatingAnything) {
  const fs::path allowed = tmp_.path() / "allowed";
  fs::create_directory(allowed);
  fs::create_directory_symlink(tmp_.path(), allowed / "up");  // a link inside that points outside
  config_.allowed_paths = {allowed.string()};
  for (const fs::path& p : {tmp_.path() / "allowedx" / "d", allowed / ".." / "d", allowed / "up" / "d",
                            fs::path("/tmp/emailv2-not-allowed")}) {
    const auto r = run_into(p);
    EXPECT_EQ(r.exit_code(), 64) << p;
    EXPECT_EQ(r.to_json()["error_code"], "PATH_NOT_ALLOWED") << r.output_message;
    EXPECT_NE(r.output_message.find("which is outside Allowed Paths"), std::string::npos) << r.output_message;
    EXPECT_FALSE(fs::exists(fs::symlink_status(p))) << p;
  }
  EXPECT_EQ(store_.connections(), 0u);
  store_.deliver("INBOX", mail_with("<in@x>", "s", {{"in.txt", "inside"}}));
  const auto r = run_into(allowed / "new" / "deeper");
  EXPECT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_TRUE(fs::exists(allowed / "new" / "deeper" / "in@x" / "in.txt"));
}

TEST_F(Download, FolderDefaultsToInboxAndLegacyNamesAreAccepted) {
  auto p = params({"--download-path", out()});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->list("Folder Name"), std::vector<std::string>{"Inbox"});
  auto legacy = params({"--download-path", out(), "--message-ids", "a@x, \"b@x\""});
  ASSERT_TRUE(legacy) << legacy.error().detail();
  EXPECT_EQ(legacy->list("Message ID"), (std::vector<std::string>{"a@x", "b@x"}));
  EXPECT_EQ(download_email_attachments_spec().command, "download-email-attachments");
  EXPECT_EQ(download_email_attachments_spec().aliases, std::vector<std::string_view>{"download-attachments"});
}

// ---- outcomes ----

TEST_F(Download, NothingToDownloadIsCompletedFalse) {
  store_.deliver("INBOX", mail_with("<plain@x>", "no files", {}));
  const auto r = run_into(out());
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.output_message, "No attachments found to download!");
  EXPECT_EQ(r.to_json()["result_value"], "");
  EXPECT_TRUE(fs::is_directory(out()));  // created 0750 even so
  EXPECT_TRUE(fs::is_empty(out()));
}

TEST_F(Download, EveryMailOfTheFolderIntoItsMessageDirectory) {
  ::umask(022);
  store_.deliver("INBOX", mail_with("<one@x.example>", "first", {{"report.pdf", "PDF-1"}, {"notes.txt", "notes"}}));
  store_.deliver("INBOX", mail_with("<two@x.example>", "second", {{"report.pdf", "PDF-2"}}));
  store_.deliver("INBOX", mail_with("<three@x.example>", "none", {}));
  const auto r = run_into(out());
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  const fs::path root = fs::path(out());
  const std::vector<fs::path> expected = {root / "one@x.example" / "report.pdf", root / "one@x.example" / "notes.txt",
                                          root / "two@x.example" / "report.pdf"};
  std::string message = "Downloaded 3 attachments. \n\nFiles:\n";
  std::string value;
  for (const auto& p : expected) {
    message += p.string() + (p == expected.back() ? "" : "\n");
    value += p.string() + (p == expected.back() ? "" : ",");
  }
  EXPECT_EQ(r.output_message, message);
  const auto j = r.to_json();
  EXPECT_EQ(j["result_value"], value);
  EXPECT_EQ(emailv2::testing::read_file(expected[0]), "PDF-1");
  EXPECT_EQ(emailv2::testing::read_file(expected[2]), "PDF-2");
  const auto& first = j["json_result"]["attachments"][0];
  EXPECT_EQ(first["name"], "report.pdf");
  EXPECT_EQ(first["message_id"], "<one@x.example>");
  EXPECT_EQ(first["folder"], "Inbox");
  EXPECT_EQ(first["email_uid"], "1");
  EXPECT_EQ(first["size"], 5);
  EXPECT_EQ(first["sha256"], mime::digests_of("PDF-1").sha256);
  EXPECT_EQ(first["md5"], mime::digests_of("PDF-1").md5);
  EXPECT_EQ(first["sha1"], mime::digests_of("PDF-1").sha1);
  struct stat st {};
  ASSERT_EQ(::stat(out().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u);
}

TEST_F(Download, RerunReusesIdenticalFilesAndNeverOverwrites) {
  store_.deliver("INBOX", mail_with("<m@x>", "s", {{"a.txt", "AAA"}}));
  const auto first = run_into(out());
  ASSERT_EQ(first.exit_code(), 0) << first.output_message;
  const auto second = run_into(out());
  ASSERT_EQ(second.exit_code(), 0);
  EXPECT_EQ(second.to_json()["result_value"], first.to_json()["result_value"]);  // reused, no "a (2).txt"
  // A different file already under that name is never overwritten: the new one gets " (2)".
  emailv2::testing::write_file(fs::path(out()) / "m@x" / "a.txt", "someone else's");
  const auto third = run_into(out());
  ASSERT_EQ(third.exit_code(), 0);
  EXPECT_EQ(third.to_json()["result_value"], (fs::path(out()) / "m@x" / "a (2).txt").string());
  EXPECT_EQ(emailv2::testing::read_file(fs::path(out()) / "m@x" / "a.txt"), "someone else's");
  EXPECT_EQ(emailv2::testing::read_file(fs::path(out()) / "m@x" / "a (2).txt"), "AAA");
}

TEST_F(Download, SameNameTwiceInOneMailKeepsBoth) {
  store_.deliver("INBOX", mail_with("<m@x>", "s", {{"scan.png", "first"}, {"scan.png", "second"}, {"scan.png", "first"}}));
  const auto r = run_into(out());
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  const fs::path dir = fs::path(out()) / "m@x";
  EXPECT_EQ(r.to_json()["result_value"],
            (dir / "scan.png").string() + "," + (dir / "scan (2).png").string() + "," + (dir / "scan.png").string());
  EXPECT_EQ(emailv2::testing::read_file(dir / "scan.png"), "first");
  EXPECT_EQ(emailv2::testing::read_file(dir / "scan (2).png"), "second");
}

TEST_F(Download, MessageIdModeTakesEveryListedIdInEveryFolderExactly) {
  store_.create_folder("Archive 2024");
  store_.deliver("INBOX", mail_with("<a@x>", "s", {{"a.txt", "A"}}));
  store_.deliver("INBOX", mail_with("<b@x>", "s", {{"b.txt", "B"}}));
  store_.deliver("INBOX", mail_with("<xa@x>", "substring of a@x must not match", {{"xa.txt", "XA"}}));
  store_.deliver("Archive 2024", mail_with("<b@x>", "copy", {{"b-copy.txt", "B2"}}));
  store_.deliver("Archive 2024", mail_with("<c@x>", "s", {{"c.txt", "C"}}));
  const auto r = run_into(out(), {"--folder-name", "Inbox, \"Archive 2024\", INBOX", "--message-id", "<a@x>,b@x"});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  const fs::path root(out());
  EXPECT_EQ(r.to_json()["result_value"], (root / "a@x" / "a.txt").string() + "," + (root / "b@x" / "b.txt").string() +
                                             "," + (root / "b@x" / "b-copy.txt").string());
  EXPECT_EQ(r.to_json()["json_result"]["attachments"][2]["folder"], "Archive 2024");
}

TEST_F(Download, SubjectFilterSelectsOnTheServer) {
  store_.deliver("INBOX", mail_with("<a@x>", "Invoice 42", {{"a.txt", "A"}}));
  store_.deliver("INBOX", mail_with("<b@x>", "Holiday", {{"b.txt", "B"}}));
  const auto r = run_into(out(), {"--subject-filter", "invoice"});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.to_json()["result_value"], (fs::path(out()) / "a@x" / "a.txt").string());
}

TEST_F(Download, MailWithoutMessageIdGoesToUidDirectory) {
  std::string raw = mail_with("<gone@x>", "s", {{"a.txt", "A"}});
  raw.erase(raw.find("Message-ID: <gone@x>\r\n"), std::string("Message-ID: <gone@x>\r\n").size());
  const auto uid = store_.deliver("INBOX", raw);
  const auto r = run_into(out());
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  const std::string dir = "uid-" + mime::digests_of("Inbox").sha1.substr(0, 8) + "-" + std::to_string(uid);
  EXPECT_EQ(r.to_json()["result_value"], (fs::path(out()) / dir / "a.txt").string());
  EXPECT_TRUE(r.to_json()["json_result"]["attachments"][0]["message_id"].is_null());
}

TEST_F(Download, PlantedSymlinkMessageDirectoryIsNotFollowed) {
  const fs::path outside = tmp_.path() / "outside";
  fs::create_directory(outside);
  fs::create_directories(out());
  fs::create_directory_symlink(outside, fs::path(out()) / "m@x");
  store_.deliver("INBOX", mail_with("<m@x>", "s", {{"a.txt", "A"}}));
  const auto r = run_into(out());
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.to_json()["result_value"], (fs::path(out()) / "m@x (2)" / "a.txt").string());
  EXPECT_TRUE(fs::is_empty(outside));
}

TEST_F(Download, MissingFolderFailsBeforeAnythingIsWritten) {
  store_.deliver("INBOX", mail_with("<m@x>", "s", {{"a.txt", "A"}}));
  const auto r = run_into(out(), {"--folder-name", "Inbox,Nope"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, "failed to download email attachments, the error is: FOLDER_NOT_FOUND: Folder Nope not found");
  EXPECT_EQ(r.to_json()["error_code"], "FOLDER_NOT_FOUND");
  EXPECT_TRUE(fs::is_empty(out()));
}

TEST_F(Download, OverLimitMessageIsAPartialFailure) {
  config_.max_message_mib = 1;
  store_.deliver("INBOX", mail_with("<small@x>", "s", {{"a.txt", "A"}}));
  store_.deliver("INBOX", mail_with("<big@x>", "s", {{"big.bin", std::string(1'200'000, 'b')}}));
  const auto r = run_into(out());
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.to_json()["error_code"], "SIZE_LIMIT");
  const std::string path = (fs::path(out()) / "small@x" / "a.txt").string();
  EXPECT_EQ(r.output_message, "Downloaded 1 attachments. \n\nFiles:\n" + path +
                                  "\nfailed to download email attachments, the error is: 1 of 2 failed; first error: "
                                  "SIZE_LIMIT: message 2 in folder Inbox is larger than Max Message Size (1 MB)");
  EXPECT_EQ(r.to_json()["result_value"], path);
  EXPECT_EQ(r.to_json()["json_result"]["attachments"].size(), 1u);
}

TEST_F(Download, ConnectionLostMidStreamKeepsWhatWasWritten) {
  for (int i = 1; i <= 4; ++i) {
    store_.deliver("INBOX", mail_with("<m" + std::to_string(i) + "@x>", "s", {{"f.txt", "F" + std::to_string(i)}}));
  }
  store_.fail_nth_message(3, Error(ErrorCode::kImapBye, "IMAP server closed the connection"));
  const auto r = run_into(out());
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.to_json()["error_code"], "IMAP_BYE");
  EXPECT_NE(r.output_message.find("\nfailed to download email attachments, the error is: 2 of 4 failed; first error: "
                                  "IMAP_BYE: IMAP server closed the connection"),
            std::string::npos)
      << r.output_message;
  EXPECT_EQ(r.to_json()["json_result"]["attachments"].size(), 2u);
  EXPECT_TRUE(fs::exists(fs::path(out()) / "m2@x" / "f.txt"));
  EXPECT_FALSE(fs::exists(fs::path(out()) / "m3@x"));
}

TEST_F(Download, TimeoutAfterTheRunDeadlineIsReportedAsDeadline) {
  for (int i = 1; i <= 3; ++i) {
    store_.deliver("INBOX", mail_with("<d" + std::to_string(i) + "@x>", "s", {{"f.txt", "D" + std::to_string(i)}}));
  }
  store_.fail_nth_message(2, Error(ErrorCode::kTimeout, "Timed out after 60 s waiting for response to UID FETCH"));
  timeout_ = std::chrono::milliseconds(0);  // --timeout already reached when the fetch times out
  const auto r = run_into(out());
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.to_json()["error_code"], "DEADLINE") << r.output_message;
  EXPECT_NE(r.output_message.find("2 of 3 failed; first error: DEADLINE: "), std::string::npos) << r.output_message;
  EXPECT_EQ(r.to_json()["result_value"], (fs::path(out()) / "d1@x" / "f.txt").string());
}

TEST_F(Download, ReadOnlyNoFlagChanges) {
  store_.deliver("INBOX", mail_with("<m@x>", "s", {{"a.txt", "A"}}));
  ASSERT_EQ(run_into(out()).exit_code(), 0);
  EXPECT_TRUE(store_.messages("INBOX")[0].flags.empty());
  EXPECT_EQ(store_.calls(Call::kAddFlags), 0u);
  EXPECT_EQ(store_.calls(Call::kMove), 0u);
  EXPECT_EQ(store_.calls(Call::kDeleteMessages), 0u);
}

}  // namespace
}  // namespace emailv2::actions
