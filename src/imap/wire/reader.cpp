#include "imap/wire/reader.h"

#include <cctype>

namespace emailv2::imap::wire {
namespace {

bool is_ctl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
bool stops_atom(char c) {
  return c == ' ' || c == '(' || c == ')' || c == '{' || c == '"' || c == ']' || c == '[' || is_ctl(c);
}
bool stops_astring(char c) { return c == ' ' || c == '(' || c == ')' || c == '{' || c == '"' || is_ctl(c); }

}  // namespace

void Reader::fail(std::string_view why) {
  if (error_) return;
  error_ = true;
  why_ = std::string(why) + " at byte " + std::to_string(pos_);
  pos_ = text_.size();
}

bool Reader::accept(char c) {
  if (error_ || at_end() || text_[pos_] != c) return false;
  ++pos_;
  return true;
}

void Reader::expect(char c) {
  if (!accept(c)) fail(std::string("expected '") + c + "'");
}

bool Reader::accept_ci(std::string_view word) {
  if (error_ || text_.size() - pos_ < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text_[pos_ + i])) != std::toupper(static_cast<unsigned char>(word[i])))
      return false;
  }
  pos_ += word.size();
  return true;
}

std::string Reader::atom() {
  const std::size_t start = pos_;
  while (!at_end() && !stops_atom(text_[pos_])) ++pos_;
  if (pos_ == start) fail("expected an atom");
  return error_ ? std::string() : std::string(text_.substr(start, pos_ - start));
}

std::string Reader::upper_atom() {
  std::string a = atom();
  for (char& c : a) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return a;
}

std::uint64_t Reader::number64() {
  const std::size_t start = pos_;
  std::uint64_t value = 0;
  while (!at_end() && text_[pos_] >= '0' && text_[pos_] <= '9') {
    const auto d = static_cast<std::uint64_t>(text_[pos_] - '0');
    if (value > (UINT64_MAX - d) / 10) {
      fail("number too large");
      return 0;
    }
    value = value * 10 + d;
    ++pos_;
  }
  if (pos_ == start) fail("expected a number");
  return error_ ? 0 : value;
}

std::uint32_t Reader::number32() {
  const std::uint64_t v = number64();
  if (v > UINT32_MAX) {
    fail("number too large");
    return 0;
  }
  return static_cast<std::uint32_t>(v);
}

std::string Reader::quoted() {
  expect('"');
  std::string out;
  while (!error_) {
    if (at_end()) {
      fail("unterminated quoted string");
      break;
    }
    const char c = text_[pos_++];
    if (c == '"') return out;
    if (c == '\r' || c == '\n') {
      fail("line break in a quoted string");
      break;
    }
    if (c == '\\') {
      if (at_end()) continue;
      out.push_back(text_[pos_++]);
      continue;
    }
    out.push_back(c);
  }
  return {};
}

StringValue Reader::literal() {
  StringValue v;
  accept('~');
  expect('{');
  const std::uint64_t size = number64();
  expect('}');
  expect('\r');
  expect('\n');
  if (error_) return v;
  if (next_literal_ >= literals_->size() || (*literals_)[next_literal_].offset != pos_ ||
      (*literals_)[next_literal_].size != size) {
    fail("literal marker out of place");
    return v;
  }
  const FramedLiteral& lit = (*literals_)[next_literal_++];
  v.size = size;
  v.streamed = lit.streamed;
  if (!lit.streamed) {
    v.bytes.assign(text_.substr(pos_, static_cast<std::size_t>(size)));
    pos_ += static_cast<std::size_t>(size);
  }
  return v;
}

StringValue Reader::nstring() {
  if (accept_ci("NIL")) return StringValue{true, false, 0, {}};
  if (peek() == '"') {
    StringValue v;
    v.bytes = quoted();
    v.size = v.bytes.size();
    return v;
  }
  if (peek() == '{' || peek() == '~') return literal();
  fail("expected a string or NIL");
  return {};
}

std::string Reader::astring() {
  if (peek() == '"') return quoted();
  if (peek() == '{') {
    StringValue v = literal();
    if (v.streamed) fail("streamed literal where a string was expected");
    return std::move(v.bytes);
  }
  const std::size_t start = pos_;
  while (!at_end() && !stops_astring(text_[pos_])) ++pos_;
  if (pos_ == start) fail("expected a string");
  return error_ ? std::string() : std::string(text_.substr(start, pos_ - start));
}

std::string Reader::rest() {
  if (error_) return {};
  std::string out(text_.substr(pos_));
  pos_ = text_.size();
  return out;
}

std::string Reader::until(char c) {
  const std::size_t start = pos_;
  while (!at_end() && text_[pos_] != c) ++pos_;
  return error_ ? std::string() : std::string(text_.substr(start, pos_ - start));
}

bool Reader::enter() {
  if (error_) return false;
  if (++depth_ > max_depth_) {
    fail("lists nested deeper than " + std::to_string(max_depth_));
    return false;
  }
  return true;
}

void Reader::skip_value() {
  const char c = peek();
  if (c == '(') {
    list([this] { skip_value(); });
  } else if (c == '"') {
    quoted();
  } else if (c == '{' || c == '~') {
    literal();
  } else {
    // atom, number, NIL, or an item name with a [section] and <origin>
    const std::size_t start = pos_;
    while (!at_end() && !stops_astring(text_[pos_])) {
      if (text_[pos_] == '[') {
        until(']');
      }
      ++pos_;
    }
    if (pos_ == start) fail("expected a value");
  }
}

}  // namespace emailv2::imap::wire
