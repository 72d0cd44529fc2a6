#pragma once
// The streaming encoder for the DATA phase (RFC 5321 §4.5.2): line ends normalised to CRLF (bare CR and bare LF each
// become CRLF, CRLF stays one CRLF), a `.` at the start of a line doubled, and the `CRLF.CRLF` terminator.
//
// Pure and chunk-agnostic: encode() may be called with any split of the message (a CR at the end of one chunk and
// its LF at the start of the next, a `.` alone in a chunk after a line end) and the output is byte-identical to
// encoding the whole message at once.

#include <string>
#include <string_view>

namespace emailv2::smtp {

class DataEncoder {
 public:
  // Appends the encoded form of `chunk` to `out`.
  void encode(std::string_view chunk, std::string& out);
  // Appends the terminator: CRLF first when the message did not end with a line end, then ".\r\n". The encoder is
  // then ready for a new message.
  void finish(std::string& out);

 private:
  bool at_line_start_ = true;
  bool after_cr_ = false;  // the last byte was a CR, already written as CRLF: an LF right after it is swallowed
};

// Convenience: the whole encoded message including the terminator.
std::string encode_data(std::string_view message);

}  // namespace emailv2::smtp
