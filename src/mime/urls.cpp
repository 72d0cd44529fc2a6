#include "mime/urls.h"

#include <re2/re2.h>

#include <unordered_set>

#include "core/limits.h"
#include "core/text.h"

namespace emailv2::mime {
namespace {

const re2::RE2& url_regex() {
  static const re2::RE2 re(R"((?i)((?:https?://|www\.)[a-z0-9\-._~:/?#\[\]@!$&'()*+,=%]+))");
  return re;
}

bool is_web_link(std::string_view link) {
  return text::istarts_with_ascii(link, "http://") || text::istarts_with_ascii(link, "https://") ||
         text::istarts_with_ascii(link, "www.");
}

}  // namespace

UrlList extract_urls(std::string_view body, const std::vector<std::string>& html_links) {
  UrlList out;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string url) {
    if (out.urls.size() >= limits::kUrlsPerMessage) {
      out.truncated = true;
      return false;
    }
    seen.insert(url);
    out.urls.push_back(std::move(url));
    return true;
  };
  re2::StringPiece input(body.data(), body.size());
  re2::StringPiece match;
  while (re2::RE2::FindAndConsume(&input, url_regex(), &match)) {
    if (match.find('@') != re2::StringPiece::npos) continue;
    if (!add(std::string(match.data(), match.size()))) return out;
  }
  for (const std::string& raw : html_links) {
    const std::string link(text::trim(raw));
    if (!is_web_link(link) || link.find_first_of(" \t\r\n") != std::string::npos || seen.count(link) != 0) continue;
    if (!add(link)) return out;
  }
  return out;
}

}  // namespace emailv2::mime
