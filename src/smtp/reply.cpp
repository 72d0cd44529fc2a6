#include "smtp/reply.h"

#include <string>

#include "core/limits.h"
#include "core/text.h"

namespace emailv2::smtp {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads 1-3 digits from `text` at `pos`; rejects leading zeros in multi-digit numbers (RFC 3463 grammar).
bool read_number(std::string_view text, std::size_t& pos, int& out) {
  const std::size_t start = pos;
  int value = 0;
  while (pos < text.size() && is_digit(text[pos]) && pos - start < 3) value = value * 10 + (text[pos++] - '0');
  if (pos == start) return false;
  if (pos < text.size() && is_digit(text[pos])) return false;
  if (pos - start > 1 && text[start] == '0') return false;
  out = value;
  return true;
}

}  // namespace

std::string EnhancedStatus::to_string() const {
  return std::to_string(klass) + "." + std::to_string(subject) + "." + std::to_string(detail);
}

std::optional<EnhancedStatus> parse_enhanced_status(std::string_view text) {
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') return std::nullopt;
  EnhancedStatus status;
  status.klass = text[0] - '0';
  std::size_t pos = 2;
  if (!read_number(text, pos, status.subject) || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  if (!read_number(text, pos, status.detail)) return std::nullopt;
  if (pos < text.size() && text[pos] != ' ') return std::nullopt;
  return status;
}

std::string Reply::text() const {
  std::string joined;
  for (const auto& line : lines) {
    if (!joined.empty() && !line.empty()) joined += ' ';
    joined += line;
  }
  return text::server_text(joined);
}

std::string Reply::summary() const {
  const std::string t = text();
  return t.empty() ? std::to_string(code) : std::to_string(code) + " " + t;
}

FeedResult ReplyParser::feed(std::string_view bytes) {
  if (failed_) return {ParseStatus::kError, 0};
  if (done_) return {ParseStatus::kDone, 0};
  std::size_t i = 0;
  while (i < bytes.size()) {
    const char c = bytes[i++];
    if (++reply_bytes_ > limits::kSmtpReplyBytes) {
      return {set_error("SMTP reply longer than " + std::to_string(limits::kSmtpReplyBytes) + " bytes"), i};
    }
    if (c != '\n') {
      line_ += c;
      continue;
    }
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    const ParseStatus status = finish_line();
    if (status != ParseStatus::kNeedMore) return {status, i};
  }
  return {ParseStatus::kNeedMore, i};
}

// One complete line: "<ddd>" / "<ddd> text" ends the reply, "<ddd>-text" continues it.
ParseStatus ReplyParser::finish_line() {
  if (reply_.lines.size() >= limits::kSmtpReplyLines) {
    return set_error("SMTP reply has more than " + std::to_string(limits::kSmtpReplyLines) + " lines");
  }
  const std::string_view line = line_;
  if (line.size() < 3 || line[0] < '2' || line[0] > '5' || !is_digit(line[1]) || !is_digit(line[2])) {
    return set_error("malformed SMTP reply line: " + text::server_text(line));
  }
  const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (line.size() > 3 && line[3] != ' ' && line[3] != '-') {
    return set_error("malformed SMTP reply line: " + text::server_text(line));
  }
  if (!reply_.lines.empty() && code != reply_.code) {
    return set_error("SMTP reply code changed from " + std::to_string(reply_.code) + " to " + std::to_string(code) +
                     " inside one reply");
  }
  reply_.code = code;
  const bool last = line.size() == 3 || line[3] == ' ';
  reply_.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view());
  line_.clear();
  if (!last) return ParseStatus::kNeedMore;
  const auto enhanced = parse_enhanced_status(reply_.lines.front());
  if (enhanced && enhanced->klass == code / 100) reply_.enhanced = enhanced;
  done_ = true;
  return ParseStatus::kDone;
}

ParseStatus ReplyParser::set_error(std::string detail) {
  failed_ = true;
  error_ = Error(ErrorCode::kProtocolError, std::move(detail));
  return ParseStatus::kError;
}

Reply ReplyParser::take() {
  Reply out = std::move(reply_);
  reset();
  return out;
}

void ReplyParser::reset() {
  reply_ = Reply{};
  line_.clear();
  reply_bytes_ = 0;
  done_ = false;
  failed_ = false;
  error_ = Error(ErrorCode::kProtocolError, "");
}

}  // namespace emailv2::smtp
