// Golden tests: every tests/data/mime/*.eml parses to exactly its .json Mail Object (CONTRACT §4.1).
// Regenerate after a reviewed change with EMAILV2_UPDATE_GOLDEN=1.
#include "mime/mail_object.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "mime/parse_message.h"
#include "support/test_env.h"

namespace emailv2::mime {
namespace {

namespace fs = std::filesystem;

MailContext fixed_context(std::string_view raw) {
  MailContext c;
  c.email_uid = "4711";
  c.folder = "Inbox";
  c.internaldate_ms = 1566814815000;
  c.received = "Mon, 26 Aug 2019 10:20:15 +0000";
  c.flags = {"\\Seen"};
  c.mailbox = "soc@example.com";
  c.raw = raw;
  return c;
}

std::string render(const fs::path& eml) {
  const std::string raw = testing::read_file(eml);
  const Message msg = parse_mail_file(raw);
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  const MailContext ctx = fixed_context(raw);
  out.push_back(mail_object(msg, ctx));
  for (const AttachedMail& am : attached_mails(msg)) {
    out.push_back(mail_object(*am.message, attached_context(ctx, *am.parent)));
  }
  return out.dump(2) + "\n";
}

TEST(MailObject, GoldenFixtures) {
  const fs::path dir = testing::source_dir() / "tests/data/mime";
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".eml") continue;
    ++n;
    fs::path golden = e.path();
    golden.replace_extension(".json");
    const std::string got = render(e.path());
    if (std::getenv("EMAILV2_UPDATE_GOLDEN") != nullptr) testing::write_file(golden, got);
    ASSERT_TRUE(fs::exists(golden)) << golden;
    EXPECT_EQ(got, testing::read_file(golden)) << e.path();
  }
  EXPECT_GE(n, 4u);
}

TEST(MailObject, KeyOrderIsStable) {
  const std::string raw = "From: a@x\r\nSubject: s\r\n\r\nbody\r\n";
  const Message msg = parse_message(raw);
  const auto j = mail_object(msg, fixed_context(raw));
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  const std::vector<std::string> want{
      "email_uid",   "folder",         "message_id",     "subject",       "raw_subject",
      "from",        "to",             "receivers",      "reply_to",      "reply_to_address",
      "date",        "received",       "start_time",     "end_time",      "managerReceiptTime",
      "name",        "event_name",     "event_type",     "vendor",        "device_product",
      "environment", "text_body",      "html_body",      "body",          "original_message",
      "original_message_id", "is_forward", "attachments", "size",          "sha256",
      "flags",       "over_limit",     "truncated",      "parse_warnings"};
  EXPECT_EQ(keys, want);
  EXPECT_EQ(j["to"], "Message Has No Recipients");
  EXPECT_EQ(j["start_time"], 1566814815000);  // no Date: INTERNALDATE, with a warning
  EXPECT_EQ(j["name"], "soc@example.com_1566814815000");
}

TEST(MailObject, NoDateNoInternaldateIsOne) {
  const Message msg = parse_message("Subject: x\r\n\r\n");
  MailContext c;
  const auto j = mail_object(msg, c);
  EXPECT_EQ(j["start_time"], 1);
  EXPECT_EQ(j["from"], "Message Has No Sender");
  EXPECT_EQ(j["original_message"], nullptr);
}

TEST(MailObject, OriginalMessageIsValidUtf8) {
  const std::string raw = "Subject: x\r\n\r\ncaf\xE9\r\n";
  const Message msg = parse_message(raw);
  MailContext c = fixed_context(raw);
  c.attach_original = true;
  const auto j = mail_object(msg, c);
  EXPECT_EQ(j["original_message"], "Subject: x\r\n\r\ncaf\xEF\xBF\xBD\r\n");
}

TEST(MailObject, ForwardedRegexNamedLikeACoreKeyIsPrefixed) {
  const std::string raw =
      "From: a@x\r\nTo: me@x\r\nSubject: Fwd: y\r\n\r\nFrom: Evil <evil@bad.example>\r\nTo: victim@x\r\n";
  const Message msg = parse_message(raw);
  const auto j = mail_object(msg, fixed_context(raw));
  EXPECT_EQ(j["forwarded_to"], "victim@x");
  EXPECT_EQ(j["from_list"], "evil@bad.example");
  EXPECT_EQ(j["to"], "victim@x");  // a forward's extracted original recipient (O)
  EXPECT_EQ(j["last_email_sender"], "evil@bad.example");
  EXPECT_EQ(j["last_email_recipient"], "victim@x");
}

}  // namespace
}  // namespace emailv2::mime
