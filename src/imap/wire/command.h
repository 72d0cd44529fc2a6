#pragma once
// The command encoder. A CommandBuilder appends arguments, choosing per string how it goes on the wire
// (CONTRACT §2.1 "IMAP strings"):
//  * printable ASCII -> quoted string, `\` and `"` escaped (also the empty string);
//  * anything with 8-bit bytes -> literal: `{n}` and wait for the server's `+` (synchronising), or `{n+}` without
//    waiting when the server advertised LITERAL+;
//  * CR, LF or NUL in any parameter -> PARAM_INVALID: such a value can never reach the wire.
// The first error is sticky and returned by build(). A Command keeps the bytes split at each synchronising literal,
// so the session can wait for `+` between segments, and a trace text in which secrets read `<redacted>` and
// literals over limits::kTraceLiteralBytes read `{N bytes}`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "imap/wire/uid_set.h"

namespace emailv2::imap::wire {

struct Command {
  std::string name;  // e.g. "UID FETCH": used in error texts (never the arguments)
  // Wire bytes without the tag. Every segment but the last ends with a synchronising literal marker "{n}\r\n";
  // the last ends with "\r\n". The session writes "<tag> " + segments[0], then waits for "+" before each next one.
  std::vector<std::string> segments;
  std::string trace;  // for the trace log: secrets and long literals replaced
};

class CommandBuilder {
 public:
  // name: the command words, e.g. "UID FETCH" (written as given). literal_plus: the server advertised LITERAL+.
  explicit CommandBuilder(std::string_view name, bool literal_plus = false);

  // Syntax the caller controls (atoms, flags, "(UID FLAGS)", "BODY.PEEK[]"): written as given after one space.
  // Rejected when it holds CR, LF, NUL or 8-bit bytes.
  CommandBuilder& raw(std::string_view syntax);
  // Like raw(), but the trace shows "<redacted>" (a SASL initial response).
  CommandBuilder& sensitive_raw(std::string_view syntax);
  CommandBuilder& number(std::uint64_t n);
  CommandBuilder& uid_set(const UidSet& set);  // PARAM_INVALID when empty
  // A user value as an astring: quoted or literal (see above).
  CommandBuilder& string(std::string_view value);
  // Message data (APPEND) always as a literal: CR and LF are allowed here because the length frames the bytes;
  // NUL is refused (PARAM_INVALID). The trace shows "{N bytes}" above limits::kTraceLiteralBytes.
  CommandBuilder& literal(std::string_view bytes);
  // Like string(), but the trace shows "<redacted>".
  CommandBuilder& secret(std::string_view value);
  // A folder name in UTF-8: INBOX in any case becomes "INBOX", others are modified-UTF-7 encoded, then string().
  CommandBuilder& mailbox(std::string_view utf8_name);

  Result<Command> build();

 private:
  void space();
  void append_string(std::string_view value, bool secret);
  void append_literal(std::string_view value, bool secret);
  void set_error(std::string detail);

  Command command_;
  bool literal_plus_;
  std::optional<Error> error_;
};

// Quoted form of a printable-ASCII value ("a\"b"); exposed for tests and the fuzzer.
std::string quote(std::string_view value);
// True when the value can be written as a quoted string (printable ASCII only).
bool quotable(std::string_view value);

}  // namespace emailv2::imap::wire
