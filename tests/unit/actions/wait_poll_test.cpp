// Wait For Email From User, one poll at a time, on the in-memory MailStore and a temporary case store (CONTRACT
// §3.4): all vs first mode, auto-replies, the unanchored exclude pattern, a reply without From, timeout (completion
// first), R and S from parameters / sent_message / the Sent folder / the first poll, transient vs permanent errors,
// attachments on the case wall once across many polls, no flag changes.
#include <gtest/gtest.h>

#include <thread>

#include "actions/wait_attachments.h"
#include "actions/wait_for_email_from_user.h"
#include "actions/wait_session.h"
#include "mail/memory_mail_store.h"
#include "store/sent_message_repository.h"
#include "store/wait_reply_repository.h"
#include "store/wall_repository.h"
#include "support/test_env.h"
#include "unit/store/store_fixture.h"

namespace emailv2::actions {
namespace {

using namespace std::chrono_literals;
using Call = mail::MemoryMailStore::Call;
using emailv2::testing::TempDir;

constexpr std::string_view kId = "<sent.42@lab.test>";
const TimePoint kSent = from_epoch_ms(1'714'566'896'000);  // 2024-05-01T12:34:56Z

struct Mail {
  std::string from = "Alice <alice@lab.test>";
  std::string body = "Approved";
  std::string link = "In-Reply-To: <sent.42@lab.test>\r\n";
  std::string extra;
  std::string id = "r1@lab.test";
  std::string attachment;  // file name; empty = none

  std::string raw() const {
    std::string h = (from.empty() ? "" : "From: " + from + "\r\n") + "To: soc@lab.test\r\nSubject: Re: Approve?\r\n" +
                    "Message-ID: <" + id + ">\r\n" + link + extra + "Date: Wed, 1 May 2024 13:00:00 +0000\r\n" +
                    "MIME-Version: 1.0\r\n";
    if (attachment.empty()) return h + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
    return h + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" + body +
           "\r\n--b\r\nContent-Type: application/pdf; name=\"" + attachment +
           "\"\r\nContent-Disposition: attachment; filename=\"" + attachment +
           "\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n";
  }
};

class WaitPoll : public ::testing::Test {
 protected:
  WaitPoll() : db_(store::testing::open_or_die(dir_.path() / "cases.sqlite")) {
    p_.message_id = std::string(kId);
    p_.recipients = {"alice@lab.test", "bob@lab.test"};
    p_.email_date = kSent;
    p_.folders = {"Inbox"};
  }

  ActionResult poll() {
    const ActionContext ctx{config_, (dir_.path() / "cases.sqlite").string(), case_id_, std::nullopt,
                            Deadline::after(60s), clock_};
    return wait_poll(ctx, p_, mail_, db_);
  }
  std::uint32_t deliver(const Mail& m, std::string folder = "INBOX") { return mail_.deliver(folder, m.raw()); }
  static Mail from(std::string who, std::string body = "Approved") {
    Mail m;
    m.from = std::move(who);
    m.body = std::move(body);
    m.id = "r-" + std::to_string(++counter_) + "@lab.test";
    return m;
  }
  const nlohmann::ordered_json& responses(const ActionResult& r) { return r.json_result["Responses"]; }

