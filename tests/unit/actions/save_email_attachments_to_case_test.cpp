// Save Email Attachments to Case (CONTRACT §3.8) on the in-memory MailStore and a temporary case store: the case and
// Message-ID context rules, the outcome table with exact messages and exit codes, once-per-(case, name, sha256),
// first-match order, SIZE_LIMIT, read-only.
#include <gtest/gtest.h>

#include "actions/save_email_attachments_to_case.h"
#include "mail/memory_mail_store.h"
#include "mime/digest.h"
#include "store/case_repository.h"
#include "store/ledger_repository.h"
#include "store/wall_repository.h"
#include "support/hostile_names_mail.h"
#include "support/test_env.h"

namespace emailv2::actions {
namespace {

using emailv2::testing::TempDir;
using emailv2::testing::hostile::Part;
using Call = mail::MemoryMailStore::Call;

std::string mail_with(const std::string& id, const std::vector<Part>& parts) {
  return emailv2::testing::hostile::mail(id, "Phish", parts);
}

constexpr std::string_view kFail = "Failed to save the email attachments to the case, the error is: ";

class Save : public ::testing::Test {
 protected:
  Save() {
    config_.sender_address = "soc@lab.test";
    auto db = store::Database::open(tmp_.path() / "cases.sqlite");
    EXPECT_TRUE(db) << db.error().detail();
    db_.emplace(std::move(*db));
  }

  // A case with one alert per entry of `alert_ids` (nullopt: an alert without a Message-ID).
  store::CreatedCase add_case(const std::vector<std::optional<std::string>>& alert_ids) {
    auto tx = db_->begin_write();
    EXPECT_TRUE(tx);
    store::LedgerEntry entry;
    entry.identity = {"default", "soc@lab.test@127.0.0.1:993", "Inbox", 7, next_uid_++};
    entry.raw_sha256 = std::string(64, 'a');
    auto ledger = store::LedgerRepository(*db_).insert(*tx, entry, clock_.now());
    EXPECT_TRUE(ledger && *ledger);
    store::NewCase c;
    c.ledger_id = **ledger;
    c.title = "Phish";
    for (const auto& id : alert_ids) {
      store::NewAlert a;
      a.identifier = a.ticket_id = a.display_id = id.value_or("fallback@emailv2.invalid");
      a.name = "alert";
      a.message_id = id;
      a.source = {entry.identity.account, "Inbox", 7, entry.identity.uid};
      c.alerts.push_back(a);
    }
    auto created = store::CaseRepository(*db_).create(*tx, c, clock_.now());
    EXPECT_TRUE(created) << created.error().detail();
    EXPECT_TRUE(tx->commit());
    return *created;
  }

  ActionResult run(std::vector<std::string> tokens, std::optional<store::CaseId> case_id,
                   std::optional<std::string> alert_id = std::nullopt) {
    auto flags = parse_flags(save_email_attachments_to_case_spec(), tokens);
    if (!flags) return ActionResult::from_error(flags.error());
    auto params = resolve(save_email_attachments_to_case_spec(), *flags, {});
    if (!params) return ActionResult::from_error(params.error());
    const ActionContext ctx{config_, (tmp_.path() / "cases.sqlite").string(), case_id, std::move(alert_id),
                            Deadline::after(std::chrono::seconds(30)), clock_};
    return save_email_attachments_to_case(ctx, *params, store_, *db_);
  }

  std::vector<store::WallAttachmentInfo> wall(store::CaseId id) {
    auto w = store::WallRepository(*db_).list(id);
    EXPECT_TRUE(w);
    return w ? *w : std::vector<store::WallAttachmentInfo>{};
  }

  TempDir tmp_;
  FakeClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000))};
  mail::IntegrationConfig config_;
  mail::MemoryMailStore store_;
  std::optional<store::Database> db_;
  std::uint32_t next_uid_ = 1;
};

TEST(SaveWallName, StemAndExtension) {
  EXPECT_EQ(wall_name_and_type("report.pdf"), (std::pair<std::string, std::string>{"report", ".pdf"}));
  EXPECT_EQ(wall_name_and_type("a.tar.gz"), (std::pair<std::string, std::string>{"a.tar", ".gz"}));
  EXPECT_EQ(wall_name_and_type(".bashrc"), (std::pair<std::string, std::string>{".bashrc", ""}));
  EXPECT_EQ(wall_name_and_type("noext"), (std::pair<std::string, std::string>{"noext", ""}));
  EXPECT_EQ(wall_name_and_type("../../etc/passwd"), (std::pair<std::string, std::string>{"../../etc/passwd", ""}));
  EXPECT_EQ(wall_name_and_type("a.b\\c"), (std::pair<std::string, std::string>{"a.b\\c", ""}));
}

// ---- context rules: all before any connection (exit 64) ----

