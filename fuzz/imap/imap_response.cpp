// Fuzzes the IMAP response decoder. Invariants: no crash, no hang; feeding the same bytes whole or in small
// chunks gives the same responses and the same outcome; a body sink receives exactly the declared bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "imap/wire/decoder.h"

namespace {

using namespace emailv2::imap::wire;

struct CheckingSink final : BodySink {
  std::uint64_t declared = 0;
  std::uint64_t received = 0;
  bool open = false;
  emailv2::Status begin(std::uint32_t seq, std::string_view item, std::uint64_t size) override {
    if (open || seq == 0 || item.empty()) std::abort();
    open = true;
    declared = size;
    received = 0;
    return emailv2::ok();
  }
  emailv2::Status data(std::string_view chunk) override {
    if (!open) std::abort();
    received += chunk.size();
    if (received > declared) std::abort();
    return emailv2::ok();
  }
  emailv2::Status end() override {
    if (!open || received != declared) std::abort();
    open = false;
    return emailv2::ok();
  }
};

struct Outcome {
  std::size_t responses = 0;
  std::size_t fetch_sections = 0;
  bool error = false;
  bool finished = false;
};

Outcome run(std::string_view input, std::size_t step, bool with_sink) {
  DecoderOptions options;
  options.max_line_bytes = 4096;
  options.max_literal_bytes = 65536;
  Decoder decoder(options);
  CheckingSink sink;
  if (with_sink) decoder.set_body_sink(&sink);
  Outcome out;
  for (std::size_t pos = 0; pos < input.size() && !out.error; pos += step) {
    std::string_view chunk = input.substr(pos, step);
    while (!chunk.empty()) {
      std::size_t used = 0;
      const DecodeState s = decoder.feed(chunk, used);
      if (used > chunk.size()) std::abort();
      chunk.remove_prefix(used);
      if (s == DecodeState::kError) {
        out.error = true;
        break;
      }
      if (s == DecodeState::kDone) {
        ++out.responses;
        out.fetch_sections += decoder.take_response().fetch.sections.size();
      }
    }
  }
  out.finished = !out.error && static_cast<bool>(decoder.finish());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Outcome whole = run(input, input.size() + 1, false);
  const Outcome chunked = run(input, 7, true);
  const Outcome bytes = run(input, 1, false);
  if (whole.responses != bytes.responses || whole.error != bytes.error || whole.finished != bytes.finished) {
    std::abort();
  }
  if (whole.fetch_sections != bytes.fetch_sections) std::abort();
  // With a sink, big literals no longer count towards the line limit, so only "no crash" and the sink checks hold.
  (void)chunked;
  return 0;
}
