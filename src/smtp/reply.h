#pragma once
// SMTP replies (RFC 5321 §4.2) and their pure, resumable parser.
//
// Contract:
//  * ReplyParser is fed bytes in any chunking (whole reply, one byte at a time, several replies at once) and never
//    touches a socket. feed() consumes bytes up to and including the last line of ONE reply and stops there, so
//    bytes of a following (pipelined) reply stay with the caller: `consumed` says how many were used.
//  * A reply line is `<code>[-| ]<text>CRLF` (or `<code>CRLF`); `-` continues, ` `/end ends. Bare LF ends a line too
//    (liberal); the CR before it is dropped. Codes are three digits, the first 2-5; every line of a
//    multi-line reply must carry the same code.
//  * Limits (core/limits.h): more than kSmtpReplyLines lines or kSmtpReplyBytes bytes (CRLFs included) in one reply
//    → PROTOCOL_ERROR, detected as soon as the limit is crossed, before buffering more.
//  * After Done, take() hands the reply out and the parser is ready for the next one. After Error the parser stays
//    in error (sticky); error() describes it; reset() starts over.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace emailv2::smtp {

// RFC 3463 enhanced status code "class.subject.detail", e.g. 5.7.8.
struct EnhancedStatus {
  int klass = 0;  // 2, 4 or 5
  int subject = 0;
  int detail = 0;
  std::string to_string() const;
  friend bool operator==(const EnhancedStatus&, const EnhancedStatus&) = default;
};

// Parses an enhanced status code at the start of a reply text ("5.7.8 Authentication failed"); it must be followed
// by a space or the end of the text. Subject and detail have 1-3 digits without leading zeros beyond "0".
std::optional<EnhancedStatus> parse_enhanced_status(std::string_view text);

struct Reply {
  int code = 0;                            // 200..599
  std::vector<std::string> lines;          // text of each line, after "<code>-" / "<code> ", without CRLF
  std::optional<EnhancedStatus> enhanced;  // from the first line, when present and its class matches the code

  bool is_positive() const { return code >= 200 && code < 300; }
  bool is_intermediate() const { return code >= 300 && code < 400; }
  bool is_transient_failure() const { return code >= 400 && code < 500; }
  bool is_permanent_failure() const { return code >= 500; }
  // Lines joined by a space, control characters removed and cut to the server-text limit: for error messages.
  std::string text() const;
  // "<code> <text>", as quoted in errors ("550 5.1.1 <x@y>: Recipient address rejected").
  std::string summary() const;
};

enum class ParseStatus { kNeedMore, kDone, kError };

struct FeedResult {
  ParseStatus status;
  std::size_t consumed;  // bytes of the input used by this call
};

class ReplyParser {
 public:
  FeedResult feed(std::string_view bytes);
  // The finished reply (valid after kDone); resets the parser for the next reply.
  Reply take();
  // The error (valid after kError): PROTOCOL_ERROR with a description of what was malformed or oversized.
  const Error& error() const { return error_; }
  void reset();

 private:
  ParseStatus finish_line();
  ParseStatus set_error(std::string detail);

  Reply reply_;
  std::string line_;  // current line without its terminator
  std::size_t reply_bytes_ = 0;
  bool done_ = false;
  bool failed_ = false;
  Error error_{ErrorCode::kProtocolError, ""};
};

}  // namespace emailv2::smtp
