#pragma once
// The IMAP response decoder: pure and resumable. It is fed bytes (never a socket) and returns Done when one whole
// response is decoded, NeedMore when it needs more bytes, or Error (sticky) for a malformed or oversized response.
//
// Framing: a response is a line ended by CRLF (a bare LF is accepted); a line ending in `{n}` (or `~{n}`) is
// followed by n literal bytes and the response continues after them.
//
// Literals:
//  * n is checked against max_literal_bytes before anything is allocated; `{4294967296}` or more digits than fit
//    is an error, never an allocation.
//  * A literal that is the value of a FETCH body item (BODY[...], BINARY[...], RFC822, RFC822.HEADER, RFC822.TEXT)
//    goes to the BodySink, when one is set, chunk by chunk as the bytes arrive: it is never accumulated here. The
//    decoded FetchSection then says `streamed` and carries only the size. Without a sink the bytes are kept in the
//    response (bounded by max_literal_bytes).
//  * Any other literal (a mailbox name, a header-field value...) is kept in the response and counts towards
//    max_line_bytes.
//
// Limits (each crossing -> kError with PROTOCOL_ERROR):
//  * max_line_bytes: the text of one response held in memory — its lines without CRLF plus non-body literals.
//  * max_literal_bytes: one literal (default: the default max message size + limits::kImapLiteralSlackBytes).
//  * max_depth: parenthesised list nesting.
//  * NUL outside a literal, a bare CR, bad syntax in a response we use.
// Responses we do not use (unknown untagged keywords) are decoded as ResponseKind::kOther, not errors.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/result.h"
#include "imap/wire/response.h"

namespace emailv2::imap::wire {

// Receives FETCH body literals as they arrive. begin() is called once the size has passed the cap check, then
// data() zero or more times with consecutive chunks, then end(). An error returned by any call stops the decoder
// with that error (e.g. IO_ERROR from a spool file).
class BodySink {
 public:
  virtual ~BodySink() = default;
  // seq: the message sequence number of the FETCH response; item: "BODY[]", "BODY[HEADER]", "RFC822.HEADER", ...
  virtual Status begin(std::uint32_t seq, std::string_view item, std::uint64_t size) = 0;
  virtual Status data(std::string_view chunk) = 0;
  virtual Status end() = 0;
};

struct DecoderOptions {
  std::size_t max_line_bytes = limits::kImapLineBytes;
  std::uint64_t max_literal_bytes = limits::kDefaultMaxMessageMiB * limits::kMiB + limits::kImapLiteralSlackBytes;
  std::size_t max_depth = limits::kImapNestingDepth;
};

// A literal inside a framed response text: its bytes follow its "{n}\r\n" marker at `offset` unless streamed.
struct FramedLiteral {
  std::size_t offset = 0;
  std::uint64_t size = 0;
  bool streamed = false;
};

enum class DecodeState { kDone, kNeedMore, kError };

class Decoder {
 public:
  explicit Decoder(DecoderOptions options = {});

  // nullptr: keep body literals in the response. The sink must outlive its use by this decoder.
  void set_body_sink(BodySink* sink) { sink_ = sink; }

  // Consumes bytes of `input` from the front and sets `consumed`. Stops right after a response completes
  // (kDone: take it with take_response(), then feed the rest), when the input is used up (kNeedMore), or on an
  // error (kError: error() says why; every later call returns kError).
  DecodeState feed(std::string_view input, std::size_t& consumed);
  Response take_response();
  const Error& error() const { return *error_; }

  // True between the first byte of a response and its end (so EOF now means a truncated response).
  bool mid_response() const;
  // Call at end of input: PROTOCOL_ERROR when a response (or a literal) was cut short, else ok.
  Status finish() const;

 private:
  enum class Phase { kLine, kLiteral };
  enum class Route { kInline, kInlineBody, kSink };

  DecodeState feed_line(std::string_view input, std::size_t& consumed);
  DecodeState feed_literal(std::string_view input, std::size_t& consumed);
  DecodeState end_of_line();
  DecodeState start_literal(std::uint64_t size, std::size_t marker_pos);
  DecodeState complete();
  DecodeState set_error(Error error);
  DecodeState protocol_error(std::string_view why);

  DecoderOptions options_;
  BodySink* sink_ = nullptr;
  Phase phase_ = Phase::kLine;
  std::string text_;           // the response so far: lines, literal markers and inline literal bytes
  std::size_t line_start_ = 0;  // where the current line starts in text_
  std::size_t held_ = 0;        // bytes counted against max_line_bytes
  bool pending_cr_ = false;
  std::vector<FramedLiteral> literals_;  // offset: where its bytes start in text_
  Route route_ = Route::kInline;
  std::uint64_t literal_left_ = 0;
  std::optional<Response> response_;
  std::optional<Error> error_;
};

// Decodes one complete response text as framed by Decoder (exposed for tests and the fuzzer).
Result<Response> parse_response(std::string_view text, const std::vector<FramedLiteral>& literals,
                                std::size_t max_depth);

// Which FETCH body item, if any, a literal starting at `marker_pos` of `text` is the value of. On success returns
// true with the message sequence number and the upper-cased item text ("BODY[HEADER]").
bool body_literal_item(std::string_view text, std::size_t marker_pos, std::uint32_t& seq, std::string& item);

}  // namespace emailv2::imap::wire
