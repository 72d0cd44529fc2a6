#include "mime/build_message.h"

#include <gtest/gtest.h>

#include "mime/compose.h"
#include "mime/date.h"
#include "mime/encoding.h"
#include "mime/parse_message.h"

namespace emailv2::mime {
namespace {

constexpr std::int64_t kNow = 1566814813000;  // Mon, 26 Aug 2019 10:20:13 +0000

BuildOptions opts() {
  BuildOptions o;
  o.now_ms = kNow;
  o.message_id_random = "0123456789abcdef0123456789abcdef";
  return o;
}

OutgoingMail sample() {
  OutgoingMail m;
  m.from_name = "Sécurité \"SOC\" Équipe";
  m.from_address = "soc@example.com";
  m.to = {"alice@example.com", "bob@example.org"};
  m.cc = {"carol@example.net"};
  m.bcc = {"hidden@example.com", "ALICE@example.com"};
  m.subject = "Réponse: 日本語の件名 — très long sujet qui doit être plié sur plusieurs lignes pour rester court";
  m.html = "<p>Bonjour <b>Zoë</b>,</p><p>voir <a href=\"https://x.example/a\">ici</a></p>"
           "<cstImage cid=\"logo1\" base64Image=\"R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\">"
           "<p>." + std::string(2000, 'x') + "</p>";
  OutgoingAttachment a;
  a.file_name = "rapport d'incident é.pdf";
  static constexpr char kPdfBytes[] = "%PDF-1.4\n\0\xFF binary";  // embedded NUL and 0xFF
  a.data = std::string(kPdfBytes, sizeof(kPdfBytes) - 1);
  m.attachments.push_back(a);
  OutgoingAttachment b;
  b.file_name = "rapport d'incident é.pdf";  // same name kept
  b.data = "second";
  m.attachments.push_back(b);
  m.in_reply_to = "<orig@example.com>";
  m.references = "<older@example.com> <orig@example.com>";
  return m;
}

TEST(BuildMessage, HeaderInjectionIsRejected) {
  const char* bad[] = {"a\r\nBcc: x@y", "a\nb", std::string("a\0b", 3).c_str()};
  for (const char* v : {bad[0], bad[1]}) {
    OutgoingMail m = sample();
    m.subject = v;
    auto r = build_message(m, opts());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::kParamInvalid);
    m = sample();
    m.from_name = v;
    EXPECT_FALSE(build_message(m, opts()));
    m = sample();
    m.to.push_back(std::string("x@y") + v);
    EXPECT_FALSE(build_message(m, opts()));
    m = sample();
    m.attachments[0].file_name = v;
    EXPECT_FALSE(build_message(m, opts()));
    m = sample();
    m.in_reply_to = v;
    EXPECT_FALSE(build_message(m, opts()));
  }
  OutgoingMail m = sample();
  m.subject = std::string("nul\0inside", 10);
  EXPECT_FALSE(build_message(m, opts()));
  m = sample();
  m.to.clear();
  m.cc.clear();
  m.bcc.clear();
  EXPECT_EQ(build_message(m, opts()).error().code(), ErrorCode::kParamMissing);
}

TEST(BuildMessage, WireFormRules) {
  auto r = build_message(sample(), opts());
  ASSERT_TRUE(r) << r.error().to_string();
  const std::string& s = r->bytes;
  // CRLF only, lines ≤ 998
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(s[i - 1], '\r') << "bare LF at " << i;
      EXPECT_LE(i - 1 - line_start, 998u);
      line_start = i + 1;
    }
  }
  const std::string headers = s.substr(0, s.find("\r\n\r\n"));
  EXPECT_EQ(headers.find("Bcc"), std::string::npos);
  EXPECT_EQ(s.find("hidden@example.com"), std::string::npos);
  // header order
  const std::vector<std::string> order{"Date:", "From:", "To:", "Cc:", "Subject:", "Message-ID:", "In-Reply-To:",
                                       "References:", "MIME-Version:"};
  std::size_t pos = 0;
  for (const std::string& h : order) {
    const std::size_t at = headers.find(h, pos);
    ASSERT_NE(at, std::string::npos) << h;
    pos = at;
  }
  EXPECT_NE(headers.find("Date: Mon, 26 Aug 2019 10:20:13 +0000"), std::string::npos);
  EXPECT_EQ(r->message_id, "<0123456789abcdef0123456789abcdef.1566814813@example.com>");
  EXPECT_NE(headers.find("From: =?UTF-8?B?"), std::string::npos);  // never inside quotes
  EXPECT_NE(s.find("filename*=UTF-8''rapport%20d%27incident%20%C3%A9.pdf"), std::string::npos);
  EXPECT_EQ(r->envelope_recipients,
            (std::vector<std::string>{"alice@example.com", "bob@example.org", "carol@example.net",
                                      "hidden@example.com"}));
  EXPECT_FALSE(r->needs_smtputf8);
}

