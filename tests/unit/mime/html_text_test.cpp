#include "mime/html_text.h"

#include <gtest/gtest.h>

#include <ctime>

namespace emailv2::mime {
namespace {

TEST(HtmlText, HostileRows) {
  EXPECT_EQ(html_to_text(""), "");
  EXPECT_NE(html_to_text("<<<<>>>>").find(">>>>"), std::string::npos);
  EXPECT_EQ(html_to_text("<script>alert(1)</script><style>p{}</style>ok"), "ok");
  EXPECT_EQ(html_to_text("<p>unclosed <b>bold"), "unclosed bold");
  // 100,000 nested divs: no stack overflow, and the text at the bottom survives (libxml2's default depth is 256)
  std::string deep;
  for (int i = 0; i < 100'000; ++i) deep += "<div>";
  deep += "bottom";
  const HtmlScan s = scan_html(deep);
  EXPECT_NE(s.text.find("bottom"), std::string::npos);
  // many <br> then many blocks: linear (the trailing-newline count is bounded)
  std::string brs;
  for (int i = 0; i < 100'000; ++i) brs += "<br>";
  for (int i = 0; i < 100'000; ++i) brs += "<p>x</p>";
  const auto t0 = std::clock();
  (void)html_to_text(brs);
  EXPECT_LT(static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC, 2.0);
  // remote resources are listed, never fetched
  const HtmlScan img = scan_html("<img src=\"http://tracker.example/x.gif\" alt=\"logo\">");
  EXPECT_EQ(img.text, "logo");
  ASSERT_EQ(img.links.size(), 1u);
  EXPECT_EQ(img.links[0], "http://tracker.example/x.gif");
}

TEST(HtmlText, Rendering) {
  struct Row {
    const char* in;
    const char* want;
  };
  const Row rows[] = {
      {"<p>Hi,</p><p>there</p>", "Hi,\n\nthere"},
      {"line1<br>line2<br/>line3", "line1\nline2\nline3"},
      {"<a href=\"https://x.example/a\">click</a>", "click <https://x.example/a>"},
      {"<a href=\"https://x.example/a\">https://x.example/a</a>", "https://x.example/a"},
      {"caf&eacute; &amp; &lt;tag&gt; &#x263A;", "caf\xC3\xA9 & <tag> \xE2\x98\xBA"},
      {"<html><head><title>T</title></head><body>  lots   of\n\n spaces </body></html>", "lots of spaces"},
      {"<ul><li>one</li><li>two</li></ul>", "one\ntwo"},
      {"<pre>  keep\n   this</pre>", "keep\n   this"},
  };
  for (const Row& r : rows) EXPECT_EQ(html_to_text(r.in), r.want) << r.in;
}

// The HTML handed in is already UTF-8 (decoded from its part's charset): a <meta charset> inside it must not make the
// parser decode it again.
TEST(HtmlText, MetaCharsetDoesNotReDecodeUtf8) {
  for (const char* meta : {"<meta charset=\"iso-8859-1\">", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">",
                           "<meta charset=\"shift_jis\">"}) {
    const std::string html = std::string("<html><head>") + meta + "</head><body><p>caf\xC3\xA9 \xE2\x82\xAC \xE6\x97\xA5</p></body></html>";
    EXPECT_EQ(html_to_text(html), "caf\xC3\xA9 \xE2\x82\xAC \xE6\x97\xA5") << meta;
  }
}

// Links only (the mail has a text part): the same links in the same order, no text rendered.
TEST(HtmlText, LinksOnlyScanFindsTheSameLinks) {
  for (const char* html : {"<p>a <a href=\"https://x.example/a\">x</a><img src=\"http://t.example/i.gif\" alt=\"logo\"></p>",
                           "<table><tr><td><a href=\"#top\">top</a></td><td><iframe src=\"https://f.example/\"></iframe></td></tr></table>",
                           "<script src=\"https://s.example/x.js\"></script><a href=https://y.example/b>b<br>c</a><pre> </pre>",
                           "<a href=\"data:image/png;base64,iVBORw0KGgo=\">d</a>"}) {
    const HtmlScan full = scan_html(html);
    const HtmlScan links = scan_html(html, false);
    EXPECT_EQ(links.links, full.links) << html;
    EXPECT_FALSE(full.links.empty()) << html;
    EXPECT_TRUE(links.text.empty()) << html;
  }
}

TEST(HtmlText, Escape) { EXPECT_EQ(html_escape("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"); }

}  // namespace
}  // namespace emailv2::mime
