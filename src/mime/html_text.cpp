#include "mime/html_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace emailv2::mime {
namespace {

// What the renderer needs to know about an element, looked up once per element from its lower-cased name.
enum TagFlag : unsigned {
  kBlock = 1u << 0,      // newline before and after
  kParagraph = 1u << 1,  // a blank line instead of a newline
  kSkipped = 1u << 2,    // neither rendered nor walked (script, style, …)
  kAnchor = 1u << 3,     // <a>: href is a link, " <href>" after its text
  kSrc = 1u << 4,        // src is a link
  kImage = 1u << 5,      // <img>: alt text, no children
  kBreak = 1u << 6,      // <br>
  kPre = 1u << 7,        // <pre>: whitespace kept
  kCell = 1u << 8,       // <td>, <th>: a space before
};

struct TagInfo {
  std::string_view name;
  unsigned flags;
};

constexpr TagInfo kTags[] = {
    {"a", kAnchor},
    {"address", kBlock},
    {"article", kBlock},
    {"aside", kBlock},
    {"blockquote", kBlock | kParagraph},
    {"body", kBlock},
    {"br", kBlock | kBreak},
    {"caption", kBlock},
    {"center", kBlock},
    {"dd", kBlock},
    {"div", kBlock},
    {"dl", kBlock},
    {"dt", kBlock},
    {"embed", kSrc},
    {"fieldset", kBlock},
    {"figure", kBlock},
    {"footer", kBlock},
    {"form", kBlock},
    {"frame", kSrc},
    {"h1", kBlock | kParagraph},
    {"h2", kBlock | kParagraph},
    {"h3", kBlock | kParagraph},
    {"h4", kBlock},
    {"h5", kBlock},
    {"h6", kBlock},
    {"head", kSkipped},
    {"header", kBlock},
    {"hr", kBlock},
    {"html", kBlock},
    {"iframe", kSrc},
    {"img", kSrc | kImage},
    {"li", kBlock},
    {"main", kBlock},
    {"nav", kBlock},
    {"noframes", kSkipped},
    {"ol", kBlock | kParagraph},
    {"p", kBlock | kParagraph},
    {"pre", kBlock | kParagraph | kPre},
    {"script", kSkipped},
    {"section", kBlock},
    {"source", kSrc},
    {"style", kSkipped},
    {"table", kBlock | kParagraph},
    {"tbody", kBlock},
    {"td", kCell},
    {"template", kSkipped},
    {"tfoot", kBlock},
    {"th", kCell},
    {"thead", kBlock},
    {"title", kSkipped},
    {"tr", kBlock},
    {"ul", kBlock | kParagraph},
};

static_assert(std::is_sorted(std::begin(kTags), std::end(kTags),
                             [](const TagInfo& a, const TagInfo& b) { return a.name < b.name; }));

// Flags of an element name, case-insensitively (binary search over kTags, sorted by name).
unsigned tag_flags(const xmlChar* name) {
  if (name == nullptr) return 0;
  char lower[16];
  std::size_t len = 0;
  for (const xmlChar* p = name; *p != 0; ++p) {
    if (len == sizeof lower) return 0;  // longer than every known tag
    const char c = static_cast<char>(*p);
    lower[len++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view key(lower, len);
  const auto it = std::lower_bound(std::begin(kTags), std::end(kTags), key,
                                   [](const TagInfo& t, std::string_view k) { return t.name < k; });
  return it != std::end(kTags) && it->name == key ? it->flags : 0;
}

std::string attr(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->name == nullptr || xmlStrcasecmp(a->name, reinterpret_cast<const xmlChar*>(name)) != 0) continue;
    xmlChar* v = xmlNodeListGetString(n->doc, a->children, 1);
    std::string out = v == nullptr ? std::string() : reinterpret_cast<const char*>(v);
    xmlFree(v);
    return out;
  }
  return {};
}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

// Off (`rendering` false), it writes nothing: a scan for links only walks the same tree without building text.
class Renderer {
 public:
  explicit Renderer(bool rendering) : rendering_(rendering) {}

