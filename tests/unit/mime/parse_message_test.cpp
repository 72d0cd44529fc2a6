#include "mime/parse_message.h"

#include <gtest/gtest.h>

#include <random>

#include "core/limits.h"

namespace emailv2::mime {
namespace {

std::string nested_rfc822(int levels) {
  std::string m = "From: leaf@x\r\nSubject: leaf\r\n\r\nleaf body\r\n";
  for (int i = 0; i < levels; ++i)
    m = "From: l" + std::to_string(i) + "@x\r\nSubject: level " + std::to_string(i) +
        "\r\nContent-Type: message/rfc822\r\n\r\n" + m;
  return m;
}

std::size_t depth_of(const Message& m) {
  std::size_t d = 0;
  for (const Message& k : m.attached) d = std::max(d, 1 + depth_of(k));
  return d;
}

TEST(ParseMessage, HostileInputsNeverCrash) {
  for (const std::string& raw : {std::string(), std::string("\r\n\r\n"), std::string("\0\0\0", 3),
                                 std::string(100, '\n'), std::string("Content-Type: multipart/mixed\r\n\r\n--"),
                                 std::string("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x--")}) {
    const Message m = parse_message(raw);
    EXPECT_EQ(m.size, raw.size());
  }
  std::mt19937 rng(42);
  for (int i = 0; i < 200; ++i) {
    std::string raw(static_cast<std::size_t>(rng() % 2000), '\0');
    for (char& c : raw) c = static_cast<char>(rng());
    (void)parse_message("Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n" + raw);
  }
}

TEST(ParseMessage, AdjacentEncodedWordsAreAllDecoded) {
  // GMime 3.2.13 drops the second word; we decode headers ourselves.
  const Message m = parse_message("Subject: =?UTF-8?B?SGVsbG8g?= =?UTF-8?B?V29ybGQ=?=\r\n\r\nx");
  EXPECT_EQ(m.raw_subject, "Hello World");
}

TEST(ParseMessage, SinglePartBodies) {
  Message m = parse_message("Content-Type: text/plain\r\n\r\nplain\r\n");
  EXPECT_EQ(m.text_body, "plain\n");
  EXPECT_EQ(m.html_body, "");
  m = parse_message("Content-Type: text/html\r\n\r\n<p>rich <a href=\"http://u.example/\">link</a></p>");
  EXPECT_EQ(m.text_body, "");
  EXPECT_EQ(m.body, "rich link <http://u.example/>");
  ASSERT_EQ(m.urls.size(), 1u);
  EXPECT_EQ(m.urls[0], "http://u.example/");
}

TEST(ParseMessage, MimeDepthCapCrossedByOne) {
  std::string body = "leaf";
  for (std::size_t i = 0; i <= limits::kMimeDepth; ++i) {
    const std::string b = "b" + std::to_string(i);
    body = "Content-Type: multipart/mixed; boundary=" + b + "\r\n\r\n--" + b + "\r\n" + body + "\r\n--" + b + "--\r\n";
  }
  const Message m = parse_message("From: a@x\r\n" + body);
  EXPECT_TRUE(m.truncated);
  ASSERT_FALSE(m.attachments.empty());
}

TEST(ParseMessage, AttachedMailDepthCap) {
  const Message m = parse_message(nested_rfc822(5));
  EXPECT_EQ(depth_of(m), limits::kAttachedMailDepth);
  EXPECT_TRUE(m.attached.front().attached.front().attached.front().truncated);
  // Each attached mail's own attachments stay in its own object.
  EXPECT_EQ(m.attachments.size(), 1u);
  EXPECT_TRUE(m.attachments[0].is_email);
  EXPECT_EQ(m.attached[0].attachment_index, 1u);
}

TEST(ParseMessage, AttachedMailCountCap) {
  std::string raw = "Content-Type: multipart/mixed; boundary=z\r\n\r\n";
  for (std::size_t i = 0; i <= limits::kAttachedMailsPerMessage; ++i)
    raw += "--z\r\nContent-Type: message/rfc822\r\n\r\nSubject: n" + std::to_string(i) + "\r\n\r\nbody\r\n";
  raw += "--z--\r\n";
  const Message m = parse_message(raw);
  EXPECT_EQ(m.attachments.size(), limits::kAttachedMailsPerMessage + 1);
  EXPECT_EQ(m.attached.size(), limits::kAttachedMailsPerMessage);
  EXPECT_TRUE(m.truncated);
}

TEST(ParseMessage, HeaderSectionCap) {
  std::string raw = "Subject: big\r\n";
  while (raw.size() <= limits::kHeaderSectionBytes) raw += "X-Filler: " + std::string(1000, 'a') + "\r\n";
  raw += "From: late@x\r\n\r\nbody\r\n";
  const Message m = parse_message(raw);
  EXPECT_TRUE(m.truncated);
  EXPECT_EQ(m.raw_subject, "big");
  EXPECT_TRUE(m.from.empty());
  EXPECT_EQ(m.text_body, "body\n");
}

TEST(ParseMessage, DeterministicNamesForUnnamedParts) {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: application/zip\r\n\r\nPK\r\n"
      "--q\r\nContent-Type: message/rfc822\r\n\r\nSubject: s\r\n\r\nb\r\n--q--\r\n";
  const Message a = parse_message(raw);
  const Message b = parse_message(raw);
  ASSERT_EQ(a.attachments.size(), 2u);
  EXPECT_EQ(a.attachments[0].name, b.attachments[0].name);
  EXPECT_TRUE(a.attachments[0].name.starts_with("Undefined_"));
  EXPECT_TRUE(a.attachments[0].name.ends_with(".zip"));
  EXPECT_TRUE(a.attachments[1].name.ends_with(".eml"));
  EXPECT_NE(a.attachments[0].name, a.attachments[1].name);
}

TEST(ParseMessage, CalendarAttachmentYieldsOneMailPerEvent) {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nContent-Type: text/plain\r\n\r\nsee invite\r\n"
      "--c\r\nContent-Type: text/calendar; name=invite.ics\r\n\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:ev1\r\n"
      "SUMMARY:Meet\r\nORGANIZER:mailto:boss@x.example\r\nATTENDEE;CN=A:mailto:a@x.example\r\n"
      "DTSTART:20240501T120000Z\r\nDESCRIPTION:agenda\\nhttp://meet.example/1\r\nURL:http://cal.example/e\r\n"
      "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:ev2\r\nSUMMARY:Two\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n--c--\r\n";
  const Message m = parse_message(raw);
  ASSERT_EQ(m.attached.size(), 2u);
  const Message& e = m.attached[0];
  EXPECT_EQ(e.message_id, "<ev1>");
  EXPECT_EQ(e.raw_subject, "Meet");
  ASSERT_EQ(e.from.size(), 1u);
  EXPECT_EQ(e.from[0].address, "boss@x.example");
  EXPECT_EQ(e.date_ms, 1714564800000);
  EXPECT_EQ(e.urls, (std::vector<std::string>{"http://meet.example/1", "http://cal.example/e"}));
}

TEST(ParseMessage, HashesAreOfDecodedBytes) {
  const Message m = parse_message(
      "Content-Type: multipart/mixed; boundary=h\r\n\r\n--h\r\nContent-Type: application/octet-stream; name=a.bin\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nYWJj\r\n--h--\r\n");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].data, "abc");
  EXPECT_EQ(m.attachments[0].md5, "900150983cd24fb0d6963f7d28e17f72");
}

TEST(ParseMessage, NotACfbFileNamedMsgIsReadAsRfc822) {
  EXPECT_FALSE(looks_like_cfb("From: a@x\r\n\r\n"));
  const Message m = parse_mail_file("From: a@x\r\nSubject: s\r\n\r\nb");
  EXPECT_EQ(m.raw_subject, "s");
  const Message broken = parse_outlook_msg(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage", 15));
  EXPECT_TRUE(broken.parse_error.has_value());
}

}  // namespace
}  // namespace emailv2::mime
