#pragma once
// HTTP CONNECT (RFC 9110 §9.3.6) as a pure codec: the request bytes, and an incremental parser of the proxy's
// reply header that never consumes a byte past the blank line ending it (those bytes belong to the tunnel).

#include <cstddef>
#include <string>
#include <string_view>

#include "core/secret.h"
#include "net/parse_status.h"
#include "net/transport.h"

namespace emailv2::net {

// Largest reply header accepted from a proxy; a longer one is an error.
inline constexpr std::size_t kHttpConnectReplyMaxBytes = 16 * 1024;

// "CONNECT host:port HTTP/1.1\r\nHost: host:port\r\n[Proxy-Authorization: Basic ...\r\n]\r\n". IPv6 literal hosts
// are bracketed. Basic credentials are sent only when `username` is non-empty.
std::string http_connect_request(const Endpoint& target, const std::string& username, const Secret& password);

class HttpConnectReplyParser {
 public:
  // Consumes bytes from the front of `bytes` (sets `consumed`); stops right after the header's blank line.
  // kDone: the header is complete (status_code()/status_line() are set). kNeedMore: feed more. kError: malformed or
  // longer than kHttpConnectReplyMaxBytes (error() says why); the parser stays in error.
  ParseStatus feed(std::string_view bytes, std::size_t& consumed);

  int status_code() const { return status_code_; }
  // The status line without CRLF, e.g. "HTTP/1.1 407 Proxy Authentication Required".
  const std::string& status_line() const { return status_line_; }
  const std::string& error() const { return error_; }
  bool success() const { return status_code_ >= 200 && status_code_ <= 299; }

 private:
  ParseStatus end_line();
  ParseStatus set_error(std::string why);

  std::string line_;
  std::string status_line_;
  std::string error_;
  std::size_t total_ = 0;
  int status_code_ = 0;
  ParseStatus state_ = ParseStatus::kNeedMore;
};

}  // namespace emailv2::net