  TempDir dir_;
  mail::IntegrationConfig config_;
  FakeClock clock_{kSent + 5min};
  mail::MemoryMailStore mail_{{}, clock_};
  store::Database db_;
  std::optional<store::CaseId> case_id_;
  WaitParams p_;
  static inline int counter_ = 0;
};

TEST_F(WaitPoll, AllModeWaitsForEveryRecipient) {
  EXPECT_EQ(poll().exit_code(), 4);
  deliver(from("Alice <alice@lab.test>", "Yes from Alice"));
  auto r = poll();
  EXPECT_EQ(r.exit_code(), 4);
  EXPECT_EQ(r.output_message, "Continuing...waiting for response, searching IN-REPLY-TO <sent.42@lab.test>");
  EXPECT_EQ(responses(r)[0]["content"], "Yes from Alice\n");
  EXPECT_EQ(responses(r)[0]["folder"], "Inbox");
  EXPECT_EQ(responses(r)[0]["received"], "Wed, 1 May 2024 12:39:56 +0000");
  EXPECT_TRUE(responses(r)[1]["content"].is_null());
  deliver(from("bob@lab.test", "Yes from Bob"));
  r = poll();
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.output_message, "Received all responses");
  EXPECT_EQ(responses(r)[1]["content"], "Yes from Bob\n");
  EXPECT_EQ(responses(r)[1]["recipient"], "bob@lab.test");
}

TEST_F(WaitPoll, FirstModeCompletesOnTheFirstReply) {
  p_.wait_for_all = false;
  deliver(from("Bob <BOB@Lab.Test>", "ok"));
  const auto r = poll();
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_TRUE(responses(r)[0]["content"].is_null());
  EXPECT_EQ(responses(r)[1]["content"], "ok\n");
}

TEST_F(WaitPoll, OnlyExactLinksMatchNeverTheSubject) {
  p_.wait_for_all = false;
  Mail subject_only = from("alice@lab.test");
  subject_only.link = "";
  Mail substring = from("alice@lab.test");
  substring.link = "In-Reply-To: <xsent.42@lab.test>\r\nReferences: <sent.42@lab.test.example>\r\n";
  deliver(subject_only);
  deliver(substring);
  EXPECT_EQ(poll().exit_code(), 4);
  Mail references = from("alice@lab.test", "via References");
  references.link = "References: <root@x> <sent.42@lab.test>\r\n";
  deliver(references);
  auto r = poll();
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(responses(r)[0]["content"], "via References\n");
}

TEST_F(WaitPoll, MicrosoftOriginalMessageIdMatches) {
  p_.recipients = {"alice@lab.test"};
  Mail m = from("alice@lab.test", "from Exchange");
  m.link = "X-Microsoft-Original-Message-ID: <sent.42@lab.test>\r\n";
  deliver(m);
  const auto r = poll();
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(responses(r)[0]["content"], "from Exchange\n");
}

TEST_F(WaitPoll, OutOfOfficeIsIgnoredByDefault) {
  p_.recipients = {"alice@lab.test"};
  Mail ooo = from("alice@lab.test", "I am out of the office until Monday.");
  ooo.extra = "Auto-Submitted: auto-replied\r\n";
  deliver(ooo);
  EXPECT_EQ(poll().exit_code(), 4);
  p_.ignore_auto_replies = false;
  auto r = poll();
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(responses(r)[0]["content"], "I am out of the office until Monday.\n");
  p_.ignore_auto_replies = true;
  deliver(from("alice@lab.test", "Back now: approved"));
  r = poll();
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(responses(r)[0]["content"], "Back now: approved\n");
}

TEST_F(WaitPoll, ExcludePatternIsAnUnanchoredSearch) {
  p_.recipients = {"alice@lab.test"};
  const auto pattern = std::make_shared<re2::RE2>("out of (the )?office");
  p_.exclude = pattern.get();
  deliver(from("alice@lab.test", "Thanks for your mail.\r\nI am out of office."));  // re.match would not exclude it
  EXPECT_EQ(poll().exit_code(), 4);
  deliver(from("alice@lab.test", "Approved, go ahead"));
  const auto r = poll();
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(responses(r)[0]["content"], "Approved, go ahead\n");
  auto rows = store::WaitReplyRepository(db_).list(kId);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2U);
  EXPECT_FALSE((*rows)[0].accepted);
  EXPECT_TRUE((*rows)[1].accepted);
}

