#pragma once
// URL extraction for url_N (CONTRACT §4.2): the URL regex over `body` (matches holding '@' dropped, order of
// appearance, duplicates kept), then html href/src values not yet listed; at most limits::kUrlsPerMessage.

#include <string>
#include <string_view>
#include <vector>

namespace emailv2::mime {

struct UrlList {
  std::vector<std::string> urls;
  bool truncated = false;
};

// `html_links` are the href/src values of the html body in document order (HtmlScan::links). Only http(s)/www
// links are appended; data: and cid: values are not URLs.
UrlList extract_urls(std::string_view body, const std::vector<std::string>& html_links);

}  // namespace emailv2::mime
