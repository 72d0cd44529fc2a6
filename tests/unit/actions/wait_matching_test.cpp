// Wait For Email From User: exact reply matching and auto-reply detection (CONTRACT §3.4 steps 2–3).
// Hostile rows first: substrings, case variants and Subject-only "replies" must NOT match.
#include <gtest/gtest.h>

#include "actions/auto_reply.h"
#include "actions/reply_matching.h"

namespace emailv2::actions {
namespace {

constexpr std::string_view kId = "<abc.123@lab.test>";

std::string headers(const std::string& fields) {
  return "From: Bob <bob@lab.test>\r\nTo: soc@lab.test\r\n" + fields + "Subject: Re: hello\r\n\r\n";
}

struct LinkRow {
  const char* name;
  std::string fields;
  ReplyLink expected;
};

TEST(WaitReplyLink, Table) {
  const std::vector<LinkRow> rows = {
      // hostile: none of these is a reply to <abc.123@lab.test>
      {"subject only", "", ReplyLink::kNone},
      {"message-id itself", "Message-ID: <abc.123@lab.test>\r\n", ReplyLink::kNone},
      {"longer id in in-reply-to", "In-Reply-To: <xabc.123@lab.test>\r\n", ReplyLink::kNone},
      {"prefix of id", "In-Reply-To: <abc.123@lab.tes>\r\n", ReplyLink::kNone},
      {"case variant", "In-Reply-To: <ABC.123@lab.test>\r\n", ReplyLink::kNone},
      {"id without brackets", "In-Reply-To: abc.123@lab.test\r\n", ReplyLink::kNone},
      {"id inside a longer token", "References: <a@x> <abc.123@lab.test.evil> <b@y>\r\n", ReplyLink::kNone},
      {"id in a comment only", "In-Reply-To: (abc.123@lab.test) <other@x>\r\n", ReplyLink::kNone},
      {"ms id substring", "X-Microsoft-Original-Message-ID: <abc.123@lab.test.x>\r\n", ReplyLink::kNone},
      {"id in body-like header", "X-Note: In-Reply-To: <abc.123@lab.test>\r\n", ReplyLink::kNone},
      {"thread-index", "Thread-Topic: hello\r\nThread-Index: AQHabc.123@lab.test\r\n", ReplyLink::kNone},
      // real replies
      {"in-reply-to", "In-Reply-To: <abc.123@lab.test>\r\n", ReplyLink::kInReplyTo},
      {"in-reply-to with phrase", "In-Reply-To: Your message of Monday <abc.123@lab.test>\r\n",
       ReplyLink::kInReplyTo},
      {"in-reply-to lower-case field", "in-reply-to:   <abc.123@lab.test>  \r\n", ReplyLink::kInReplyTo},
      {"references last", "References: <root@x> <mid@y> <abc.123@lab.test>\r\n", ReplyLink::kReferences},
      {"references folded", "References: <root@x>\r\n <abc.123@lab.test>\r\n\t<later@z>\r\n",
       ReplyLink::kReferences},
      {"references without spaces", "References: <root@x><abc.123@lab.test>\r\n", ReplyLink::kReferences},
      {"ms original id", "X-Microsoft-Original-Message-ID: <abc.123@lab.test>\r\n", ReplyLink::kMicrosoftOriginalId},
      {"ms original id without brackets", "X-Microsoft-Original-Message-ID:  abc.123@lab.test \r\n",
       ReplyLink::kMicrosoftOriginalId},
      {"in-reply-to wins over references",
       "References: <abc.123@lab.test>\r\nIn-Reply-To: <abc.123@lab.test>\r\n", ReplyLink::kInReplyTo},
      {"LF-only header", "In-Reply-To: <abc.123@lab.test>\n", ReplyLink::kInReplyTo},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(reply_link(headers(row.fields), kId), row.expected) << row.name;
  }
}

TEST(WaitReplyLink, AnyFormOfTheSentIdMatches) {
  const std::string h = headers("In-Reply-To: <abc.123@lab.test>\r\n");
  for (std::string_view id : {"<abc.123@lab.test>", "abc.123@lab.test", "  <abc.123@lab.test> "}) {
    EXPECT_EQ(reply_link(h, id), ReplyLink::kInReplyTo) << id;
  }
  EXPECT_EQ(reply_link(h, "<>"), ReplyLink::kNone);
  EXPECT_EQ(reply_link(h, ""), ReplyLink::kNone);
}

TEST(WaitReplyLink, HeaderInTheBodyIsNotLookedAt) {
  const std::string message =
      "From: bob@lab.test\r\nSubject: Re: x\r\n\r\nIn-Reply-To: <abc.123@lab.test>\r\nReferences: <abc.123@lab.test>\r\n";
  EXPECT_EQ(reply_link(message, kId), ReplyLink::kNone);
}

TEST(WaitMessageIdTokens, Table) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(message_id_tokens(""), V{});
  EXPECT_EQ(message_id_tokens("no tokens at all"), V{});
  EXPECT_EQ(message_id_tokens("<unterminated"), V{});
  EXPECT_EQ(message_id_tokens("<a@x> <unterminated"), V{"<a@x>"});
  EXPECT_EQ(message_id_tokens("<<a@x>"), V{"<a@x>"});
  EXPECT_EQ(message_id_tokens("< junk <a@x> >"), V{"<a@x>"});
  EXPECT_EQ(message_id_tokens("<a@x>,<b@y> (c) <c@z>"), (V{"<a@x>", "<b@y>", "<c@z>"}));
}

TEST(WaitFromAddresses, ParsedAndComparedCaseInsensitively) {
  EXPECT_TRUE(from_addresses("Subject: no from\r\n\r\n").empty());
  EXPECT_TRUE(from_addresses("From:\r\n\r\n").empty());
  EXPECT_TRUE(from_addresses("From: undisclosed-recipients:;\r\n\r\n").empty());
  EXPECT_EQ(from_addresses("From: \"Doe, Jane\" <Jane.Doe@Lab.Test>, bob@lab.test\r\n\r\n"),
            (std::vector<std::string>{"Jane.Doe@Lab.Test", "bob@lab.test"}));
  EXPECT_EQ(from_addresses("From: =?utf-8?q?J=C3=BCrgen?= <j@lab.test>\r\n\r\n"), std::vector<std::string>{"j@lab.test"});
  const std::vector<std::string> from{"Jane.Doe@Lab.Test", "bob@lab.test"};
  EXPECT_TRUE(has_address(from, "jane.doe@lab.test"));
  EXPECT_TRUE(has_address(from, " BOB@LAB.TEST "));
  EXPECT_FALSE(has_address(from, "doe@lab.test"));
  EXPECT_FALSE(has_address(from, "jane.doe@lab.test.evil"));
  EXPECT_FALSE(has_address(from, ""));
  EXPECT_FALSE(has_address({}, "bob@lab.test"));
}

struct AutoRow {
  const char* name;
  std::string fields;
  bool automatic;
};

TEST(WaitAutoReply, Table) {
  const std::vector<AutoRow> rows = {
      {"auto-submitted auto-replied", "Auto-Submitted: auto-replied\r\n", true},
      {"auto-submitted auto-generated", "Auto-Submitted: auto-generated\r\n", true},
      {"auto-submitted with parameter", "Auto-Submitted: auto-replied; owner-email=\"x@y\"\r\n", true},
      {"auto-submitted upper-case", "AUTO-SUBMITTED: AUTO-REPLIED\r\n", true},
      {"auto-submitted empty", "Auto-Submitted:\r\n", true},
      {"auto-submitted unknown keyword", "Auto-Submitted: auto-notified\r\n", true},
      {"x-autoreply", "X-Autoreply: yes\r\n", true},
      {"x-autorespond", "X-Autorespond: Out of office\r\n", true},
      {"precedence auto_reply", "Precedence: auto_reply\r\n", true},
      {"precedence bulk", "Precedence: Bulk\r\n", true},
      {"precedence junk", "Precedence: junk\r\n", true},
      // people
      {"nothing", "", false},
      {"auto-submitted no", "Auto-Submitted: no\r\n", false},
      {"auto-submitted no with comment", "Auto-Submitted: No (a person wrote this)\r\n", false},
      {"precedence list", "Precedence: list\r\n", false},
      {"precedence first-class", "Precedence: first-class\r\n", false},
      {"suppress request is not a marker", "X-Auto-Response-Suppress: All\r\n", false},
      {"subject out of office", "Subject: Out of office\r\n", false},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(auto_reply_marker(headers(row.fields)).has_value(), row.automatic) << row.name;
  }
  EXPECT_EQ(*auto_reply_marker(headers("Auto-Submitted: auto-replied\r\n")), "Auto-Submitted: auto-replied");
  EXPECT_EQ(*auto_reply_marker(headers("Precedence: bulk\r\n")), "Precedence: bulk");
}

TEST(WaitAutoReply, MarkerInTheBodyDoesNotCount) {
  EXPECT_FALSE(auto_reply_marker("From: bob@lab.test\r\n\r\nAuto-Submitted: auto-replied\r\n"));
}

}  // namespace
}  // namespace emailv2::actions
