// Fuzzes the SMTP reply parser: any bytes, parsed as a stream of replies whole and one byte at a time, must give
// the same replies, respect the limits, and yield extensions and error texts free of control characters.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/text.h"
#include "smtp/extensions.h"
#include "smtp/reply.h"

namespace {

using emailv2::smtp::ParseStatus;
using emailv2::smtp::Reply;
using emailv2::smtp::ReplyParser;

struct Stream {
  std::vector<Reply> replies;
  bool failed = false;
  std::size_t consumed = 0;
};

void check(const Reply& r) {
  if (r.code < 200 || r.code > 599 || r.lines.empty()) std::abort();
  if (r.lines.size() > emailv2::limits::kSmtpReplyLines) std::abort();
  if (emailv2::text::has_line_breaks_or_nul(r.summary())) std::abort();
  if (r.enhanced && r.enhanced->klass != r.code / 100) std::abort();
  const auto ext = emailv2::smtp::Extensions::from_ehlo(r);
  for (const auto& line : ext.lines()) {
    if (emailv2::text::has_line_breaks_or_nul(line)) std::abort();
  }
}

// chunk == 0: everything at once; else pieces of `chunk` bytes.
Stream parse(std::string_view in, std::size_t chunk) {
  Stream s;
  ReplyParser parser;
  std::string_view rest = in;
  while (!rest.empty() && !s.failed) {
    const std::string_view piece = chunk == 0 ? rest : rest.substr(0, chunk);
    const auto r = parser.feed(piece);
    if (r.consumed > piece.size()) std::abort();
    rest.remove_prefix(r.consumed);
    s.consumed += r.consumed;
    if (r.status == ParseStatus::kDone) {
      s.replies.push_back(parser.take());
      check(s.replies.back());
    } else if (r.status == ParseStatus::kError) {
      if (parser.error().code() != emailv2::ErrorCode::kProtocolError) std::abort();
      s.failed = true;
    } else if (r.consumed != piece.size()) {
      std::abort();  // NeedMore must have used everything it was given
    }
  }
  return s;
}

bool same(const Stream& a, const Stream& b) {
  if (a.failed != b.failed || a.consumed != b.consumed || a.replies.size() != b.replies.size()) return false;
  for (std::size_t i = 0; i < a.replies.size(); ++i) {
    if (a.replies[i].code != b.replies[i].code || a.replies[i].lines != b.replies[i].lines) return false;
    if (a.replies[i].enhanced != b.replies[i].enhanced) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const Stream whole = parse(in, 0);
  if (!same(whole, parse(in, 1))) std::abort();
  if (!same(whole, parse(in, 7))) std::abort();
  return 0;
}
