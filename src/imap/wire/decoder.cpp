#include "imap/wire/decoder.h"

#include <cctype>

#include "core/text.h"

namespace emailv2::imap::wire {
namespace {

constexpr std::size_t kMaxLiteralDigits = 20;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Finds a literal marker "{n}" / "~{n}" ending the line [line_start, end). Returns its position and size.
// A marker with too many digits or overflowing 64 bits sets `overflow`.
bool literal_marker(std::string_view text, std::size_t line_start, std::size_t& marker_pos, std::uint64_t& size,
                    bool& overflow) {
  if (text.size() < line_start + 3 || text.back() != '}') return false;
  std::size_t i = text.size() - 1;
  std::size_t digits = 0;
  while (i > line_start && is_digit(text[i - 1])) {
    --i;
    ++digits;
  }
  if (digits == 0 || i == line_start || text[i - 1] != '{') return false;
  marker_pos = i - 1;
  if (digits > kMaxLiteralDigits) {
    overflow = true;
    return true;
  }
  std::uint64_t value = 0;
  for (std::size_t k = i; k < text.size() - 1; ++k) {
    const auto d = static_cast<std::uint64_t>(text[k] - '0');
    if (value > (UINT64_MAX - d) / 10) {
      overflow = true;
      return true;
    }
    value = value * 10 + d;
  }
  size = value;
  return true;
}

}  // namespace

Decoder::Decoder(DecoderOptions options) : options_(options) {}

bool Decoder::mid_response() const { return phase_ == Phase::kLiteral || !text_.empty() || pending_cr_; }

Status Decoder::finish() const {
  if (error_) return fail(*error_);
  if (phase_ == Phase::kLiteral) return fail(ErrorCode::kProtocolError, "IMAP literal shorter than declared");
  if (mid_response()) return fail(ErrorCode::kProtocolError, "IMAP response cut short");
  return ok();
}

DecodeState Decoder::set_error(Error error) {
  error_ = std::move(error);
  return DecodeState::kError;
}

DecodeState Decoder::protocol_error(std::string_view why) {
  return set_error(Error(ErrorCode::kProtocolError, "malformed IMAP response: " + std::string(why)));
}

Response Decoder::take_response() {
  Response r = std::move(*response_);
  response_.reset();
  return r;
}

DecodeState Decoder::feed(std::string_view input, std::size_t& consumed) {
  consumed = 0;
  if (error_) return DecodeState::kError;
  while (consumed < input.size()) {
    std::size_t used = 0;
    const DecodeState state = phase_ == Phase::kLine ? feed_line(input.substr(consumed), used)
                                                     : feed_literal(input.substr(consumed), used);
    consumed += used;
    if (state != DecodeState::kNeedMore) return state;
  }
  return DecodeState::kNeedMore;
}

DecodeState Decoder::feed_line(std::string_view input, std::size_t& consumed) {
  for (std::size_t i = 0; i < input.size(); ++i) {
    const char c = input[i];
    if (pending_cr_) {
      pending_cr_ = false;
      if (c != '\n') return protocol_error("bare CR");
    }
    if (c == '\r') {
      pending_cr_ = true;
      continue;
    }
    if (c == '\n') {
      consumed = i + 1;
      return end_of_line();
    }
    if (c == '\0') return protocol_error("NUL byte outside a literal");
    if (++held_ > options_.max_line_bytes) {
      return protocol_error("response line longer than " + std::to_string(options_.max_line_bytes) + " bytes");
    }
    text_.push_back(c);
  }
  consumed = input.size();
  return DecodeState::kNeedMore;
}

DecodeState Decoder::end_of_line() {
  std::size_t marker_pos = 0;
  std::uint64_t size = 0;
  bool overflow = false;
  if (literal_marker(text_, line_start_, marker_pos, size, overflow)) {
    if (overflow || size > options_.max_literal_bytes) {
      return protocol_error("literal larger than " + std::to_string(options_.max_literal_bytes) + " bytes");
    }
    return start_literal(size, marker_pos);
  }
  return complete();
}

DecodeState Decoder::start_literal(std::uint64_t size, std::size_t marker_pos) {
  std::uint32_t seq = 0;
  std::string item;
  const bool body = body_literal_item(text_, marker_pos, seq, item);
  route_ = !body ? Route::kInline : (sink_ ? Route::kSink : Route::kInlineBody);
  if (route_ == Route::kInline && held_ + size > options_.max_line_bytes) {
    return protocol_error("response longer than " + std::to_string(options_.max_line_bytes) + " bytes");
  }
  if (route_ == Route::kInline) held_ += static_cast<std::size_t>(size);
  text_.append("\r\n");
  literals_.push_back(FramedLiteral{text_.size(), size, route_ == Route::kSink});
  if (route_ == Route::kSink) {
    if (auto st = sink_->begin(seq, item, size); !st) return set_error(st.error());
  } else {
    text_.reserve(text_.size() + static_cast<std::size_t>(size));  // size was checked against a cap above
  }
  literal_left_ = size;
  phase_ = Phase::kLiteral;
  if (size == 0) {
    std::size_t none = 0;
    return feed_literal({}, none);
  }
  return DecodeState::kNeedMore;
}

DecodeState Decoder::feed_literal(std::string_view input, std::size_t& consumed) {
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, input.size()));
  const std::string_view chunk = input.substr(0, n);
  consumed = n;
  if (route_ == Route::kSink) {
    if (n > 0) {
      if (auto st = sink_->data(chunk); !st) return set_error(st.error());
    }
  } else {
    text_.append(chunk);
  }
  literal_left_ -= n;
  if (literal_left_ > 0) return DecodeState::kNeedMore;
  if (route_ == Route::kSink) {
    if (auto st = sink_->end(); !st) return set_error(st.error());
  }
  phase_ = Phase::kLine;
  line_start_ = text_.size();
  return DecodeState::kNeedMore;
}

