#include "mime/header_text.h"

#include "core/text.h"

namespace emailv2::mime {

std::string unfold(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    if (c != '\r' && c != '\n') out.push_back(c);
  return std::string(text::trim(out));
}

std::optional<std::string> first_angle_token(std::string_view value) {
  const std::size_t open = value.find('<');
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t close = value.find('>', open + 1);
  if (close == std::string_view::npos) return std::nullopt;
  return unfold(value.substr(open, close - open + 1));
}

std::size_t skip_comment(std::string_view s, std::size_t pos, std::string* out, bool* closed) {
  if (closed != nullptr) *closed = false;
  std::size_t depth = 0;
  std::size_t i = pos;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      if (out != nullptr) out->push_back(s[i + 1]);
      ++i;
      continue;
    }
    if (c == '(') {
      if (depth++ > 0 && out != nullptr) out->push_back(c);
    } else if (c == ')') {
      if (--depth == 0) {
        if (closed != nullptr) *closed = true;
        return i + 1;
      }
      if (out != nullptr) out->push_back(c);
    } else if (out != nullptr) {
      out->push_back(c);
    }
  }
  return i;  // unterminated: the comment runs to the end
}

}  // namespace emailv2::mime
