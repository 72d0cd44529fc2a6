#pragma once
// HTML → plain text with libxml2's HTML parser (CONTRACT §4.2): no network (HTML_PARSE_NONET), XML_PARSE_HUGE, and a
// non-recursive walker, so deep hostile markup is neither truncated nor a stack overflow. script/style removed;
// block elements and <br> → newline; entities decoded; <a href=U>T</a> → "T <U>"; <img> → its alt text.

#include <string>
#include <string_view>
#include <vector>

namespace emailv2::mime {

struct HtmlScan {
  std::string text;                // rendered text (UTF-8)
  std::vector<std::string> links;  // href and src attribute values, document order (never fetched)
};

// `html` must be UTF-8. Without `render_text` only the links are collected (text stays empty): for a mail whose
// text part is its body, the rendering would be thrown away.
HtmlScan scan_html(std::string_view html, bool render_text = true);

inline std::string html_to_text(std::string_view html) { return scan_html(html).text; }

// HTML-escapes &, <, >, " (for the forward block and text bodies rendered into HTML).
std::string html_escape(std::string_view text);

}  // namespace emailv2::mime
