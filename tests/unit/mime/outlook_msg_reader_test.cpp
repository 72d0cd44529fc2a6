// .msg reader: messages built with the CFB writer, covering each CONTRACT §4.2 property source and its fallbacks,
// embedded messages and their depth cap, and hostile containers.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "mime/outlook/code_page.h"
#include "mime/outlook/compound_writer.h"
#include "mime/outlook/msg_reader.h"

namespace emailv2::mime::outlook {
namespace {

std::string le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return s;
}
std::string le64(std::uint64_t v) { return le32(static_cast<std::uint32_t>(v)) + le32(static_cast<std::uint32_t>(v >> 32)); }

std::string substg(std::uint16_t id, std::uint16_t type) {
  char name[32];
  std::snprintf(name, sizeof name, "__substg1.0_%04X%04X", id, type);
  return name;
}

// Builds one storage of a .msg: fixed properties go to the property stream, variable ones to substg streams.
class StorageBuilder {
 public:
  explicit StorageBuilder(std::size_t header_size) : header_size_(header_size) {}
  StorageBuilder& unicode(std::uint16_t id, std::string_view utf8) {
    return stream(substg(id, 0x001F), utf8_to_utf16le(utf8));
  }
  StorageBuilder& string8(std::uint16_t id, std::string bytes) { return stream(substg(id, 0x001E), std::move(bytes)); }
  StorageBuilder& binary(std::uint16_t id, std::string bytes) { return stream(substg(id, 0x0102), std::move(bytes)); }
  StorageBuilder& int32(std::uint16_t id, std::uint32_t v) { return fixed(id, 0x0003, v); }
  StorageBuilder& systime_ms(std::uint16_t id, std::int64_t epoch_ms) {
    return fixed(id, 0x0040, static_cast<std::uint64_t>(epoch_ms + 11'644'473'600'000) * 10'000);
  }
  StorageBuilder& child(CfbNode node) {
    node_.children.push_back(std::move(node));
    return *this;
  }
  CfbNode build(std::string name) const {
    CfbNode out = node_;
    out.name = std::move(name);
    out.is_storage = true;
    out.children.push_back(CfbNode{"__properties_version1.0", false, std::string(header_size_, '\0') + props_, {}});
    return out;
  }

 private:
  StorageBuilder& stream(std::string name, std::string data) {
    node_.children.push_back(CfbNode{std::move(name), false, std::move(data), {}});
    return *this;
  }
  StorageBuilder& fixed(std::uint16_t id, std::uint16_t type, std::uint64_t value) {
    props_ += le32(static_cast<std::uint32_t>(id) << 16 | type) + le32(6) + le64(value);
    return *this;
  }
  std::size_t header_size_;
  std::string props_;
  CfbNode node_;
};

CfbNode recipient(int index, std::uint32_t type, std::string name, std::string smtp, std::string email) {
  StorageBuilder b(8);
  b.int32(0x0C15, type).unicode(0x3001, name);
  if (!smtp.empty()) b.unicode(0x39FE, smtp);
  if (!email.empty()) b.unicode(0x3003, email);
  char n[40];
  std::snprintf(n, sizeof n, "__recip_version1.0_#%08X", index);
  return b.build(n);
}

CfbNode file_attachment(int index, std::string name, std::string data, std::string mime, std::string cid) {
  StorageBuilder b(8);
  b.int32(0x3705, 1).unicode(0x3707, name).unicode(0x3704, "SHORT~1.TXT").binary(0x3701, std::move(data));
  if (!mime.empty()) b.unicode(0x370E, mime);
  if (!cid.empty()) b.unicode(0x3712, cid);
  char n[40];
  std::snprintf(n, sizeof n, "__attach_version1.0_#%08X", index);
  return b.build(n);
}

std::string write(const CfbNode& root) {
  auto bytes = write_compound_file(root);
  EXPECT_TRUE(bytes);
  return bytes.value_or("");
}

constexpr std::int64_t kSubmit = 1566814813000;  // 2019-08-26T10:20:13Z

TEST(MsgReader, ReadsEveryContractField) {
  StorageBuilder top(32);
  top.unicode(0x001A, "IPM.Note")
      .unicode(0x0037, "Re: Cool offer \xE2\x9C\x93")
      .unicode(0x5D01, "user@test.example")
      .unicode(0x0C1A, "Test User")
      .systime_ms(0x0039, kSubmit)
      .systime_ms(0x0E06, kSubmit + 5000)
      .unicode(0x1000, "Hi, body\r\n")
      .binary(0x1013, "<p>Hi \xC3\xA9</p>")
      .int32(0x3FDE, 65001)
      .unicode(0x1035, "<id@example.com>")
      .unicode(0x007D, "Received: x\r\nDate: Mon, 26 Aug 2019 03:20:13 -0700\r\nIn-Reply-To: <prev@x>\r\n\r\n")
      .child(recipient(0, 1, "One", "one@example.com", "/o=EX/cn=one"))
      .child(recipient(1, 1, "Two", "", "two@example.com"))
      .child(recipient(2, 2, "Copy", "cc@example.com", ""))
      .child(recipient(3, 3, "Blind", "bcc@example.com", ""))
      .child(file_attachment(0, "report final.pdf", "%PDF-1.4", "application/pdf", ""))
      .child(file_attachment(1, "image001.png", "PNG", "image/png", "image001.png@01D"));
  auto msg = read_msg(write(top.build("Root Entry")));
  ASSERT_TRUE(msg) << msg.error().to_string();
  EXPECT_EQ(msg->message_class, "IPM.Note");
  EXPECT_EQ(msg->subject, "Re: Cool offer \xE2\x9C\x93");
  EXPECT_EQ(msg->from_address, "user@test.example");
  EXPECT_EQ(msg->from_name, "Test User");
  EXPECT_EQ(recipient_addresses(*msg, RecipientKind::kTo), (std::vector<std::string>{"one@example.com", "two@example.com"}));
  EXPECT_EQ(recipient_addresses(*msg, RecipientKind::kCc), std::vector<std::string>{"cc@example.com"});
  EXPECT_EQ(recipient_addresses(*msg, RecipientKind::kBcc), std::vector<std::string>{"bcc@example.com"});
  EXPECT_EQ(msg->recipients[0].display_name, "One");
  ASSERT_TRUE(msg->date_ms);
  EXPECT_EQ(*msg->date_ms, kSubmit);  // PR_CLIENT_SUBMIT_TIME wins over the delivery time
  EXPECT_EQ(msg->text_body, "Hi, body\r\n");
  EXPECT_EQ(msg->html_body, "<p>Hi \xC3\xA9</p>");
  EXPECT_FALSE(msg->html_from_rtf);
  EXPECT_EQ(msg->message_id, "<id@example.com>");
  EXPECT_EQ(msg->header_date, "Mon, 26 Aug 2019 03:20:13 -0700");
  EXPECT_EQ(msg->in_reply_to, "<prev@x>");
  ASSERT_EQ(msg->attachments.size(), 2u);
  EXPECT_EQ(msg->attachments[0].name, "report final.pdf");  // long file name beats the 8.3 one
  EXPECT_EQ(msg->attachments[0].data, "%PDF-1.4");
  EXPECT_EQ(msg->attachments[0].mime_tag, "application/pdf");
  EXPECT_EQ(msg->attachments[1].content_id, "image001.png@01D");
  EXPECT_FALSE(msg->attachments[1].is_message);
  EXPECT_TRUE(msg->warnings.empty()) << msg->warnings.front();
}

TEST(MsgReader, FallbacksAreTakenAndReported) {
  StorageBuilder top(32);
  top.unicode(0x0037, "fallbacks")
      .unicode(0x0C1F, "/O=EXCHANGE/OU=GROUP/CN=RECIPIENTS/CN=USER")  // an Exchange DN, not SMTP
      .unicode(0x5D02, "rep@example.com")
      .systime_ms(0x0E06, kSubmit)
      .unicode(0x007D, "Message-ID: <hdr@example.com>\r\nFrom: X <x@example.com>\r\n\r\nbody")
      .child(recipient(0, 1, "Exchange only", "", "/O=EX/CN=ONE"));
  auto msg = read_msg(write(top.build("Root Entry")));
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->from_address, "rep@example.com");
  EXPECT_EQ(*msg->date_ms, kSubmit);
  EXPECT_EQ(msg->message_id, "<hdr@example.com>");
  EXPECT_EQ(msg->recipients[0].address, "/O=EX/CN=ONE");
  const std::string all = [&] {
    std::string s;
    for (const auto& w : msg->warnings) s += w + "\n";
    return s;
  }();
  EXPECT_NE(all.find("PR_SENT_REPRESENTING_SMTP_ADDRESS"), std::string::npos) << all;
  EXPECT_NE(all.find("PR_MESSAGE_DELIVERY_TIME"), std::string::npos) << all;
  EXPECT_NE(all.find("message_id from the transport headers"), std::string::npos) << all;
  EXPECT_NE(all.find("no SMTP address"), std::string::npos) << all;
  EXPECT_NE(all.find("windows-1252"), std::string::npos) << all;  // no code page property at all
}

TEST(MsgReader, SenderFromTransportHeadersWhenNoProperty) {
  StorageBuilder top(32);
  top.int32(0x3FFD, 1252).unicode(0x007D, "From: \"X, Y\" <xy@example.com>\r\n\r\n");
  auto msg = read_msg(write(top.build("Root Entry")));
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->from_address, "xy@example.com");
  EXPECT_FALSE(msg->date_ms);
}

