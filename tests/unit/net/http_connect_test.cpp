#include "net/http_connect.h"

#include <gtest/gtest.h>

#include "core/text.h"

namespace emailv2::net {
namespace {

TEST(HttpConnectRequest, PlainAndWithBasicAuth) {
  EXPECT_EQ(http_connect_request({"imap.example", 993}, "", Secret()),
            "CONNECT imap.example:993 HTTP/1.1\r\nHost: imap.example:993\r\n\r\n");
  EXPECT_EQ(http_connect_request({"::1", 993}, "", Secret()), "CONNECT [::1]:993 HTTP/1.1\r\nHost: [::1]:993\r\n\r\n");
  const std::string with_auth = http_connect_request({"h", 1}, "alice", Secret("pw"));
  EXPECT_NE(with_auth.find("Proxy-Authorization: Basic " + text::base64_encode("alice:pw") + "\r\n"),
            std::string::npos);
  EXPECT_TRUE(with_auth.ends_with("\r\n\r\n"));
}

struct Outcome {
  ParseStatus status;
  std::size_t consumed;
  int code;
};

// Feeds the whole input at once.
Outcome feed_whole(std::string_view input) {
  HttpConnectReplyParser p;
  std::size_t consumed = 0;
  const ParseStatus s = p.feed(input, consumed);
  return {s, consumed, p.status_code()};
}

// Feeds one byte at a time, stopping at the first non-kNeedMore status.
Outcome feed_bytes(std::string_view input) {
  HttpConnectReplyParser p;
  std::size_t total = 0;
  ParseStatus s = ParseStatus::kNeedMore;
  for (std::size_t i = 0; i < input.size() && s == ParseStatus::kNeedMore; ++i) {
    std::size_t consumed = 0;
    s = p.feed(input.substr(i, 1), consumed);
    total += consumed;
  }
  return {s, total, p.status_code()};
}

struct Row {
  std::string input;
  ParseStatus status;
  std::size_t consumed;  // for kDone
  int code;
};

const std::string kTunnel = "\x16\x03\x01 tunnel bytes";

const std::vector<Row> kRows = {
    // Hostile / malformed first.
    {"SSH-2.0-OpenSSH\r\n\r\n", ParseStatus::kError, 0, 0},
    {"\r\n\r\n", ParseStatus::kError, 0, 0},
    {"HTTP/2 200 OK\r\n\r\n", ParseStatus::kError, 0, 0},
    {"HTTP/1.1 2000 OK\r\n\r\n", ParseStatus::kError, 0, 0},
    {"HTTP/1.1 20 OK\r\n\r\n", ParseStatus::kError, 0, 0},
    {"HTTP/1.1 abc OK\r\n\r\n", ParseStatus::kError, 0, 0},
    {"HTTP/1.1 200 OK\r\n" + std::string(17 * 1024, 'x') + "\r\n\r\n", ParseStatus::kError, 0, 0},
    {"HTTP/1.1 200 OK\r\nVia: x\r\n", ParseStatus::kNeedMore, 0, 200},
    {"HTTP/1.1 200", ParseStatus::kNeedMore, 0, 0},
    // Valid: the parser stops right after the blank line.
    {"HTTP/1.1 200 Connection established\r\n\r\n" + kTunnel, ParseStatus::kDone, 39, 200},
    {"HTTP/1.0 200\r\n\r\n" + kTunnel, ParseStatus::kDone, 16, 200},
    {"HTTP/1.1 200 OK\nProxy-Agent: tiny\n\n" + kTunnel, ParseStatus::kDone, 35, 200},
    {"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n\r\n<html>",
     ParseStatus::kDone, 83, 407},
    {"HTTP/1.1 403 Forbidden\r\n\r\n", ParseStatus::kDone, 26, 403},
};

TEST(HttpConnectReplyParser, TableWholeAndByteAtATime) {
  for (const auto& row : kRows) {
    SCOPED_TRACE(text::echo_value(row.input));
    for (const Outcome& got : {feed_whole(row.input), feed_bytes(row.input)}) {
      EXPECT_EQ(got.status, row.status);
      if (row.status == ParseStatus::kDone) {
        EXPECT_EQ(got.consumed, row.consumed);
        EXPECT_EQ(got.code, row.code);
      }
    }
  }
}

TEST(HttpConnectReplyParser, StatusLineAndSuccess) {
  HttpConnectReplyParser p;
  std::size_t consumed = 0;
  ASSERT_EQ(p.feed("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", consumed), ParseStatus::kDone);
  EXPECT_EQ(p.status_line(), "HTTP/1.1 407 Proxy Authentication Required");
  EXPECT_FALSE(p.success());
  HttpConnectReplyParser q;
  ASSERT_EQ(q.feed("HTTP/1.1 299 x\r\n\r\n", consumed), ParseStatus::kDone);
  EXPECT_TRUE(q.success());
}

TEST(HttpConnectReplyParser, LimitCrossedByOne) {
  const std::string head = "HTTP/1.1 200 OK\r\nX: ";
  const std::string tail = "\r\n\r\n";
  const std::string fits = head + std::string(kHttpConnectReplyMaxBytes - head.size() - tail.size(), 'a') + tail;
  ASSERT_EQ(fits.size(), kHttpConnectReplyMaxBytes);
  EXPECT_EQ(feed_whole(fits).status, ParseStatus::kDone);
  const std::string over = head + std::string(kHttpConnectReplyMaxBytes - head.size() - tail.size() + 1, 'a') + tail;
  EXPECT_EQ(feed_whole(over).status, ParseStatus::kError);
}

}  // namespace
}  // namespace emailv2::net