TEST_F(WaitPoll, ReplyWithoutFromIsIgnoredNotACrash) {
  Mail nobody = from("");
  deliver(nobody);
  const auto r = poll();
  EXPECT_EQ(r.exit_code(), 4);
  EXPECT_TRUE(responses(r)[0]["content"].is_null());
}

TEST_F(WaitPoll, AnyFromMailboxCountsNotTheAlphabeticallyFirst) {
  p_.recipients = {"zoe@lab.test"};
  deliver(from("aaron@lab.test, Zoe <ZOE@lab.test>", "from the second mailbox"));
  const auto r = poll();
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(responses(r)[0]["content"], "from the second mailbox\n");
}

TEST_F(WaitPoll, EarliestArrivalWinsAcrossFolders) {
  p_.recipients = {"alice@lab.test"};
  p_.folders = {"Inbox", "Replies"};
  mail_.create_folder("Replies");
  mail_.deliver("INBOX", from("alice@lab.test", "later").raw(), kSent + 30min);
  mail_.deliver("Replies", from("alice@lab.test", "earlier").raw(), kSent + 10min);
  const auto r = poll();
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(responses(r)[0]["content"], "earlier\n");
  EXPECT_EQ(responses(r)[0]["folder"], "Replies");
}

TEST_F(WaitPoll, RepliesFromBeforeTheDayBeforeTheStartAreNotSearched) {
  p_.recipients = {"alice@lab.test"};
  mail_.deliver("INBOX", from("alice@lab.test", "ancient").raw(), kSent - 72h);
  EXPECT_EQ(poll().exit_code(), 4);
}

TEST_F(WaitPoll, TimeoutMarksOnlyMissingRecipientsAndCompletionComesFirst) {
  p_.timeout = 60min;
  deliver(from("alice@lab.test", "yes"));
  clock_.set(kSent + 59min);
  EXPECT_EQ(poll().exit_code(), 4);
  clock_.set(kSent + 60min);
  auto r = poll();
  EXPECT_EQ(r.exit_code(), 3);
  EXPECT_EQ(r.output_message, "Timeout getting replies from users");
  EXPECT_EQ(responses(r)[0]["content"], "yes\n");
  EXPECT_EQ(responses(r)[1]["content"], "Timeout");
  deliver(from("bob@lab.test", "late but here"));
  r = poll();
  EXPECT_EQ(r.exit_code(), 0);
}

TEST_F(WaitPoll, RecipientsAndStartFromSentMessage) {
  p_.recipients.clear();
  p_.email_date.reset();
  p_.timeout = 60min;
  {
    auto tx = db_.begin_write();
    ASSERT_TRUE(tx);
    store::SentMessage sent{std::string(kId), kSent, {"carol@lab.test", "Alice@lab.test"}, {"cc@lab.test"}, {},
                            "Approve?", "send-email", std::nullopt};
    ASSERT_TRUE(store::SentMessageRepository(db_).record(*tx, sent));
    ASSERT_TRUE(tx->commit());
  }
  deliver(from("alice@lab.test"));
  auto r = poll();
  EXPECT_EQ(r.exit_code(), 4);
  ASSERT_EQ(responses(r).size(), 2U);
  EXPECT_EQ(responses(r)[0]["recipient"], "carol@lab.test");
  EXPECT_EQ(responses(r)[1]["recipient"], "Alice@lab.test");
  EXPECT_EQ(responses(r)[1]["content"], "Approved\n");
  clock_.set(kSent + 61min);  // S is the sent Date, not the first poll
  EXPECT_EQ(poll().exit_code(), 3);
}

