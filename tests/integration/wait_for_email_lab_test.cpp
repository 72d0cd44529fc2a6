// Wait For Email From User against the lab, through the real binary (CONTRACT §3.4): replies delivered by the test
// itself with `scripts/mail-lab deliver` into soc@lab.test's INBOX. Two recipients in all vs first mode, an
// out-of-office auto-reply ignored, the exclude pattern, timeout, a reply without From, attachments added to the
// case wall once across many polls, no flag changes, R/S from the Sent folder and from a real send-email, and
// --until-done detecting a reply within seconds of delivery with --poll-every 60 (only IDLE can explain that).
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "send_lab_support.h"
#include "store/wall_repository.h"
#include "unit/store/store_fixture.h"

namespace emailv2::testing::send_lab {
namespace {

constexpr int kAlice = 1, kBob = 2, kSoc = 4;

struct Reply {
  int from_user = kAlice;
  std::string in_reply_to;
  std::string body = "Approved";
  std::string extra;     // more header lines
  bool with_from = true;
  std::string attachment;  // file name; empty = none
  std::string id = unique_id("reply");

  std::string raw() const {
    std::string h = (with_from ? "From: User <" + address(from_user) + ">\r\n" : "") + "To: " + address(kSoc) +
                    "\r\nSubject: Re: please approve\r\nMessage-ID: <" + id + ">\r\nIn-Reply-To: " + in_reply_to +
                    "\r\nReferences: " + in_reply_to + "\r\n" + extra + "MIME-Version: 1.0\r\n";
    if (attachment.empty()) return h + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
    return h + "Content-Type: multipart/mixed; boundary=\"xx\"\r\n\r\n--xx\r\nContent-Type: text/plain\r\n\r\n" +
           body + "\r\n--xx\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" +
           attachment + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfsj6IK\r\n--xx--\r\n";
  }
};

// APPEND to one of the user's folders (no flags).
void append_to(int user, const std::string& folder, const std::string& raw) {
  auto s = imap::lab::connect(imap::lab::options("LAB_IMAPS_PORT", user));
  ASSERT_TRUE(s);
  ASSERT_TRUE(imap::lab::append_all(*s, folder, {raw}));
  (void)s->logout(imap::lab::soon());
}

class WaitLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!lab_available()) GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
    sent_id_ = "<" + unique_id("sent") + ">";
  }

  // `scripts/mail-lab deliver DIR soc@lab.test FILE` (LMTP into soc's INBOX).
  void deliver(const Reply& r) {
    const auto file = lab_.dir.path() / (r.id + ".eml");
    write_file(file, r.raw());
    const std::string cmd = (source_dir() / "scripts" / "mail-lab").string() + " deliver '" + lab("LAB_DIR") + "' " +
                            address(kSoc) + " '" + file.string() + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  Reply reply(int user, std::string body = "Approved") {
    Reply r;
    r.from_user = user;
    r.in_reply_to = sent_id_;
    r.body = std::move(body);
    return r;
  }
  CliRun wait(std::vector<std::string> more = {}) {
    std::vector<std::string> args{"wait-for-email-from-user", "--message-id-to-check-replies-for", sent_id_};
    if (with_recipients_) {
      args.insert(args.end(), {"--email-recipients", address(kAlice) + ", " + address(kBob), "--email-date",
                               rfc3339_utc(std::chrono::system_clock::now() - std::chrono::minutes(5))});
    }
    args.insert(args.end(), more.begin(), more.end());
    return lab_.run(args);
  }
  static nlohmann::json responses(const CliRun& r) { return r.envelope()["json_result"]["Responses"]; }

  Lab lab_;
  std::string sent_id_;
  bool with_recipients_ = true;
};

