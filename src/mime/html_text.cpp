#include "mime/html_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace emailv2::mime {
namespace {

constexpr const char* kBlockTags[] = {"p",      "div",     "br",    "li",      "tr",         "h1",    "h2",  "h3",
                                      "h4",     "h5",      "h6",    "table",   "ul",         "ol",    "pre", "hr",
                                      "section", "article", "header", "footer", "blockquote", "form",  "dl",  "dt",
                                      "dd",     "address", "center", "body",       "html",  "nav", "aside",
                                      "main",   "figure",  "fieldset", "tbody", "thead",     "tfoot", "caption"};
constexpr const char* kSkippedTags[] = {"script", "style", "template", "head", "title", "noframes"};

bool in_list(const xmlChar* name, const char* const* list, std::size_t n) {
  if (name == nullptr) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (xmlStrcasecmp(name, reinterpret_cast<const xmlChar*>(list[i])) == 0) return true;
  return false;
}

bool is_block(const xmlChar* name) { return in_list(name, kBlockTags, std::size(kBlockTags)); }
bool is_skipped(const xmlChar* name) { return in_list(name, kSkippedTags, std::size(kSkippedTags)); }
bool is_named(const xmlNode* n, const char* tag) {
  return n->name != nullptr && xmlStrcasecmp(n->name, reinterpret_cast<const xmlChar*>(tag)) == 0;
}

bool is_paragraph(const xmlNode* n) {
  return is_named(n, "p") || is_named(n, "table") || is_named(n, "ul") || is_named(n, "ol") ||
         is_named(n, "blockquote") || is_named(n, "pre") || is_named(n, "h1") || is_named(n, "h2") ||
         is_named(n, "h3");
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

class Renderer {
 public:
  void text(std::string_view s, bool pre) {
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
    pending_space_ = false;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    while (newlines_at_end() < lines) out_.push_back('\n');
  }
  void hard_break() {
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
  std::string out_;
  bool pending_space_ = false;
};

struct Frame {
  const xmlNode* node;
  bool exiting;
  std::size_t mark;  // output size when an <a> was entered
};

}  // namespace

HtmlScan scan_html(std::string_view html) {
  HtmlScan scan;
  if (html.empty()) return scan;
  const int size = html.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())
                       ? std::numeric_limits<int>::max()
                       : static_cast<int>(html.size());
  const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
                      XML_PARSE_HUGE;
  std::unique_ptr<xmlDoc, DocFree> doc(htmlReadMemory(html.data(), size, nullptr, "UTF-8", options));
  if (!doc) return scan;
  Renderer r;
  std::vector<Frame> stack;
  for (const xmlNode* n = doc->children; n != nullptr; n = n->next) stack.push_back({n, false, 0});
  std::reverse(stack.begin(), stack.end());
  int pre_depth = 0;
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const xmlNode* n = f.node;
    if (f.exiting) {
      if (is_named(n, "pre")) pre_depth -= 1;
      if (is_named(n, "a")) {
        const std::string href = attr(n, "href");
        if (!href.empty() && href.front() != '#' && std::string_view(r.since(f.mark)).find(href) == std::string::npos) {
          r.text(" <" + href + ">", true);
        }
      }
      if (is_block(n->name)) r.newline(is_paragraph(n) ? 2 : 1);
      continue;
    }
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content != nullptr) r.text(reinterpret_cast<const char*>(n->content), pre_depth > 0);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE && n->type != XML_HTML_DOCUMENT_NODE && n->type != XML_DOCUMENT_NODE) continue;
    if (n->type == XML_ELEMENT_NODE) {
      if (is_skipped(n->name)) continue;
      if (is_named(n, "a")) {
        if (std::string h = attr(n, "href"); !h.empty()) scan.links.push_back(std::move(h));
      }
      if (is_named(n, "img") || is_named(n, "iframe") || is_named(n, "frame") || is_named(n, "embed") ||
          is_named(n, "source")) {
        if (std::string s = attr(n, "src"); !s.empty()) scan.links.push_back(std::move(s));
      }
      if (is_named(n, "img")) {
        const std::string alt = attr(n, "alt");
        if (!alt.empty()) r.text(alt, false);
        continue;
      }
      if (is_named(n, "br")) {
        r.hard_break();
        continue;
      }
      if (is_block(n->name)) r.newline(is_paragraph(n) ? 2 : 1);
      if (is_named(n, "pre")) pre_depth += 1;
      if (is_named(n, "td") || is_named(n, "th")) r.text(" ", false);
    }
    stack.push_back({n, true, r.size()});
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