TEST(MsgReader, String8UsesTheMessageCodePage) {
  StorageBuilder top(32);
  top.int32(0x3FFD, 1251).string8(0x0037, "\xCF\xF0\xE8\xE2\xE5\xF2").string8(0x1000, std::string("body\0", 5));
  auto msg = read_msg(write(top.build("Root Entry")));
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->code_page, 1251u);
  EXPECT_EQ(msg->subject, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
  EXPECT_EQ(msg->text_body, "body");  // trailing NUL dropped
}

TEST(MsgReader, HtmlFromCompressedRtfWhenThatIsAllThereIs) {
  const std::string rtf = "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag <p>}Hi{\\*\\htmltag </p>}}";
  std::string mela = le32(static_cast<std::uint32_t>(rtf.size() + 12)) + le32(static_cast<std::uint32_t>(rtf.size())) +
                     le32(0x414C454D) + le32(0) + rtf;
  StorageBuilder top(32);
  top.int32(0x3FFD, 1252).binary(0x1009, mela);
  auto msg = read_msg(write(top.build("Root Entry")));
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->html_body, "<p>Hi</p>");
  EXPECT_TRUE(msg->html_from_rtf);
  EXPECT_EQ(msg->rtf_body, rtf);
}

// A chain of `levels` embedded messages, each with subject "level N".
CfbNode embedded_chain(int level, int levels) {
  StorageBuilder b(level == 0 ? 32 : 24);
  b.int32(0x3FFD, 65001).unicode(0x0037, "level " + std::to_string(level));
  if (level < levels) {
    StorageBuilder att(8);
    att.int32(0x3705, 5);
    if (level == 0) att.unicode(0x3001, "Display name");
    att.child(embedded_chain(level + 1, levels));
    b.child(att.build("__attach_version1.0_#00000000"));
  }
  return b.build(level == 0 ? "Root Entry" : "__substg1.0_3701000D");
}

