#include "mime/outlook/transport_headers.h"

#include "core/text.h"

namespace emailv2::mime::outlook {

std::string header_field(std::string_view headers, std::string_view name) {
  std::size_t pos = 0;
  while (pos < headers.size()) {
    std::size_t end = headers.find('\n', pos);
    if (end == std::string_view::npos) end = headers.size();
    std::string_view line = headers.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    pos = end + 1;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || line[0] == ' ' || line[0] == '\t') continue;
    if (!text::iequals_ascii(text::trim(line.substr(0, colon)), name)) continue;
    std::string value(line.substr(colon + 1));
    // Continuation lines start with whitespace.
    while (pos < headers.size() && (headers[pos] == ' ' || headers[pos] == '\t')) {
      std::size_t next = headers.find('\n', pos);
      if (next == std::string_view::npos) next = headers.size();
      std::string_view more = headers.substr(pos, next - pos);
      if (!more.empty() && more.back() == '\r') more.remove_suffix(1);
      value += ' ';
      value += text::trim(more);
      pos = next + 1;
    }
    return std::string(text::trim(value));
  }
  return {};
}

std::string first_angle_token(std::string_view value) {
  const std::size_t open = value.find('<');
  if (open != std::string_view::npos) {
    const std::size_t close = value.find('>', open);
    if (close != std::string_view::npos) return std::string(value.substr(open, close - open + 1));
  }
  return std::string(text::trim(value));
}

}  // namespace emailv2::mime::outlook