TEST(BuildMessage, RoundTripWithNonAsciiInEveryField) {
  const OutgoingMail in = sample();
  auto r = build_message(in, opts());
  ASSERT_TRUE(r);
  const Message m = parse_message(r->bytes);
  EXPECT_TRUE(m.parse_warnings.empty()) << m.parse_warnings.front();
  ASSERT_EQ(m.from.size(), 1u);
  EXPECT_EQ(m.from[0].name, in.from_name);
  EXPECT_EQ(m.from[0].address, in.from_address);
  ASSERT_EQ(m.to.size(), 2u);
  EXPECT_EQ(m.to[1].address, "bob@example.org");
  ASSERT_EQ(m.cc.size(), 1u);
  EXPECT_TRUE(m.bcc.empty());
  EXPECT_EQ(m.raw_subject, in.subject);
  EXPECT_EQ(m.message_id, r->message_id);
  EXPECT_EQ(m.date_ms, kNow);
  EXPECT_EQ(m.in_reply_to, "<orig@example.com>");
  EXPECT_EQ(m.references, *in.references);
  EXPECT_TRUE(m.html_body == in.html);
  EXPECT_NE(m.text_body.find("Bonjour Zoë,"), std::string::npos);
  EXPECT_NE(m.text_body.find("ici <https://x.example/a>"), std::string::npos);
  ASSERT_EQ(m.attachments.size(), 3u);
  EXPECT_EQ(m.attachments[0].content_id, "logo1");
  EXPECT_EQ(m.attachments[0].content_type, "image/gif");
  EXPECT_EQ(m.attachments[1].name, in.attachments[0].file_name);
  EXPECT_EQ(m.attachments[1].data, in.attachments[0].data);
  EXPECT_EQ(m.attachments[2].name, in.attachments[1].file_name);
  EXPECT_EQ(m.attachments[2].data, "second");
}

TEST(BuildMessage, SingleChildContainersCollapse) {
  OutgoingMail m;
  m.from_address = "a@x.example";
  m.to = {"b@y.example"};
  m.subject = "plain";
  m.html = "<p>hi</p>";
  auto r = build_message(m, opts());
  ASSERT_TRUE(r);
  EXPECT_NE(r->bytes.find("Content-Type: multipart/alternative"), std::string::npos);
  EXPECT_EQ(r->bytes.find("multipart/mixed"), std::string::npos);
  EXPECT_EQ(r->bytes.find("multipart/related"), std::string::npos);
  EXPECT_NE(r->bytes.find("Subject: plain\r\n"), std::string::npos);
}

TEST(Compose, ForwardBlockAndThreadHeaders) {
  const Message orig = parse_message(
      "Message-ID: <orig@x>\r\nReferences: <a@x>\r\nDate: Mon, 26 Aug 2019 03:20:13 -0700\r\n"
      "From: Eve <eve@x.example>\r\nTo: Bob <bob@x.example>, c@x.example\r\nSubject: Hi <there>\r\n\r\nline1\r\nline2 & <b>\r\n");
  const std::string html = forward_html("FYI", orig);
  EXPECT_NE(html.find("FYI<br><br>---------- Forwarded message ----------<br>"), std::string::npos);
  EXPECT_NE(html.find("From: Eve &lt;eve@x.example&gt;<br>"), std::string::npos);
  EXPECT_NE(html.find("Date: Mon, Aug 26, 2019 at 3:20 AM -0700<br>"), std::string::npos);
  EXPECT_NE(html.find("Subject: Hi &lt;there&gt;<br>"), std::string::npos);
  EXPECT_NE(html.find("To: Bob &lt;bob@x.example&gt;, c@x.example<br>"), std::string::npos);
  EXPECT_NE(html.find("line1<br>\nline2 &amp; &lt;b&gt;<br>"), std::string::npos);
  const ThreadHeaders t = thread_headers(orig);
  EXPECT_EQ(t.in_reply_to, "<orig@x>");
  EXPECT_EQ(t.references, "<a@x> <orig@x>");
  EXPECT_EQ(reply_subject("RE: x"), "RE: x");
  EXPECT_EQ(reply_subject("Fwd: x"), "Re: Fwd: x");
}

TEST(Encoding, QuotedPrintable) {
  EXPECT_EQ(qp_encode("a=b\n.dot\nFrom x\ntrail \n"), "a=3Db\r\n=2Edot\r\n=46rom x\r\ntrail=20\r\n");
  const std::string long_line = qp_encode(std::string(200, 'a'));
  std::size_t start = 0;
  while (start < long_line.size()) {
    const std::size_t e = long_line.find("\r\n", start);
    EXPECT_LE(e - start, 76u);
    start = e + 2;
  }
  EXPECT_EQ(format_rfc5322_date(0, -210), "Wed, 31 Dec 1969 20:30:00 -0330");
}

}  // namespace
}  // namespace emailv2::mime
