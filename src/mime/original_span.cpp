#include "mime/original_span.h"

#include <cstring>

namespace emailv2::mime {

std::optional<std::string_view> original_span(std::string_view input, std::size_t start, std::string_view written) {
  if (start > input.size()) return std::nullopt;
  std::size_t in = start;
  std::size_t out = 0;
  while (out < written.size()) {
    // The run up to GMime's next LF must be in the input as it is.
    const void* lf = std::memchr(written.data() + out, '\n', written.size() - out);
    const std::size_t run_end =
        lf == nullptr ? written.size() : static_cast<std::size_t>(static_cast<const char*>(lf) - written.data());
    const std::size_t run = run_end - out;
    if (input.size() - in < run || std::memcmp(input.data() + in, written.data() + out, run) != 0) return std::nullopt;
    in += run;
    out = run_end;
    if (out == written.size()) break;
    // GMime's LF: an LF in the input, or a CRLF it shortened, or a blank line it put before a delimiter that
    // follows a closing one at once ("--inner--" CRLF "--outer" is written "--inner--" LF LF "--outer").
    if (in < input.size() && input[in] == '\n') {
      in += 1;
    } else if (input.size() - in >= 2 && input[in] == '\r' && input[in + 1] == '\n') {
      in += 2;
    } else if (in > start && input[in - 1] == '\n' && written.substr(out + 1, 2) == "--") {
      // nothing of the input is consumed
    } else {
      return std::nullopt;
    }
    out += 1;
  }
  // RFC 2046: the line break before a delimiter belongs to the delimiter. GMime ends the object with a line break; when
  // the input goes on with a delimiter right after it, that line break was the delimiter's, not the object's.
  if (input.substr(in, 2) == "--") {
    if (in - start >= 2 && input[in - 2] == '\r' && input[in - 1] == '\n') {
      in -= 2;
    } else if (in - start >= 1 && input[in - 1] == '\n') {
      in -= 1;
    }
  }
  return input.substr(start, in - start);
}

}  // namespace emailv2::mime