TEST_F(WaitPoll, RecipientsAndStartFromTheSentFolder) {
  p_.recipients.clear();
  p_.email_date.reset();
  p_.timeout = 60min;
  mail_.create_folder("Sent Items", {"\\Sent"});
  mail_.deliver("Sent Items",
                "From: soc@lab.test\r\nTo: Dave <dave@lab.test>, erin@lab.test\r\nSubject: Approve?\r\nMessage-ID: " +
                    std::string(kId) + "\r\n\r\nPlease approve\r\n",
                kSent - 2h);
  const auto r = poll();
  EXPECT_EQ(r.exit_code(), 3);  // S = INTERNALDATE of the original, 2 h ago; timeout 60 min
  ASSERT_EQ(responses(r).size(), 2U);
  EXPECT_EQ(responses(r)[0]["recipient"], "dave@lab.test");
  EXPECT_EQ(responses(r)[1]["content"], "Timeout");
}

TEST_F(WaitPoll, UnknownRecipientsFail) {
  p_.recipients.clear();
  const auto r = poll();
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "Failed to check replies for the email <sent.42@lab.test>! The Error is RECIPIENTS_UNKNOWN: provide "
            "\"Email Recipients\"");
  EXPECT_EQ(*r.error_code, ErrorCode::kRecipientsUnknown);
}

TEST_F(WaitPoll, StartFromTheFirstPollWhenNothingElseKnowsIt) {
  p_.email_date.reset();
  p_.timeout = 10min;
  EXPECT_EQ(poll().exit_code(), 4);  // first poll at kSent + 5 min is stored
  clock_.set(kSent + 14min);
  EXPECT_EQ(poll().exit_code(), 4);
  clock_.set(kSent + 15min);
  EXPECT_EQ(poll().exit_code(), 3);
}

TEST_F(WaitPoll, TransientErrorsKeepWaitingUntilTheDeadline) {
  p_.timeout = 60min;
  mail_.fail_call(Call::kSearch, 1, Error(ErrorCode::kImapNo, "IMAP server replied NO to UID SEARCH: busy"));
  auto r = poll();
  EXPECT_EQ(r.exit_code(), 4);
  EXPECT_EQ(r.output_message,
            "Continuing...waiting for response, searching IN-REPLY-TO <sent.42@lab.test> (last check failed: IMAP_NO: "
            "IMAP server replied NO to UID SEARCH: busy)");
  mail_.fail_call(Call::kConnect, 1, Error(ErrorCode::kConnectFailed, "Cannot connect to 127.0.0.1:1: refused"));
  ASSERT_TRUE(mail_.close(Deadline::after(1s)));
  EXPECT_EQ(poll().exit_code(), 4);
  clock_.set(kSent + 2h);
  mail_.fail_call(Call::kSearch, 1, Error(ErrorCode::kImapBye, "connection closed"));
  r = poll();
  EXPECT_EQ(r.exit_code(), 3);
  EXPECT_EQ(r.output_message, "Timeout getting replies from users");
}

TEST_F(WaitPoll, PermanentErrorsFail) {
  p_.folders = {"Inbox", "Nope"};
  auto r = poll();
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "Failed to check replies for the email <sent.42@lab.test>! The Error is FOLDER_NOT_FOUND: Folder Nope not "
            "found");
  p_.folders = {"Inbox"};
  mail_.fail_call(Call::kConnect, 1, Error(ErrorCode::kAuthFailed, "IMAP server rejected LOGIN: no"));
  ASSERT_TRUE(mail_.close(Deadline::after(1s)));
  r = poll();
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(*r.error_code, ErrorCode::kAuthFailed);
}

TEST_F(WaitPoll, ReadOnlyNoFlagChanges) {
  deliver(from("alice@lab.test"));
  mail_.deliver("INBOX", from("bob@lab.test").raw(), std::nullopt, {"\\Flagged"});
  for (int i = 0; i < 3; ++i) poll();
  for (const auto& m : mail_.messages("INBOX")) {
    EXPECT_EQ(m.flags, m.uid == 2 ? std::vector<std::string>{"\\Flagged"} : std::vector<std::string>{}) << m.uid;
  }
  EXPECT_EQ(mail_.calls(Call::kAddFlags), 0U);
  EXPECT_EQ(mail_.calls(Call::kMove), 0U);
  EXPECT_EQ(mail_.calls(Call::kDeleteMessages), 0U);
}