TEST_F(Save, ContextErrorsContactNothing) {
  const auto c = add_case({std::nullopt});
  const auto other = add_case({"<other@x>"});
  struct Row {
    std::vector<std::string> tokens;
    std::optional<store::CaseId> case_id;
    std::optional<std::string> alert_id;
    std::string message;
  };
  const std::vector<Row> rows = {
      {{"--folder-name", "Inbox", "--message-id", "a@x\r\nA1 LOGOUT"}, c.case_id, std::nullopt,
       "Invalid value for parameter \"Message ID\": control characters (CR, LF, NUL) are not allowed"},
      {{"--folder-name", "Inbox\r\n"}, c.case_id, std::nullopt,
       "Invalid value for parameter \"Folder Name\": control characters (CR, LF, NUL) are not allowed"},
      {{"--folder-name", "Inbox", "--message-id", "<m@x>"}, std::nullopt, std::nullopt,
       "Missing mandatory parameter --case-id (Save Email Attachments to Case needs a case context)"},
      {{}, c.case_id, std::nullopt, "Missing mandatory parameter Folder Name"},
      {{"--folder-name", "Inbox"}, c.case_id, std::nullopt, "Missing mandatory parameter Message ID"},
      {{"--folder-name", "Inbox"}, c.case_id, std::to_string(c.alert_ids[0]), "Missing mandatory parameter Message ID"},
      {{"--folder-name", "Inbox"}, c.case_id, std::to_string(other.alert_ids[0]),
       "Alert " + std::to_string(other.alert_ids[0]) + " not found in case " + std::to_string(c.case_id)},
      {{"--folder-name", "Inbox"}, c.case_id, "999", "Alert 999 not found in case " + std::to_string(c.case_id)},
      {{"--folder-name", "Inbox"}, c.case_id, "abc",
       "Invalid value for parameter \"--alert-id\": expected an integer between 1 and 9223372036854775807, got \"abc\""},
  };
  for (const Row& row : rows) {
    const auto r = run(row.tokens, row.case_id, row.alert_id);
    EXPECT_EQ(r.exit_code(), 64) << row.message;
    EXPECT_EQ(r.output_message, row.message);
  }
  EXPECT_EQ(store_.connections(), 0u);
}

TEST_F(Save, MessageIdFromTheAlertElseTheCasesFirstAlert) {
  const auto c = add_case({"<first@x>", "<second@x>"});
  store_.deliver("INBOX", mail_with("<first@x>", {{"one.txt", "1"}}));
  store_.deliver("INBOX", mail_with("<second@x>", {{"two.txt", "2"}}));
  auto r = run({"--folder-name", "Inbox"}, c.case_id);
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "Successfully saved the following attachments from the email <first@x>: one.txt");
  r = run({"--folder-name", "Inbox"}, c.case_id, std::to_string(c.alert_ids[1]));
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "Successfully saved the following attachments from the email <second@x>: two.txt");
  const auto w = wall(c.case_id);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].alert_id, c.alert_ids[0]);
  EXPECT_EQ(w[1].alert_id, c.alert_ids[1]);
  // An explicit Message ID wins over the alert's.
  r = run({"--folder-name", "Inbox", "--message-id", "second@x"}, c.case_id, std::to_string(c.alert_ids[0]));
  EXPECT_EQ(r.output_message, "Successfully saved the following attachments from the email second@x: two.txt");
}

// ---- outcome table ----

TEST_F(Save, SavedOncePerNameAndContent) {
  const auto c = add_case({"<m@x>"});
  store_.deliver("INBOX", mail_with("<m@x>", {{"invoice.pdf", "PDF"}, {"invoice.pdf", "other PDF"},
                                              {"logo.png", "PNG"}, {"invoice.pdf", "PDF"}}));
  const auto r = run({"--folder-name", "Inbox", "--message-id", "<m@x>"}, c.case_id);
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message,
            "Successfully saved the following attachments from the email <m@x>: invoice.pdf, logo.png");
  const auto j = r.to_json();
  EXPECT_EQ(j["result_value"], true);
  ASSERT_EQ(j["json_result"]["emails"].size(), 1u);
  EXPECT_EQ(j["json_result"]["emails"][0]["message_id"], "<m@x>");
  EXPECT_EQ(j["json_result"]["emails"][0]["email_uid"], "1");
  EXPECT_EQ(j["json_result"]["emails"][0]["folder"], "Inbox");
  auto w = wall(c.case_id);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].file_name, "invoice.pdf");
  EXPECT_EQ(w[0].name, "invoice");
  EXPECT_EQ(w[0].type, ".pdf");
  EXPECT_EQ(w[0].description, "Email attachment (<m@x>)");
  EXPECT_EQ(w[0].added_by, store::AddedBy::kSaveEmailAttachmentsToCase);
  EXPECT_EQ(w[0].sha256, mime::digests_of("PDF").sha256);
  EXPECT_EQ(w[1].sha256, mime::digests_of("other PDF").sha256);
  EXPECT_EQ(w[0].alert_id, std::nullopt);  // Message ID given: no alert context
  // Again: nothing new on the wall, same success.
  const auto again = run({"--folder-name", "Inbox", "--message-id", "<m@x>"}, c.case_id);
  EXPECT_EQ(again.exit_code(), 0);
  EXPECT_EQ(wall(c.case_id).size(), 3u);
}