DecodeState Decoder::complete() {
  auto parsed = parse_response(text_, literals_, options_.max_depth);
  text_.clear();
  literals_.clear();
  line_start_ = 0;
  held_ = 0;
  if (!parsed) return set_error(parsed.error());
  response_ = std::move(*parsed);
  return DecodeState::kDone;
}

bool body_literal_item(std::string_view text, std::size_t marker_pos, std::uint32_t& seq, std::string& item) {
  // "* <seq> FETCH (" prefix.
  if (text.size() < 2 || text[0] != '*' || text[1] != ' ') return false;
  std::size_t i = 2;
  std::uint64_t n = 0;
  const std::size_t digits_start = i;
  while (i < text.size() && is_digit(text[i]) && i - digits_start < 10) n = n * 10 + static_cast<std::uint64_t>(text[i++] - '0');
  if (i == digits_start || n == 0 || n > UINT32_MAX) return false;
  if (!text::istarts_with_ascii(text.substr(i), " FETCH (")) return false;
  // The item right before the marker: NAME[section]<origin> SP {n}
  std::size_t end = marker_pos;
  if (end > 0 && text[end - 1] == '~') --end;
  if (end == 0 || text[end - 1] != ' ') return false;
  --end;
  std::size_t j = end;
  if (j > 0 && text[j - 1] == '>') {
    while (j > 0 && text[j - 1] != '<') --j;
    if (j == 0) return false;
    --j;
  }
  if (j > 0 && text[j - 1] == ']') {
    while (j > 0 && text[j - 1] != '[') --j;
    if (j == 0) return false;
    --j;
  }
  std::size_t start = j;
  while (start > 0 && text[start - 1] != ' ' && text[start - 1] != '(') --start;
  const std::string name = text::to_lower_ascii(text.substr(start, j - start));
  const bool bracketed = j < end && text[j] == '[';
  const bool is_body = (bracketed && (name == "body" || name == "binary")) ||
                       (!bracketed && (name == "rfc822" || name == "rfc822.header" || name == "rfc822.text"));
  if (!is_body) return false;
  seq = static_cast<std::uint32_t>(n);
  item.clear();
  for (char c : text.substr(start, end - start)) item.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return true;
}

}  // namespace emailv2::imap::wire