TEST_F(WaitPoll, AttachmentsGoOnTheCaseWallOnceAcrossManyPolls) {
  case_id_ = store::testing::create_case(db_, 1).case_id;
  p_.fetch_attachments = true;
  const auto pattern = std::make_shared<re2::RE2>("(?i)ignore me");
  p_.exclude = pattern.get();
  Mail excluded = from("alice@lab.test", "please IGNORE ME");
  excluded.attachment = "excluded.pdf";
  deliver(excluded);
  Mail reply = from("alice@lab.test", "signed form attached");
  reply.attachment = "scan.pdf";
  deliver(reply);
  std::size_t before = store::WallRepository(db_).list(*case_id_)->size();
  for (int i = 0; i < 5; ++i) {
    const auto r = poll();
    EXPECT_EQ(r.exit_code(), 4);
    EXPECT_EQ(responses(r)[0]["attachments"], nlohmann::ordered_json::array({"scan.pdf"}));
  }
  const auto wall = *store::WallRepository(db_).list(*case_id_);
  ASSERT_EQ(wall.size(), before + 1);
  EXPECT_EQ(wall.back().file_name, "scan.pdf");
  EXPECT_EQ(wall.back().name, "scan");
  EXPECT_EQ(wall.back().type, ".pdf");
  EXPECT_EQ(wall.back().description, "Reply attachment from alice@lab.test");
  EXPECT_EQ(wall.back().added_by, store::AddedBy::kWaitForEmailFromUser);
  EXPECT_EQ(wall.back().size, 9);
  // wait_reply remembers it, so later polls skip the wall even if the rows were changed meanwhile.
  const auto uidvalidity = static_cast<std::uint32_t>(mail_.uid_validity("INBOX"));
  auto accepted = store::WaitReplyRepository(db_).find(kId, "Inbox", uidvalidity, 2);
  ASSERT_TRUE(accepted && *accepted);
  EXPECT_TRUE((*accepted)->accepted);
  EXPECT_TRUE((*accepted)->attachments_added);
  auto skipped = store::WaitReplyRepository(db_).find(kId, "Inbox", uidvalidity, 1);
  ASSERT_TRUE(skipped && *skipped);
  EXPECT_FALSE((*skipped)->accepted);
  EXPECT_FALSE((*skipped)->attachments_added);
}

TEST_F(WaitPoll, AttachmentsWithoutACaseAreListedOnly) {
  p_.fetch_attachments = true;
  Mail reply = from("alice@lab.test", "attached");
  reply.attachment = "scan.pdf";
  deliver(reply);
  const auto r = poll();
  EXPECT_EQ(responses(r)[0]["attachments"], nlohmann::ordered_json::array({"scan.pdf"}));
  p_.fetch_attachments = false;
  EXPECT_EQ(responses(poll())[0]["attachments"], nlohmann::ordered_json::array());
}

TEST(WaitWallName, StemAndExtensionLikeTheConnector) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(split_file_name("scan.pdf"), (P{"scan", ".pdf"}));
  EXPECT_EQ(split_file_name("report.final.pdf"), (P{"report.final", ".pdf"}));
  EXPECT_EQ(split_file_name("archive.tar.gz"), (P{"archive.tar", ".gz"}));
  EXPECT_EQ(split_file_name("README"), (P{"README", ""}));
  EXPECT_EQ(split_file_name(".profile"), (P{".profile", ""}));
  EXPECT_EQ(split_file_name("x." + std::string(100, 'e')), (P{"x." + std::string(100, 'e'), ""}));
}