  void text(std::string_view s, bool pre) {
    if (!rendering_) return;
    for (char c : s) {
      const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
      if (pre) {
        if (c != '\r') out_.push_back(c);
        pending_space_ = false;
      } else if (space) {
        pending_space_ = !out_.empty() && out_.back() != '\n';
      } else {
        if (pending_space_) out_.push_back(' ');
        pending_space_ = false;
        out_.push_back(c);
      }
    }
  }
  // Ends the current line; `lines` = 2 leaves a blank line (paragraphs).
  void newline(std::size_t lines = 1) {
    if (!rendering_) return;
    pending_space_ = false;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    while (newlines_at_end() < lines) out_.push_back('\n');
  }
  void hard_break() {
    if (!rendering_) return;
    pending_space_ = false;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    out_.push_back('\n');
  }
  std::size_t size() const { return out_.size(); }
  std::string_view since(std::size_t mark) const { return std::string_view(out_).substr(mark); }

  std::string finish() {
    std::string s;
    s.reserve(out_.size());
    std::size_t run = 0;
    for (char c : out_) {
      run = c == '\n' ? run + 1 : 0;
      if (run <= 2) s.push_back(c);
    }
    const std::size_t b = s.find_first_not_of(" \n");
    if (b == std::string::npos) return {};
    const std::size_t e = s.find_last_not_of(" \n");
    return s.substr(b, e - b + 1);
  }

 private:
  std::size_t newlines_at_end() const {
    std::size_t n = 0;
    for (auto it = out_.rbegin(); it != out_.rend() && *it == '\n' && n < 2; ++it) ++n;  // callers ask for ≤ 2
    return out_.empty() ? 2 : n;
  }
  bool rendering_;
  std::string out_;
  bool pending_space_ = false;
};

struct Frame {
  const xmlNode* node;
  bool exiting;
  std::size_t mark;    // output size when an <a> was entered
  unsigned flags = 0;  // TagFlag bits of an element (exiting frames)
};

}  // namespace

HtmlScan scan_html(std::string_view html, bool render_text) {
  HtmlScan scan;
  if (html.empty()) return scan;
  const int size = html.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())
                       ? std::numeric_limits<int>::max()
                       : static_cast<int>(html.size());
  const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
                      XML_PARSE_HUGE;
  std::unique_ptr<xmlDoc, DocFree> doc(htmlReadMemory(html.data(), size, nullptr, "UTF-8", options));
  if (!doc) return scan;
  Renderer r(render_text);
  std::vector<Frame> stack;
  for (const xmlNode* n = doc->children; n != nullptr; n = n->next) stack.push_back({n, false, 0});
  std::reverse(stack.begin(), stack.end());
  int pre_depth = 0;
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const xmlNode* n = f.node;
    if (f.exiting) {
      if ((f.flags & kPre) != 0) pre_depth -= 1;
      if ((f.flags & kAnchor) != 0) {
        const std::string href = attr(n, "href");
        if (!href.empty() && href.front() != '#' && std::string_view(r.since(f.mark)).find(href) == std::string::npos) {
          r.text(" <" + href + ">", true);
        }
      }
      if ((f.flags & kBlock) != 0) r.newline((f.flags & kParagraph) != 0 ? 2 : 1);
      continue;
    }
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content != nullptr) r.text(reinterpret_cast<const char*>(n->content), pre_depth > 0);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE && n->type != XML_HTML_DOCUMENT_NODE && n->type != XML_DOCUMENT_NODE) continue;
    unsigned flags = 0;
    if (n->type == XML_ELEMENT_NODE) {
      flags = tag_flags(n->name);
      if ((flags & kSkipped) != 0) continue;
      if ((flags & kAnchor) != 0) {
        if (std::string h = attr(n, "href"); !h.empty()) scan.links.push_back(std::move(h));
      }
      if ((flags & kSrc) != 0) {
        if (std::string s = attr(n, "src"); !s.empty()) scan.links.push_back(std::move(s));
      }
      if ((flags & kImage) != 0) {
        const std::string alt = attr(n, "alt");
        if (!alt.empty()) r.text(alt, false);
        continue;
      }
      if ((flags & kBreak) != 0) {
        r.hard_break();
        continue;
      }
      if ((flags & kBlock) != 0) r.newline((flags & kParagraph) != 0 ? 2 : 1);
      if ((flags & kPre) != 0) pre_depth += 1;
      if ((flags & kCell) != 0) r.text(" ", false);
    }
    stack.push_back({n, true, r.size(), flags});
    const std::size_t first = stack.size();
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) stack.push_back({c, false, 0});
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first), stack.end());
  }
  scan.text = r.finish();
  return scan;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace emailv2::mime
