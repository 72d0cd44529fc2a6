#pragma once
// Helpers for decoder tests: feed a whole input (or one byte at a time) and collect every response, the error and
// what a recording BodySink received.

#include <string>
#include <vector>

#include "imap/wire/decoder.h"

namespace emailv2::imap::wire::testing {

struct RecordingSink final : BodySink {
  struct Body {
    std::uint32_t seq = 0;
    std::string item;
    std::uint64_t declared = 0;
    std::string bytes;
    std::size_t chunks = 0;
    bool ended = false;
  };
  std::vector<Body> bodies;
  Status begin(std::uint32_t seq, std::string_view item, std::uint64_t size) override {
    bodies.push_back(Body{seq, std::string(item), size, {}, 0, false});
    return ok();
  }
  Status data(std::string_view chunk) override {
    bodies.back().bytes.append(chunk);
    ++bodies.back().chunks;
    return ok();
  }
  Status end() override {
    bodies.back().ended = true;
    return ok();
  }
};

enum class Feeding { kWhole, kByteByByte };

struct Decoded {
  std::vector<Response> responses;
  DecodeState last = DecodeState::kNeedMore;
  std::string error;      // error().to_string() when kError
  bool finish_ok = true;  // Decoder::finish() at end of input
};

inline Decoded decode_all(std::string_view input, Feeding feeding, DecoderOptions options = {},
                          BodySink* sink = nullptr) {
  Decoder decoder(options);
  decoder.set_body_sink(sink);
  Decoded out;
  const std::size_t step = feeding == Feeding::kWhole ? input.size() : 1;
  std::size_t pos = 0;
  while (pos < input.size()) {
    std::string_view chunk = input.substr(pos, step);
    pos += chunk.size();
    while (!chunk.empty()) {
      std::size_t used = 0;
      out.last = decoder.feed(chunk, used);
      chunk.remove_prefix(used);
      if (out.last == DecodeState::kDone) out.responses.push_back(decoder.take_response());
      if (out.last == DecodeState::kError) {
        out.error = decoder.error().to_string();
        out.finish_ok = false;
        return out;
      }
    }
  }
  out.finish_ok = static_cast<bool>(decoder.finish());
  return out;
}

}  // namespace emailv2::imap::wire::testing
