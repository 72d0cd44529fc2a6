// Send Thread Reply end to end (CONTRACT §3.10): In-Reply-To, the References chain, `Re:` not doubled, Reply All
// recipients exactly (our own addresses removed in any case), read back from each recipient's INBOX.
#include <gtest/gtest.h>

#include "send_lab_support.h"

namespace emailv2::testing::send_lab {
namespace {

class ThreadReplyLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!lab_available()) GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
  }
  Lab lab_;
};

std::string header_value(const std::string& raw, const std::string& name) {
  const std::string h = header_section(raw);
  const auto pos = h.find("\r\n" + name + ": ");
  if (pos == std::string::npos) return "";
  const auto start = pos + 4 + name.size();
  std::string value;
  std::size_t end = start;
  for (;;) {  // unfold continuation lines
    const auto eol = h.find("\r\n", end);
    value += h.substr(end, eol - end);
    end = eol + 2;
    if (end >= h.size() || (h[end] != ' ' && h[end] != '\t')) break;
  }
  return value;
}

TEST_F(ThreadReplyLab, ReplyAllWithReferencesChain) {
  const std::string orig = unique_id("thread");
  const std::string subject = "RE: Suspicious login " + orig;
  append(4,
         "From: Bob <bob@lab.test>\r\nTo: SOC@LAB.TEST, Alice <alice@lab.test>\r\nCc: carol@lab.test, "
         "soc@lab.test\r\nReply-To: attacker@evil.test\r\nSubject: " +
             subject + "\r\nMessage-ID: <" + orig +
             ">\r\nIn-Reply-To: <parent@lab.test>\r\nReferences: <root@lab.test>\r\n <parent@lab.test>\r\n"
             "Date: Fri, 10 May 2024 10:00:00 +0000\r\n\r\nbody\r\n");
  const auto r = lab_.run({"send-thread-reply", "--message-id", "<" + orig + ">", "--content", "<p>On it.</p>"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto env = r.envelope();
  EXPECT_EQ(env["output_message"], "Successfully sent reply to the message with ID <" + orig + ">.");
  EXPECT_EQ(env["json_result"]["recipients"], "bob@lab.test,alice@lab.test,carol@lab.test");
  const std::string id = env["json_result"]["message_id"];
  for (int user : {1, 2, 3}) {
    SCOPED_TRACE("user " + std::to_string(user));
    const std::string raw = read_back(user, id);
    ASSERT_FALSE(raw.empty());
    EXPECT_EQ(header_value(raw, "In-Reply-To"), "<" + orig + ">");
    EXPECT_EQ(header_value(raw, "References"), "<root@lab.test> <parent@lab.test> <" + orig + ">");
    EXPECT_EQ(header_value(raw, "Subject"), subject);  // "RE:" already there: not doubled
    EXPECT_EQ(header_value(raw, "To"), "bob@lab.test, alice@lab.test, carol@lab.test");
    EXPECT_EQ(header_value(raw, "Cc"), "");
  }
  EXPECT_TRUE(absent(4, id));  // never to ourselves
}

TEST_F(ThreadReplyLab, ReplyToAndReAdded) {
  const std::string orig = unique_id("thread2");
  append(4, "From: bob@lab.test\r\nTo: soc@lab.test\r\nSubject: Alert " + orig + "\r\nMessage-ID: <" + orig +
                ">\r\nDate: Fri, 10 May 2024 10:00:00 +0000\r\n\r\nbody\r\n");
  const auto r = lab_.run(
      {"send-thread-reply", "--message-id", orig, "--content", "c", "--reply-all", "false", "--reply-to", address(3)});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string raw = read_back(3, r.envelope()["json_result"]["message_id"]);
  ASSERT_FALSE(raw.empty());
  EXPECT_EQ(header_value(raw, "Subject"), "Re: Alert " + orig);
  EXPECT_EQ(header_value(raw, "References"), "<" + orig + ">");
  EXPECT_EQ(header_value(raw, "To"), address(3));
}

TEST_F(ThreadReplyLab, OnlyOurselvesAndNotFound) {
  const std::string orig = unique_id("self");
  append(4, "From: soc@lab.test\r\nTo: Soc@Lab.Test\r\nSubject: self\r\nMessage-ID: <" + orig + ">\r\n\r\nx\r\n");
  const auto self = lab_.run({"send-thread-reply", "--message-id", orig, "--content", "c"});
  EXPECT_EQ(self.exit_code, 64) << self.out;
  EXPECT_EQ(self.envelope()["output_message"],
            "Error executing action \"Send Thread Reply\". Reason: if you want to send a reply only to your own email "
            "address, you need to work with \"Reply To\" parameter.");
  const auto nf = lab_.run({"send-thread-reply", "--message-id", "<" + unique_id("none") + ">", "--content", "c"});
  EXPECT_EQ(nf.exit_code, 1) << nf.out;
  EXPECT_EQ(nf.envelope()["output_message"].get<std::string>().rfind("Message with ID <", 0), 0u);
}

}  // namespace
}  // namespace emailv2::testing::send_lab
