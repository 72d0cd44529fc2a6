#pragma once
// A cursor over one framed response text with a sticky error (after the first failure every read returns a
// neutral value and ok() stays false), so grammar code reads like RFC 3501's ABNF without a check per token.
// Internal to imap/wire.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imap/wire/decoder.h"

namespace emailv2::imap::wire {

// One string value: the bytes, or a streamed literal (size only).
struct StringValue {
  bool nil = false;
  bool streamed = false;
  std::uint64_t size = 0;
  std::string bytes;
};

class Reader {
 public:
  Reader(std::string_view text, const std::vector<FramedLiteral>& literals, std::size_t max_depth)
      : text_(text), literals_(&literals), max_depth_(max_depth) {}

  bool ok() const { return !error_; }
  const std::string& error() const { return why_; }
  void fail(std::string_view why);
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool accept(char c);            // consumes c when it is next
  void expect(char c);            // consumes c or fails
  void sp() { expect(' '); }
  bool accept_ci(std::string_view word);  // consumes word (ASCII case-insensitive) when it is next

  std::string atom();              // 1*ATOM-CHAR, also accepting ']' (liberal) and '\' (flags)
  std::string upper_atom();        // atom(), upper-cased
  std::uint32_t number32();        // number fitting 32 bits
  std::uint64_t number64();
  std::string quoted();            // "..." with \" and \\ escapes
  StringValue literal();           // {n}CRLF bytes (or ~{n})
  StringValue nstring();           // NIL / quoted / literal
  std::string astring();           // atom / quoted / literal (kept in memory)
  std::string rest();              // everything up to the end of the text
  std::string until(char c);       // bytes up to (not including) c

  // A parenthesised list: calls item() for each element until ')'. Checks the nesting depth.
  template <typename F>
  void list(F&& item) {
    expect('(');
    if (!enter()) return;
    bool first = true;
    while (ok() && !accept(')')) {
      if (!first) sp();
      first = false;
      if (!ok()) break;
      item();
      if (at_end()) fail("unterminated list");
    }
    leave();
  }
  // Skips one value of any shape (atom, number, string, NIL, nested lists), for data we do not use.
  void skip_value();

 private:
  bool enter();
  void leave() { --depth_; }

  std::string_view text_;
  const std::vector<FramedLiteral>* literals_;
  std::size_t max_depth_;
  std::size_t pos_ = 0;
  std::size_t next_literal_ = 0;
  std::size_t depth_ = 0;
  bool error_ = false;
  std::string why_;
};

}  // namespace emailv2::imap::wire
