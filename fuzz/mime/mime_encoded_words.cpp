// Fuzzes the RFC 2047 decoder and the charset layer: any bytes decode to valid UTF-8, and encoding round-trips.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mime/charset.h"
#include "mime/encoded_words.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> warnings;
  const std::string out = emailv2::mime::decode_encoded_words(in, warnings);
  if (!emailv2::mime::is_valid_utf8(out)) std::abort();
  const std::string label = in.substr(0, in.find('\n'));
  if (!emailv2::mime::is_valid_utf8(emailv2::mime::to_utf8(in, label, warnings, "fuzz"))) std::abort();
  if (emailv2::mime::is_valid_utf8(in)) {
    std::vector<std::string> w2;
    if (emailv2::mime::decode_encoded_words(emailv2::mime::encode_words(in), w2) != in) std::abort();
  }
  return 0;
}