TEST_F(WaitLab, TwoRecipientsAllVersusFirstMode) {
  auto r = wait();
  ASSERT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"], "Continuing...waiting for response, searching IN-REPLY-TO " + sent_id_);
  deliver(reply(kAlice, "Alice says yes"));
  r = wait();
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_EQ(responses(r)[0]["recipient"], address(kAlice));
  EXPECT_EQ(responses(r)[0]["content"], "Alice says yes\n");
  EXPECT_EQ(responses(r)[0]["folder"], "Inbox");
  EXPECT_TRUE(responses(r)[1]["content"].is_null());
  r = wait({"--wait-for-all-recipients-to-reply", "false"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.envelope()["output_message"], "Received all responses");
  deliver(reply(kBob, "Bob agrees"));
  r = wait();
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(responses(r)[1]["content"], "Bob agrees\n");
  EXPECT_TRUE(r.envelope()["json_result"]["Responses"][1]["received"].is_string());
}

TEST_F(WaitLab, OutOfOfficeAutoReplyIsIgnored) {
  Reply ooo = reply(kAlice, "I am out of the office until Monday.");
  ooo.extra = "Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n";
  deliver(ooo);
  auto r = wait({"--wait-for-all-recipients-to-reply", "false"});
  EXPECT_EQ(r.exit_code, 4) << r.out;
  r = wait({"--wait-for-all-recipients-to-reply", "false", "--ignore-auto-replies", "false"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  deliver(reply(kAlice, "Back: approved"));
  r = wait({"--wait-for-all-recipients-to-reply", "false"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(responses(r)[0]["content"], "Back: approved\n");
}

TEST_F(WaitLab, ExcludePatternIsSearchedAnywhereInTheBody) {
  deliver(reply(kAlice, "Thanks for the mail.\r\nPlease hold, I will check."));
  auto r = wait({"--wait-stage-exclude-pattern", "(?i)please hold", "--wait-for-all-recipients-to-reply", "false"});
  EXPECT_EQ(r.exit_code, 4) << r.out;
  deliver(reply(kAlice, "Checked: approved"));
  r = wait({"--wait-stage-exclude-pattern", "(?i)please hold", "--wait-for-all-recipients-to-reply", "false"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(responses(r)[0]["content"], "Checked: approved\n");
  r = wait({"--wait-stage-exclude-pattern", "(?<=x)y"});
  EXPECT_EQ(r.exit_code, 64) << r.out;
  EXPECT_EQ(r.envelope()["error_code"], "REGEX_INVALID");
}

TEST_F(WaitLab, TimeoutMarksTheMissingRecipient) {
  deliver(reply(kBob, "here"));
  with_recipients_ = false;
  const auto r = wait({"--email-recipients", address(kAlice) + ";" + address(kBob), "--email-date",
                       rfc3339_utc(std::chrono::system_clock::now() - std::chrono::hours(2)),
                       "--how-long-to-wait-for-recipient-reply-minutes", "60"});
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_EQ(r.envelope()["execution_state"], "timed_out");
  EXPECT_EQ(r.envelope()["output_message"], "Timeout getting replies from users");
  EXPECT_EQ(responses(r)[0]["content"], "Timeout");
  EXPECT_EQ(responses(r)[1]["content"], "here\n");
}

TEST_F(WaitLab, ReplyWithoutFromIsIgnored) {
  Reply anonymous = reply(kAlice, "who am I");
  anonymous.with_from = false;
  deliver(anonymous);
  auto r = wait({"--wait-for-all-recipients-to-reply", "false"});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_NE(r.err.find("has no From address"), std::string::npos) << r.err;
  deliver(reply(kBob, "signed"));
  r = wait({"--wait-for-all-recipients-to-reply", "false"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST_F(WaitLab, AttachmentsAreAddedToTheCaseOnceAcrossManyPollsAndNoFlagChanges) {
  store::CaseId case_id = 0;
  {
    auto db = store::testing::open_or_die(lab_.store());
    case_id = store::testing::create_case(db, 1).case_id;
  }
  Reply r1 = reply(kAlice, "form attached");
  r1.attachment = "signed form.pdf";
  deliver(r1);
  for (int i = 0; i < 6; ++i) {
    const auto r = wait({"--fetch-response-attachments", "true", "--case-id", std::to_string(case_id)});
    ASSERT_EQ(r.exit_code, 4) << r.out << r.err;
    EXPECT_EQ(responses(r)[0]["attachments"], nlohmann::json::array({"signed form.pdf"}));
  }
  auto db = store::testing::open_or_die(lab_.store());
  std::size_t from_wait = 0;
  auto wall = store::WallRepository(db).list(case_id);
  ASSERT_TRUE(wall) << wall.error().to_string();
  for (const auto& f : *wall) {
    if (f.added_by != store::AddedBy::kWaitForEmailFromUser) continue;
    ++from_wait;
    EXPECT_EQ(f.file_name, "signed form.pdf");
    EXPECT_EQ(f.description, "Reply attachment from " + address(kAlice));
  }
  EXPECT_EQ(from_wait, 1U);
  // Read-only: the reply is still unseen and unflagged after all those polls.
  auto box = mailbox(kSoc);
  auto uids = box->find_by_message_id("INBOX", r1.id, imap::lab::soon());
  ASSERT_TRUE(uids) << uids.error().to_string();
  ASSERT_EQ(uids->size(), 1U) << r1.id;
  auto meta = box->fetch_metadata("INBOX", *uids, imap::lab::soon());
  ASSERT_TRUE(meta && meta->size() == 1);
  for (const auto& flag : (*meta)[0].flags) EXPECT_TRUE(flag == "\\Recent") << flag;  // \Recent is the server's
  EXPECT_FALSE((*meta)[0].has_flag("\\Seen"));
  (void)box->close(imap::lab::soon());
}

TEST_F(WaitLab, RecipientsAndStartFromTheSentFolder) {
  with_recipients_ = false;
  append_to(kSoc, "Sent",
            "From: soc@lab.test\r\nTo: " + address(kAlice) + ", Bob <" + address(kBob) +
                ">\r\nSubject: please approve\r\nMessage-ID: " + sent_id_ + "\r\n\r\nApprove?\r\n");
  deliver(reply(kBob, "ok from bob"));
  const auto r = wait();
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  ASSERT_EQ(responses(r).size(), 2U) << r.out;
  EXPECT_EQ(responses(r)[0]["recipient"], address(kAlice));
  EXPECT_EQ(responses(r)[1]["recipient"], address(kBob));
  EXPECT_EQ(responses(r)[1]["content"], "ok from bob\n");
}

TEST_F(WaitLab, RecipientsFromARealSendEmailAndUnknownOtherwise) {
  with_recipients_ = false;
  auto unknown = wait();
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
  EXPECT_EQ(unknown.envelope()["error_code"], "RECIPIENTS_UNKNOWN");
  const auto sent = lab_.run({"send-email", "--recipients", address(kAlice), "--subject", "approve?", "--content",
                              "<p>approve?</p>", "--return-message-id-for-the-sent-email"});
  ASSERT_EQ(sent.exit_code, 0) << sent.out << sent.err;
  sent_id_ = sent.envelope()["json_result"]["message_id"];
  deliver(reply(kAlice, "approved via send-email"));
  const auto r = wait({"--how-long-to-wait-for-recipient-reply-minutes", "5"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(responses(r)[0]["content"], "approved via send-email\n");
  // The alias works too.
  const auto alias = lab_.run({"wait-for-email", "--message-id-to-check-replies-for", sent_id_});
  EXPECT_EQ(alias.exit_code, 0) << alias.out;
}

TEST_F(WaitLab, UntilDoneWakesOnDeliveryWithinSeconds) {
  CliRun result;
  std::thread waiter([&] {
    result = wait({"--until-done", "--poll-every", "60", "--wait-for-all-recipients-to-reply", "false"});
  });
  std::this_thread::sleep_for(std::chrono::seconds(3));  // first poll done, IDLE entered
  const auto t0 = std::chrono::steady_clock::now();
  deliver(reply(kAlice, "fast"));
  waiter.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RecordProperty("reply_to_done_ms", static_cast<int>(seconds * 1000));
  std::printf("until-done: reply detected %.3f s after delivery\n", seconds);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_LT(seconds, 10.0);  // poll-every is 60 s: only IDLE explains this
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
  EXPECT_EQ(responses(result)[0]["content"], "fast\n");
}

}  // namespace
}  // namespace emailv2::testing::send_lab