TEST_F(Save, AttachmentNameIsExactAndCaseSensitive) {
  const auto c = add_case({"<m@x>"});
  store_.deliver("INBOX", mail_with("<m@x>", {{"a.txt", "1"}, {"A.txt", "2"}, {"a.txt", "3"}}));
  auto r = run({"--folder-name", "Inbox", "--attachment-name", "a.txt"}, c.case_id);
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "Successfully saved the following attachments from the email <m@x>: a.txt");
  auto w = wall(c.case_id);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[1].sha256, mime::digests_of("3").sha256);
  r = run({"--folder-name", "Inbox", "--attachment-to-save", "a.TXT"}, c.case_id);  // legacy name
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.output_message, std::string(kFail) + "Attachment \"a.TXT\" was not found in the email <m@x>");
  EXPECT_EQ(r.to_json()["json_result"]["emails"][0]["message_id"], "<m@x>");
}

TEST_F(Save, NotFoundAndNoAttachments) {
  const auto c = add_case({"<m@x>"});
  store_.create_folder("Archive");
  store_.deliver("INBOX", mail_with("<xm@x>", {{"a.txt", "1"}}));  // contains the ID: must not match
  auto r = run({"--folder-name", "Inbox,Archive,inbox"}, c.case_id);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.output_message, std::string(kFail) + "Email with message ID <m@x> was not found in folder(s) Inbox, Archive");
  EXPECT_TRUE(r.to_json()["json_result"].is_null());
  store_.deliver("Archive", mail_with("<m@x>", {}));
  r = run({"--folder-name", "Inbox,Archive"}, c.case_id);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.output_message, "No attachments have been found!");
  EXPECT_EQ(r.to_json()["json_result"]["emails"][0]["folder"], "Archive");
  EXPECT_TRUE(wall(c.case_id).empty());
}

TEST_F(Save, FirstMatchIsFirstFolderThenLowestUid) {
  const auto c = add_case({"<m@x>"});
  store_.create_folder("A");
  store_.create_folder("B");
  store_.deliver("B", mail_with("<m@x>", {{"from-b.txt", "B"}}));
  store_.deliver("A", mail_with("<other@x>", {{"o.txt", "O"}}));
  store_.deliver("A", mail_with("<m@x>", {{"from-a-2.txt", "A2"}}));
  store_.deliver("A", mail_with("<m@x>", {{"from-a-3.txt", "A3"}}));
  const auto r = run({"--folder-name", "B,A"}, c.case_id);
  EXPECT_EQ(r.output_message, "Successfully saved the following attachments from the email <m@x>: from-b.txt");
  const auto r2 = run({"--folder-name", "A,B"}, c.case_id);
  EXPECT_EQ(r2.output_message, "Successfully saved the following attachments from the email <m@x>: from-a-2.txt");
}

TEST_F(Save, ErrorsAreFailedWithTheTemplate) {
  const auto c = add_case({"<m@x>"});
  auto r = run({"--folder-name", "Inbox,Nope"}, c.case_id);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, std::string(kFail) + "FOLDER_NOT_FOUND: Folder Nope not found");
  config_.max_message_mib = 1;
  store_.deliver("INBOX", mail_with("<m@x>", {{"big.bin", std::string(1'100'000, 'x')}}));
  r = run({"--folder-name", "Inbox"}, c.case_id);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.to_json()["error_code"], "SIZE_LIMIT");
  EXPECT_EQ(r.output_message, std::string(kFail) + "SIZE_LIMIT: the email <m@x> is larger than Max Message Size (1 MB)");
  store_.fail_call(Call::kFindByMessageId, 1, Error(ErrorCode::kImapBye, "gone"));
  r = run({"--folder-name", "Inbox"}, c.case_id);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message, std::string(kFail) + "IMAP_BYE: gone");
  EXPECT_TRUE(wall(c.case_id).empty());
}

TEST_F(Save, ReadOnlyNoFlagChanges) {
  const auto c = add_case({"<m@x>"});
  store_.deliver("INBOX", mail_with("<m@x>", {{"a.txt", "1"}}));
  ASSERT_EQ(run({"--folder-name", "Inbox"}, c.case_id).exit_code(), 0);
  EXPECT_TRUE(store_.messages("INBOX")[0].flags.empty());
  EXPECT_EQ(store_.calls(Call::kAddFlags), 0u);
}

}  // namespace
}  // namespace emailv2::actions
