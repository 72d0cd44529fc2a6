#include "net/http_connect.h"

#include "core/text.h"

namespace emailv2::net {
namespace {

std::string authority(const Endpoint& target) {
  const bool ipv6 = target.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + target.host + "]" : target.host) + ":" + std::to_string(target.port);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string http_connect_request(const Endpoint& target, const std::string& username, const Secret& password) {
  const std::string where = authority(target);
  std::string out = "CONNECT " + where + " HTTP/1.1\r\nHost: " + where + "\r\n";
  if (!username.empty()) {
    out += "Proxy-Authorization: Basic " + text::base64_encode(username + ":" + password.reveal()) + "\r\n";
  }
  out += "\r\n";
  return out;
}

ParseStatus HttpConnectReplyParser::set_error(std::string why) {
  error_ = std::move(why);
  state_ = ParseStatus::kError;
  return state_;
}

// A complete line (without its LF and optional CR) is in line_.
ParseStatus HttpConnectReplyParser::end_line() {
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  if (status_line_.empty()) {
    // "HTTP/1.x SP 3DIGIT [SP reason]"
    if (line_.size() < 12 || line_.compare(0, 7, "HTTP/1.") != 0 || !is_digit(line_[7]) || line_[8] != ' ' ||
        !is_digit(line_[9]) || !is_digit(line_[10]) || !is_digit(line_[11]) ||
        (line_.size() > 12 && line_[12] != ' ')) {
      return set_error("malformed status line \"" + text::server_text(line_) + "\"");
    }
    status_line_ = line_;
    status_code_ = (line_[9] - '0') * 100 + (line_[10] - '0') * 10 + (line_[11] - '0');
  } else if (line_.empty()) {
    state_ = ParseStatus::kDone;
  }
  line_.clear();
  return state_;
}

ParseStatus HttpConnectReplyParser::feed(std::string_view bytes, std::size_t& consumed) {
  consumed = 0;
  while (state_ == ParseStatus::kNeedMore && consumed < bytes.size()) {
    const char c = bytes[consumed++];
    if (++total_ > kHttpConnectReplyMaxBytes) return set_error("reply header longer than 16 KiB");
    if (c == '\n') {
      end_line();
    } else if (status_line_.empty() && line_.empty() && c != 'H') {
      return set_error("not an HTTP reply");
    } else {
      line_ += c;
    }
  }
  return state_;
}

}  // namespace emailv2::net
