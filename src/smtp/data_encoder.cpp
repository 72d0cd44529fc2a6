#include "smtp/data_encoder.h"

namespace emailv2::smtp {

void DataEncoder::encode(std::string_view chunk, std::string& out) {
  out.reserve(out.size() + chunk.size() + chunk.size() / 32 + 2);
  for (const char c : chunk) {
    if (c == '\n' && after_cr_) {
      after_cr_ = false;
      continue;
    }
    after_cr_ = false;
    if (c == '\r' || c == '\n') {
      out += "\r\n";
      at_line_start_ = true;
      after_cr_ = c == '\r';
      continue;
    }
    if (c == '.' && at_line_start_) out += '.';
    out += c;
    at_line_start_ = false;
  }
}

void DataEncoder::finish(std::string& out) {
  if (!at_line_start_) out += "\r\n";
  out += ".\r\n";
  at_line_start_ = true;
  after_cr_ = false;
}

std::string encode_data(std::string_view message) {
  DataEncoder encoder;
  std::string out;
  encoder.encode(message, out);
  encoder.finish(out);
  return out;
}

}  // namespace emailv2::smtp
