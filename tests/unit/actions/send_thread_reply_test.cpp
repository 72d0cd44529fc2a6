// Send Thread Reply (CONTRACT §3.10): addressees (Reply All minus our own addresses), subject, thread headers,
// outcomes; on an in-memory mail store and a scripted SMTP server.
#include "actions/send_thread_reply.h"

#include <gtest/gtest.h>

#include "core/text.h"
#include "mime/compose.h"
#include "mime/parse_message.h"
#include "send_fixture.h"

namespace emailv2::actions::send_test {
namespace {

mime::Message original(std::vector<mime::Address> from, std::vector<mime::Address> to,
                       std::vector<mime::Address> cc = {}) {
  mime::Message m;
  m.from = std::move(from);
  m.to = std::move(to);
  m.cc = std::move(cc);
  return m;
}

const std::vector<std::string> kOwn{"soc@lab.test", "soc-login@lab.test"};

TEST(ReplyAddressees, ReplyAllTable) {
  struct Row {
    std::string name;
    mime::Message msg;
    std::vector<std::string> expected;
  };
  const std::vector<Row> rows{
      {"only our own addresses, any case",
       original({{"", "SOC@LAB.TEST"}}, {{"", "Soc-Login@Lab.Test"}}, {{"", "soc@lab.test"}}),
       {}},
      {"empty original", original({}, {}), {}},
      {"from, to, cc in order minus us",
       original({{"Bob", "bob@lab.test"}}, {{"", "soc@lab.test"}, {"", "alice@lab.test"}}, {{"", "carol@lab.test"}}),
       {"bob@lab.test", "alice@lab.test", "carol@lab.test"}},
      {"duplicates across headers, first spelling kept",
       original({{"", "Bob@Lab.test"}}, {{"", "bob@lab.test"}, {"", "alice@lab.test"}}, {{"", "ALICE@lab.test"}}),
       {"Bob@Lab.test", "alice@lab.test"}},
      {"we sent the original: reply goes to its recipients",
       original({{"", "soc@lab.test"}}, {{"", "alice@lab.test"}}, {{"", "bob@lab.test"}}),
       {"alice@lab.test", "bob@lab.test"}},
      {"lookalike of our address is kept",
       original({{"", "soc@lab.test.evil"}}, {{"", "xsoc@lab.test"}}),
       {"soc@lab.test.evil", "xsoc@lab.test"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(reply_addressees(row.msg, true, {"ignored@lab.test"}, kOwn), row.expected);
  }
}

TEST(ReplyAddressees, WithoutReplyAll) {
  const mime::Message m = original({{"", "bob@lab.test"}, {"", "second@lab.test"}}, {{"", "alice@lab.test"}});
  EXPECT_EQ(reply_addressees(m, false, {"x@lab.test", "X@lab.test", "y@lab.test"}, kOwn),
            (std::vector<std::string>{"x@lab.test", "y@lab.test"}));
  EXPECT_EQ(reply_addressees(m, false, {}, kOwn), std::vector<std::string>{"bob@lab.test"});  // the first From only
  // Reply To may name our own address: that is its purpose.
  EXPECT_EQ(reply_addressees(m, false, {"soc@lab.test"}, kOwn), std::vector<std::string>{"soc@lab.test"});
  EXPECT_TRUE(reply_addressees(original({}, {}), false, {}, kOwn).empty());
  // Empty own entries never match (an unset Username).
  EXPECT_EQ(reply_addressees(original({{"", "bob@lab.test"}}, {}), true, {}, {"", ""}),
            std::vector<std::string>{"bob@lab.test"});
}

TEST(ReplySubject, ReOnceTable) {
  const std::vector<std::pair<std::string, std::string>> rows{
      {"Re: hello", "Re: hello"},       {"RE: hello", "RE: hello"},
      {"re:hello", "re:hello"},         {"  Re: padded", "  Re: padded"},
      {"hello", "Re: hello"},           {"", "Re: "},
      {"Fwd: Re: x", "Re: Fwd: Re: x"}, {"Reply needed", "Re: Reply needed"},
      {"Ré: accent", "Re: Ré: accent"},
  };
  for (const auto& [in, out] : rows) EXPECT_EQ(mime::reply_subject(in), out) << in;
}

TEST(ReplyMail, ReferencesChainAndInReplyTo) {
  mail::IntegrationConfig c;
  c.sender_address = "soc@lab.test";
  c.sender_display_name = "SOC";
  mime::Message m = original({{"", "bob@lab.test"}}, {});
  m.message_id = "<orig-3@lab.test>";
  m.references = "<root-1@lab.test>\t<orig-2@lab.test>";
  m.raw_subject = "Alert";
  const mime::OutgoingMail out = reply_mail(c, m, {"bob@lab.test"}, "<p>x</p>", {});
  EXPECT_EQ(out.in_reply_to, std::optional<std::string>("<orig-3@lab.test>"));
  EXPECT_EQ(out.references, std::optional<std::string>("<root-1@lab.test>\t<orig-2@lab.test> <orig-3@lab.test>"));
  EXPECT_EQ(out.subject, "Re: Alert");
  EXPECT_EQ(out.to, std::vector<std::string>{"bob@lab.test"});
  EXPECT_TRUE(out.cc.empty());
  EXPECT_TRUE(out.bcc.empty());

  m.references.clear();
  const mime::OutgoingMail first = reply_mail(c, m, {"bob@lab.test"}, "", {});
  EXPECT_EQ(first.references, std::optional<std::string>("<orig-3@lab.test>"));
}

std::string thread_original() {
  return "From: Bob <bob@lab.test>\r\n"
         "To: soc@lab.test, Alice <alice@lab.test>\r\n"
         "Cc: SOC-LOGIN@lab.test, carol@lab.test\r\n"
         "Subject: RE: Suspicious login\r\n"
         "Message-ID: <orig-3@lab.test>\r\n"
         "In-Reply-To: <orig-2@lab.test>\r\n"
         "References: <root-1@lab.test> <orig-2@lab.test>\r\n"
         "Reply-To: attacker@evil.test\r\n"
         "Date: Fri, 10 May 2024 10:00:00 +0000\r\n"
         "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nbody\r\n";
}

class ThreadReply : public SendActionTest {
 protected:
  ActionResult reply(Flags flags) { return run(send_thread_reply_spec(), &send_thread_reply, flags); }
};

TEST_F(ThreadReply, ReplyAllEndToEnd) {
  memory_->deliver("INBOX", thread_original());
  smtp_plays(accepting_server(3));
  const ActionResult r = reply({{"message-id", " <orig-3@lab.test> "}, {"content", "<p>We are on it</p>"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.output_message, "Successfully sent reply to the message with ID <orig-3@lab.test>.");
  EXPECT_EQ(r.json_result.at("recipients"), "bob@lab.test,alice@lab.test,carol@lab.test");
  const std::string id = r.json_result.at("message_id");
  EXPECT_EQ(r.json_result.size(), 2u);
  const std::string headers = sent_headers();
  EXPECT_NE(headers.find("Message-ID: " + id + "\r\n"), std::string::npos) << headers;
  EXPECT_NE(headers.find("In-Reply-To: <orig-3@lab.test>\r\n"), std::string::npos) << headers;
  EXPECT_NE(headers.find("References: <root-1@lab.test> <orig-2@lab.test> <orig-3@lab.test>\r\n"), std::string::npos)
      << headers;
  EXPECT_NE(headers.find("Subject: RE: Suspicious login\r\n"), std::string::npos) << headers;
  EXPECT_NE(headers.find("To: bob@lab.test, alice@lab.test, carol@lab.test\r\n"), std::string::npos) << headers;
  EXPECT_EQ(smtp_.written().find("attacker@evil.test"), std::string::npos);  // Reply-To header ignored
  EXPECT_EQ(smtp_.written().find("RCPT TO:<soc"), std::string::npos);
  EXPECT_EQ(smtp_.written().find("RCPT TO:<SOC"), std::string::npos);
}

TEST_F(ThreadReply, ReplyToWhenReplyAllIsOff) {
  memory_->deliver("INBOX", thread_original());
  smtp_plays(accepting_server(1));
  const ActionResult r = reply(
      {{"message-id", "orig-3@lab.test"}, {"content", "c"}, {"reply-all", "false"}, {"reply-to", "analyst@lab.test"}});
  ASSERT_EQ(r.exit_code(), 0) << r.output_message;
  EXPECT_EQ(r.json_result.at("recipients"), "analyst@lab.test");
}

TEST_F(ThreadReply, ReplyAllToOurselvesOnlyIsTheContractError) {
  memory_->deliver(
      "INBOX", "From: soc@lab.test\r\nTo: SOC@lab.test\r\nSubject: note\r\nMessage-ID: <self@lab.test>\r\n\r\nx\r\n");
  const ActionResult r = reply({{"message-id", "self@lab.test"}, {"content", "c"}});
  EXPECT_EQ(r.exit_code(), 64);
  EXPECT_EQ(r.error_code, ErrorCode::kParamInvalid);
  EXPECT_EQ(r.output_message,
            "Error executing action \"Send Thread Reply\". Reason: if you want to send a reply only to your own email "
            "address, you need to work with \"Reply To\" parameter.");
  EXPECT_EQ(smtp_connections_, 0);
}

TEST_F(ThreadReply, NotFound) {
  const ActionResult r = reply({{"message-id", "<missing@lab.test>"}, {"content", "c"}});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.state, ExecutionState::kCompleted);
  EXPECT_EQ(r.output_message, "Message with ID <missing@lab.test> was not found");
  EXPECT_EQ(smtp_connections_, 0);
}

TEST_F(ThreadReply, SmtpRejectionAtDataUsesTheReasonTemplate) {
  memory_->deliver("INBOX", thread_original());
  smtp_plays({"220 fake\r\n", "250 fake\r\n", "250 Ok\r\n", "250 Ok\r\n", "250 Ok\r\n", "250 Ok\r\n", "354 go\r\n",
              "554 5.7.1 Message rejected: spam\r\n", "250 Ok\r\n", "221 Bye\r\n"});
  const ActionResult r = reply({{"message-id", "orig-3@lab.test"}, {"content", "c"}});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.output_message,
            "Error executing action \"Send Thread Reply\". Reason: SMTP_REJECTED: DATA rejected: 554 5.7.1 Message "
            "rejected: spam");
  EXPECT_NE(smtp_.written().find("RSET\r\n"), std::string::npos);
}

}  // namespace
}  // namespace emailv2::actions::send_test