TEST(WaitSessionTest, GrowthComparison) {
  mail::FolderInfo a{"INBOX", 7, 10, 9, true};
  EXPECT_FALSE(folder_grew(a, a));
  EXPECT_TRUE(folder_grew(a, {"INBOX", 7, 11, 10, true}));
  EXPECT_FALSE(folder_grew(a, {"INBOX", 7, 10, 8, true}));  // an expunge is not new mail
  EXPECT_TRUE(folder_grew(a, {"INBOX", 8, 2, 1, true}));    // UIDVALIDITY changed
  EXPECT_TRUE(folder_grew({"INBOX", 7, 0, 3, true}, {"INBOX", 7, 0, 4, true}));  // no UIDNEXT: EXISTS
}

TEST(WaitSessionTest, DeliveryFromAnotherThreadWakesTheWait) {
  auto owned = std::make_unique<mail::MemoryMailStore>();
  mail::MemoryMailStore& mail = *owned;
  WaitSession session(std::move(owned), std::chrono::milliseconds(5000));
  auto seen = mail.open_folder("INBOX", mail::Access::kReadOnly, Deadline::after(5s));
  ASSERT_TRUE(seen);
  session.watch("Inbox", *seen);
  std::thread deliverer([&mail] {
    std::this_thread::sleep_for(300ms);
    mail.deliver("INBOX", "Subject: new\r\n\r\nx\r\n");
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto woke = session.wait_for_change(Deadline::after(20s));
  const auto took = std::chrono::steady_clock::now() - t0;
  deliverer.join();
  ASSERT_TRUE(woke) << woke.error().to_string();
  EXPECT_TRUE(*woke);
  EXPECT_LT(took, 5s);
  // Mail that came between the poll and the wait is seen at once, without waiting.
  mail.deliver("INBOX", "Subject: between\r\n\r\nx\r\n");
  const auto t1 = std::chrono::steady_clock::now();
  woke = session.wait_for_change(Deadline::after(20s));
  ASSERT_TRUE(woke);
  EXPECT_TRUE(*woke);
  EXPECT_LT(std::chrono::steady_clock::now() - t1, 2s);
  // Nothing new: false when `until` passes.
  seen = mail.open_folder("INBOX", mail::Access::kReadOnly, Deadline::after(5s));
  session.watch("Inbox", *seen);
  woke = session.wait_for_change(Deadline::after(300ms));
  ASSERT_TRUE(woke);
  EXPECT_FALSE(*woke);
  session.close();
}

TEST(WaitSessionTest, FailedWaitDropsTheConnectionAndReportsTheError) {
  auto owned = std::make_unique<mail::MemoryMailStore>();
  mail::MemoryMailStore& mail = *owned;
  WaitSession session(std::move(owned), std::chrono::milliseconds(5000));
  // Nothing watched yet (the poll failed before opening a folder): a plain pause, no IMAP.
  auto woke = session.wait_for_change(Deadline::after(50ms));
  ASSERT_TRUE(woke);
  EXPECT_FALSE(*woke);
  EXPECT_EQ(mail.connections(), 0U);
  auto seen = mail.open_folder("INBOX", mail::Access::kReadOnly, Deadline::after(5s));
  ASSERT_TRUE(seen);
  session.watch("Inbox", *seen);
  mail.fail_call(Call::kWaitForNewMail, 1, Error(ErrorCode::kImapBye, "connection closed"));
  woke = session.wait_for_change(Deadline::after(5s));
  ASSERT_FALSE(woke);
  EXPECT_EQ(woke.error().code(), ErrorCode::kImapBye);
  EXPECT_EQ(mail.calls(Call::kClose), 1U);  // the broken connection is dropped...
  woke = session.wait_for_change(Deadline::after(100ms));
  ASSERT_TRUE(woke) << woke.error().to_string();  // ...and the next wait connects again
  EXPECT_FALSE(*woke);
  EXPECT_EQ(mail.connections(), 2U);
  session.close();
  session.close();  // once only
  EXPECT_EQ(mail.calls(Call::kClose), 2U);
}

}  // namespace
}  // namespace emailv2::actions
