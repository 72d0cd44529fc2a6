#include "mime/encoding.h"

#include "core/text.h"

namespace emailv2::mime {
namespace {

constexpr std::size_t kQpLine = 76;
constexpr std::size_t kFoldTarget = 78;
constexpr std::size_t kHardLimit = 998;
constexpr char kHex[] = "0123456789ABCDEF";

std::string qp_byte(unsigned char b) { return {'=', kHex[b >> 4], kHex[b & 0xF]}; }

void qp_line(std::string_view line, std::string& out) {
  std::size_t col = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto b = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    std::string tok;
    if ((b == ' ' || b == '\t') && last) tok = qp_byte(b);
    else if (b == '.' && i == 0) tok = qp_byte(b);
    else if (b == 'F' && i == 0 && line.substr(0, 5) == "From ") tok = qp_byte(b);
    else if ((b >= 33 && b <= 126 && b != '=') || b == ' ' || b == '\t') tok = std::string(1, static_cast<char>(b));
    else tok = qp_byte(b);
    if (col + tok.size() > kQpLine - 1) {  // room for the soft break's '='
      out += "=\r\n";
      col = 0;
    }
    out += tok;
    col += tok.size();
  }
  out += "\r\n";
}

}  // namespace

std::string qp_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (nl == text.size() && line.empty() && pos > 0) break;  // text ended with a newline
    qp_line(line, out);
    pos = nl + 1;
  }
  return out;
}

std::string base64_lines(std::string_view bytes) {
  const std::string b64 = text::base64_encode(bytes);
  std::string out;
  out.reserve(b64.size() + b64.size() / 38 + 2);
  for (std::size_t i = 0; i < b64.size(); i += 76) {
    out.append(b64, i, 76);
    out += "\r\n";
  }
  return out;
}

std::string fold_header(std::string_view name, std::string_view value) {
  std::string out(name);
  out += ": ";
  std::size_t col = out.size();
  std::size_t pos = 0;
  bool first = true;
  while (pos < value.size()) {
    std::size_t sp = value.find(' ', pos + 1);
    if (sp == std::string_view::npos) sp = value.size();
    std::string_view word = value.substr(pos, sp - pos);  // includes its leading space, except the first
    if (!first && col + word.size() > kFoldTarget) {
      out += "\r\n";
      col = 0;
      if (word.front() != ' ') {
        out += ' ';
        ++col;
      }
    }
    // A single unbreakable run over the hard limit is split (rare: a huge token); soft limit ignored.
    while (col + word.size() > kHardLimit) {
      const std::size_t take = kHardLimit - col;
      out.append(word.substr(0, take));
      out += "\r\n ";
      col = 1;
      word.remove_prefix(take);
    }
    out.append(word);
    col += word.size();
    pos = sp;
    first = false;
  }
  out += "\r\n";
  return out;
}

}  // namespace emailv2::mime
