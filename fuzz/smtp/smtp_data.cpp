// Fuzzes the DATA encoder: for any message and any chunking, the output is the same as encoding it whole, has only
// CRLF line ends, and contains the CRLF.CRLF terminator exactly once, at the end.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "smtp/data_encoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] % 16;  // the first byte chooses the chunk size
  const std::string_view message(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string whole = emailv2::smtp::encode_data(message);

  emailv2::smtp::DataEncoder encoder;
  std::string chunked;
  for (std::size_t pos = 0; pos < message.size(); pos += step) encoder.encode(message.substr(pos, step), chunked);
  encoder.finish(chunked);
  if (chunked != whole) std::abort();

  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (whole[i] == '\r' && (i + 1 >= whole.size() || whole[i + 1] != '\n')) std::abort();
    if (whole[i] == '\n' && (i == 0 || whole[i - 1] != '\r')) std::abort();
  }
  const std::string framed = "\r\n" + whole;
  if (framed.find("\r\n.\r\n") != framed.size() - 5) std::abort();
  return 0;
}
