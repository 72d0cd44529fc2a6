// Fuzzes the proxy reply parsers (HTTP CONNECT and SOCKS5) with hostile proxy output. Checks, besides memory safety:
// the HTTP parser gives the same result whole and one byte at a time and never consumes past the header end; the
// SOCKS5 parsers never ask for fewer bytes than they were given when they need more, and never claim more than given.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "net/http_connect.h"
#include "net/socks5.h"

using emailv2::net::HttpConnectReplyParser;
using emailv2::net::ParseStatus;
namespace socks5 = emailv2::net::socks5;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void http(std::string_view input) {
  HttpConnectReplyParser whole;
  std::size_t whole_consumed = 0;
  const ParseStatus whole_status = whole.feed(input, whole_consumed);
  check(whole_consumed <= input.size());

  HttpConnectReplyParser bytewise;
  std::size_t total = 0;
  ParseStatus status = ParseStatus::kNeedMore;
  for (std::size_t i = 0; i < input.size() && status == ParseStatus::kNeedMore; ++i) {
    std::size_t consumed = 0;
    status = bytewise.feed(input.substr(i, 1), consumed);
    check(consumed == 1);
    total += consumed;
  }
  check(status == whole_status);
  if (status == ParseStatus::kDone) {
    check(total == whole_consumed);
    check(whole.status_code() == bytewise.status_code());
    check(whole.status_line() == bytewise.status_line());
    check(whole_consumed >= 4 && input.substr(whole_consumed - 1, 1) == "\n");
  }
}

void socks(std::string_view input, socks5::Reply (*parse)(std::string_view)) {
  for (std::size_t n = 0; n <= input.size() && n <= 600; ++n) {
    const socks5::Reply r = parse(input.substr(0, n));
    if (r.status == ParseStatus::kNeedMore) check(r.needed > n);
    if (r.status == ParseStatus::kDone) check(r.needed <= n);
    if (r.status != ParseStatus::kNeedMore) break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  http(input);
  socks(input, socks5::parse_method_reply);
  socks(input, socks5::parse_auth_reply);
  socks(input, socks5::parse_connect_reply);
  return 0;
}
