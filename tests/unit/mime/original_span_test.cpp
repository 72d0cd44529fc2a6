// original_span: the input bytes behind GMime's LF re-serialisation; and, through parse_message, attached mails
// byte-exact as RFC 2046 delimits them.
#include "mime/original_span.h"

#include <gtest/gtest.h>

#include <string>

#include "mime/digest.h"
#include "mime/parse_message.h"

namespace emailv2::mime {
namespace {

TEST(OriginalSpan, CrlfInputBehindLfOutput) {
  const std::string input = "xxFrom: a\r\nSubject: b\r\n\r\nbody\r\n";
  const auto span = original_span(input, 2, "From: a\nSubject: b\n\nbody\n");
  ASSERT_TRUE(span);
  EXPECT_EQ(*span, "From: a\r\nSubject: b\r\n\r\nbody\r\n");
  // LF input: the same bytes; mixed line ends: each kept as it was.
  EXPECT_EQ(original_span("From: a\n\nbody\n", 0, "From: a\n\nbody\n").value(), "From: a\n\nbody\n");
  EXPECT_EQ(original_span("From: a\r\n\nbody\r\n", 0, "From: a\n\nbody\n").value(), "From: a\r\n\nbody\r\n");
  // A lone CR is a byte like any other.
  EXPECT_EQ(original_span("a\rb\r\n", 0, "a\rb\n").value(), "a\rb\r\n");
}

TEST(OriginalSpan, AnyOtherDifferenceIsRefused) {
  EXPECT_FALSE(original_span("From: a\r\n\r\nbody\r\n", 0, "From:  a\n\nbody\n"));  // a byte GMime changed
  EXPECT_FALSE(original_span("From: a\r\n", 0, "From: a\n\nmore\n"));               // GMime wrote more than there is
  EXPECT_FALSE(original_span("abc", 4, "a"));                                       // start past the input
  EXPECT_FALSE(original_span("line\nnext", 0, "line\n\nnext"));  // a blank line not before a delimiter
}

TEST(OriginalSpan, BlankLineGmimeAddsBeforeADelimiterAndTheDelimitersLineBreak) {
  // "--in--" CRLF "--out" comes back from GMime as "--in--" LF LF "--out": accepted, the input kept as it is.
  const std::string input = "A: 1\r\n\r\n--in\r\nx\r\n--in--\r\n--out\r\ny\r\n";
  EXPECT_EQ(original_span(input, 0, "A: 1\n\n--in\nx\n--in--\n\n--out\ny\n").value(), input);
  // GMime ends the object with a line break; when a delimiter follows at once in the input, that line break is the
  // delimiter's (RFC 2046) and not part of the object.
  const std::string outer = "A: 1\r\n\r\nbody\r\n--b1--\r\n";
  EXPECT_EQ(original_span(outer, 0, "A: 1\n\nbody\n").value(), "A: 1\r\n\r\nbody");
  // A blank line before the delimiter is the object's last line: only the delimiter's own line break goes.
  const std::string blank = "A: 1\r\n\r\nbody\r\n\r\n--b1--\r\n";
  EXPECT_EQ(original_span(blank, 0, "A: 1\n\nbody\n\n").value(), "A: 1\r\n\r\nbody\r\n");
}

// A forwarded mail as it comes over IMAP (CRLF), its attached mail a multipart whose closing delimiter is followed at
// once by the outer one: the attachment is the part's bytes, byte for byte, and its digests are theirs.
TEST(OriginalSpan, AttachedMailIsByteExactAsRfc2046DelimitsIt) {
  const std::string inner =
      "From: x@evil.example\r\nSubject: inner\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
      "boundary=\"in\"\r\n"
      "\r\n--in\r\nContent-Type: text/plain\r\n\r\nclick here\r\n--in\r\nContent-Type: text/plain; name=a.txt\r\n"
      "Content-Disposition: attachment\r\n\r\nA\r\n--in--";
  const std::string raw =
      "From: soc@x.example\r\nSubject: Fwd: inner\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
      "boundary=\"out\"\r\n"
      "\r\n--out\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--out\r\nContent-Type: message/rfc822\r\n\r\n" +
      inner + "\r\n--out--\r\n";
  const Message msg = parse_message(raw);
  const Attachment* eml = nullptr;
  for (const Attachment& a : msg.attachments)
    if (a.is_email) eml = &a;
  ASSERT_NE(eml, nullptr);
  EXPECT_EQ(eml->data, inner);
  EXPECT_EQ(eml->sha256, sha256_hex(inner));
  ASSERT_EQ(msg.attached.size(), 1u);
  EXPECT_EQ(msg.attached[0].sha256, sha256_hex(inner));
  EXPECT_EQ(msg.attached[0].text_body, "click here");
}

}  // namespace
}  // namespace emailv2::mime
