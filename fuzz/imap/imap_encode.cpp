// Fuzzes the command encoder. Invariants: mUTF-7 encode -> decode is the identity on valid UTF-8; no parameter can
// put a CR, LF or NUL on the wire (the only line breaks are command ends and literal markers); a quoted string
// reads back, through the response reader, as the value it encodes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "imap/wire/command.h"
#include "imap/wire/mutf7.h"
#include "imap/wire/reader.h"

namespace {

using namespace emailv2::imap::wire;

// Removes the allowed line breaks ("}\r\n" literal markers and the final "\r\n") and the literal bytes' own
// contents are checked by the caller; returns false when any other CR, LF or NUL is left.
bool clean_segment(const std::string& segment, bool last) {
  std::string_view s = segment;
  if (last) {
    if (s.size() < 2 || s.substr(s.size() - 2) != "\r\n") return false;
    s.remove_suffix(2);
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n' && i > 0 && s[i - 1] == '}') {
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  if (auto encoded = mutf7_encode(input)) {
    auto decoded = mutf7_decode(*encoded);
    if (!decoded || *decoded != input) std::abort();
  }
  if (auto decoded = mutf7_decode(input)) {
    auto again = mutf7_encode(*decoded);
    if (!again || mutf7_decode(*again) != decoded) std::abort();
  }

  for (bool literal_plus : {false, true}) {
    CommandBuilder b("SELECT", literal_plus);
    b.string(input).mailbox(input).secret(input);
    auto command = b.build();
    if (!command) continue;
    for (std::size_t i = 0; i < command->segments.size(); ++i) {
      if (!clean_segment(command->segments[i], i + 1 == command->segments.size())) std::abort();
    }
    if (command->trace.find('\r') != std::string::npos || command->trace.find('\n') != std::string::npos) {
      std::abort();
    }
  }

  if (quotable(input)) {
    const std::string q = quote(input);
    const std::vector<FramedLiteral> none;
    Reader r(q, none, 4);
    if (r.quoted() != input || !r.ok() || !r.at_end()) std::abort();
  }
  return 0;
}