TEST(MsgReader, EmbeddedMessagesRecurseAndAreWrittenOutAsMsgFiles) {
  CfbNode root = embedded_chain(0, 2);
  root.children.push_back(CfbNode{"__nameid_version1.0", true, {}, {CfbNode{"__substg1.0_00020102", false, "guid", {}}}});
  auto msg = read_msg(write(root));
  ASSERT_TRUE(msg);
  ASSERT_EQ(msg->attachments.size(), 1u);
  const MsgAttachment& att = msg->attachments[0];
  EXPECT_TRUE(att.is_message);
  EXPECT_EQ(att.name, "Display name.msg");
  ASSERT_TRUE(att.message);
  EXPECT_EQ(att.message->subject, "level 1");
  ASSERT_EQ(att.message->attachments.size(), 1u);
  EXPECT_EQ(att.message->attachments[0].name, "level 2.msg");  // no display name: the subject
  // The written-out attachment is a standalone .msg with the same content.
  auto standalone = read_msg(att.data);
  ASSERT_TRUE(standalone) << standalone.error().to_string();
  EXPECT_EQ(standalone->subject, "level 1");
  EXPECT_EQ(standalone->attachments.at(0).message->subject, "level 2");
  EXPECT_FALSE(msg->truncated);
}

TEST(MsgReader, EmbeddedDepthIsCappedAtThree) {
  auto msg = read_msg(write(embedded_chain(0, 5)));
  ASSERT_TRUE(msg);
  const OutlookMessage* m = &*msg;
  int depth = 0;
  while (!m->attachments.empty() && m->attachments[0].message) {
    m = m->attachments[0].message.get();
    ++depth;
  }
  EXPECT_EQ(depth, 3);
  ASSERT_EQ(m->attachments.size(), 1u);
  EXPECT_TRUE(m->attachments[0].is_message);
  EXPECT_FALSE(m->attachments[0].data.empty());  // still an attachment with bytes
  EXPECT_TRUE(m->truncated);
}

TEST(MsgReader, WarningsAreCappedAndCounted) {
  StorageBuilder top(32);
  top.int32(0x3FFD, 1252).systime_ms(0x0039, kSubmit);
  for (int i = 0; i < 250; ++i) {
    StorageBuilder r(8);
    r.int32(0x0C15, 1);  // no name, no address: one warning each
    char n[40];
    std::snprintf(n, sizeof n, "__recip_version1.0_#%08X", i);
    top.child(r.build(n));
  }
  auto msg = read_msg(write(top.build("Root Entry")));
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->recipients.size(), 250u);
  ASSERT_EQ(msg->warnings.size(), 201u);
  EXPECT_EQ(msg->warnings.back(), "50 more .msg warnings dropped");
}

TEST(MsgReader, HostileFiles) {
  EXPECT_FALSE(read_msg(""));
  EXPECT_FALSE(read_msg("Return-Path: <x@y>\r\n\r\nnot a msg"));
  // A CFB with no properties at all still reads, with warnings.
  auto empty = read_msg(write(CfbNode{"Root Entry", true, {}, {}}));
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->warnings.empty());
  // Mutations and truncations of a full message never crash.
  const std::string original = write(embedded_chain(0, 3));
  for (std::size_t i = 0; i < original.size(); i += 5) {
    std::string bytes = original;
    bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
    (void)read_msg(bytes);
    (void)read_msg(std::string_view(original).substr(0, i));
  }
}

}  // namespace
}  // namespace emailv2::mime::outlook
