// The SMTP reply parser, fed whole and one byte at a time: both must agree on every row.
#include <gtest/gtest.h>

#include <string>

#include "core/limits.h"
#include "smtp/reply.h"

namespace emailv2::smtp {
namespace {

struct Outcome {
  ParseStatus status = ParseStatus::kNeedMore;
  std::size_t consumed = 0;
  Reply reply;
  std::string error;
};

Outcome finish(ReplyParser& parser, ParseStatus status, std::size_t consumed) {
  Outcome out{status, consumed, {}, {}};
  if (status == ParseStatus::kDone) out.reply = parser.take();
  if (status == ParseStatus::kError) out.error = parser.error().detail();
  return out;
}

Outcome parse_whole(std::string_view input) {
  ReplyParser parser;
  const FeedResult r = parser.feed(input);
  return finish(parser, r.status, r.consumed);
}

Outcome parse_bytewise(std::string_view input) {
  ReplyParser parser;
  std::size_t consumed = 0;
  ParseStatus status = ParseStatus::kNeedMore;
  for (std::size_t i = 0; i < input.size() && status == ParseStatus::kNeedMore; ++i) {
    const FeedResult r = parser.feed(input.substr(i, 1));
    consumed += r.consumed;
    status = r.status;
  }
  return finish(parser, status, consumed);
}

struct Row {
  const char* name;
  std::string input;
  ParseStatus status;
  int code = 0;
  std::vector<std::string> lines = {};
};

const std::vector<Row>& rows() {
  static const std::vector<Row> table = {
      // Hostile and malformed first.
      {"empty_line", "\r\n", ParseStatus::kError},
      {"two_digits", "25\r\n", ParseStatus::kError},
      {"four_digits", "2500 x\r\n", ParseStatus::kError},
      {"letter_after_code", "250x\r\n", ParseStatus::kError},
      {"tab_after_code", "250\tx\r\n", ParseStatus::kError},
      {"class_6", "650 x\r\n", ParseStatus::kError},
      {"class_1", "150 x\r\n", ParseStatus::kError},
      {"class_0", "050 x\r\n", ParseStatus::kError},
      {"letters", "abc def\r\n", ParseStatus::kError},
      {"leading_space", " 250 x\r\n", ParseStatus::kError},
      {"nul_code", std::string("\0\0\0 x\r\n", 7), ParseStatus::kError},
      {"code_changes", "250-a\r\n251 b\r\n", ParseStatus::kError},
      {"class_changes", "250-a\r\n550 b\r\n", ParseStatus::kError},
      {"garbage_continuation", "250-a\r\nhello\r\n", ParseStatus::kError},
      {"http_response", "HTTP/1.1 200 OK\r\n", ParseStatus::kError},
      {"bare_cr_only", "250 ok\r", ParseStatus::kNeedMore},
      {"unterminated", "250 ok", ParseStatus::kNeedMore},
      {"open_multiline", "250-a\r\n250-b\r\n", ParseStatus::kNeedMore},
      {"nothing", "", ParseStatus::kNeedMore},
      // Valid.
      {"simple", "250 ok\r\n", ParseStatus::kDone, 250, {"ok"}},
      {"code_only", "250\r\n", ParseStatus::kDone, 250, {""}},
      {"code_space", "250 \r\n", ParseStatus::kDone, 250, {""}},
      {"bare_lf", "220 ready\n", ParseStatus::kDone, 220, {"ready"}},
      {"greeting_599", "599 odd but well-formed\r\n", ParseStatus::kDone, 599, {"odd but well-formed"}},
      {"multiline",
       "250-mail.lab.test\r\n250-PIPELINING\r\n250 SIZE 100\r\n",
       ParseStatus::kDone,
       250,
       {"mail.lab.test", "PIPELINING", "SIZE 100"}},
      {"empty_continuation", "250-\r\n250 end\r\n", ParseStatus::kDone, 250, {"", "end"}},
      {"eight_bit_text", "554 h\xC3\xA9llo\r\n", ParseStatus::kDone, 554, {"h\xC3\xA9llo"}},
      {"cr_inside_text", "250 a\rb\r\n", ParseStatus::kDone, 250, {"a\rb"}},
      {"intermediate", "334 VXNlcm5hbWU6\r\n", ParseStatus::kDone, 334, {"VXNlcm5hbWU6"}},
  };
  return table;
}

TEST(ReplyParser, TableWholeAndByteAtATime) {
  for (const auto& row : rows()) {
    SCOPED_TRACE(row.name);
    for (const Outcome& got : {parse_whole(row.input), parse_bytewise(row.input)}) {
      EXPECT_EQ(got.status, row.status);
      if (row.status == ParseStatus::kDone) {
        EXPECT_EQ(got.reply.code, row.code);
        EXPECT_EQ(got.reply.lines, row.lines);
        EXPECT_EQ(got.consumed, row.input.size());
      }
      if (row.status == ParseStatus::kError) {
        EXPECT_FALSE(got.error.empty());
      }
    }
  }
}

TEST(ReplyParser, StopsAtTheEndOfOneReplyAndLeavesPipelinedBytes) {
  const std::string first = "250-a\r\n250 b\r\n";
  const std::string input = first + "354 go ahead\r\n";
  for (const Outcome& got : {parse_whole(input), parse_bytewise(input)}) {
    ASSERT_EQ(got.status, ParseStatus::kDone);
    EXPECT_EQ(got.consumed, first.size());
  }
  ReplyParser parser;
  const FeedResult r1 = parser.feed(input);
  ASSERT_EQ(r1.status, ParseStatus::kDone);
  EXPECT_EQ(parser.take().lines.size(), 2u);
  const FeedResult r2 = parser.feed(std::string_view(input).substr(r1.consumed));
  ASSERT_EQ(r2.status, ParseStatus::kDone);
  EXPECT_EQ(parser.take().code, 354);
}

TEST(ReplyParser, ErrorIsStickyUntilReset) {
  ReplyParser parser;
  EXPECT_EQ(parser.feed("xyz\r\n").status, ParseStatus::kError);
  EXPECT_EQ(parser.error().code(), ErrorCode::kProtocolError);
  EXPECT_EQ(parser.feed("250 ok\r\n").status, ParseStatus::kError);
  parser.reset();
  EXPECT_EQ(parser.feed("250 ok\r\n").status, ParseStatus::kDone);
}

std::string lines_reply(std::size_t lines) {
  std::string out;
  for (std::size_t i = 1; i < lines; ++i) out += "250-x\r\n";
  return out + "250 x\r\n";
}

TEST(ReplyParser, LineLimitCrossedByOne) {
  const std::string at_limit = lines_reply(limits::kSmtpReplyLines);
  const std::string over = lines_reply(limits::kSmtpReplyLines + 1);
  for (const Outcome& got : {parse_whole(at_limit), parse_bytewise(at_limit)}) {
    ASSERT_EQ(got.status, ParseStatus::kDone);
    EXPECT_EQ(got.reply.lines.size(), limits::kSmtpReplyLines);
  }
  for (const Outcome& got : {parse_whole(over), parse_bytewise(over)}) {
    ASSERT_EQ(got.status, ParseStatus::kError);
    EXPECT_NE(got.error.find("more than 512 lines"), std::string::npos) << got.error;
  }
}

std::string bytes_reply(std::size_t total) {
  // "250 " + text + "\r\n" == total bytes.
  return "250 " + std::string(total - 6, 'a') + "\r\n";
}

TEST(ReplyParser, ByteLimitCrossedByOne) {
  const std::string at_limit = bytes_reply(limits::kSmtpReplyBytes);
  const std::string over = bytes_reply(limits::kSmtpReplyBytes + 1);
  ASSERT_EQ(at_limit.size(), limits::kSmtpReplyBytes);
  for (const Outcome& got : {parse_whole(at_limit), parse_bytewise(at_limit)}) {
    EXPECT_EQ(got.status, ParseStatus::kDone);
  }
  for (const Outcome& got : {parse_whole(over), parse_bytewise(over)}) {
    ASSERT_EQ(got.status, ParseStatus::kError);
    EXPECT_NE(got.error.find("65536 bytes"), std::string::npos) << got.error;
  }
}

TEST(ReplyParser, ByteLimitCountsAllLinesAndStopsBeforeTheEnd) {
  // Many short continuation lines adding up past the byte limit, never terminated: rejected once over.
  std::string endless;
  while (endless.size() <= limits::kSmtpReplyBytes) endless += "250-" + std::string(200, 'b') + "\r\n";
  ReplyParser parser;
  const FeedResult r = parser.feed(endless);
  EXPECT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.consumed, limits::kSmtpReplyBytes + 1);
}

TEST(ReplyParser, EnhancedStatusFromFirstLineWhenClassMatches) {
  struct Case {
    std::string input;
    std::optional<EnhancedStatus> expected;
  };
  const std::vector<Case> cases = {
      {"550 2.1.1 class differs from the code\r\n", std::nullopt},
      {"250 2.01.0 leading zero\r\n", std::nullopt},
      {"250 2.1000.0 four digits\r\n", std::nullopt},
      {"250 2.1.0x glued\r\n", std::nullopt},
      {"250 3.1.0 class 3\r\n", std::nullopt},
      {"250 ok 2.1.0\r\n", std::nullopt},
      {"535 5.7.8 Authentication credentials invalid\r\n", EnhancedStatus{5, 7, 8}},
      {"550-5.1.1 <x@y>: Recipient address rejected\r\n550 5.1.1 more\r\n", EnhancedStatus{5, 1, 1}},
      {"250 2.0.0\r\n", EnhancedStatus{2, 0, 0}},
      {"452 4.5.3 Too many recipients\r\n", EnhancedStatus{4, 5, 3}},
      {"552 5.3.4 Message size exceeds fixed limit\r\n", EnhancedStatus{5, 3, 4}},
      {"250 2.100.999 wide\r\n", EnhancedStatus{2, 100, 999}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    for (const Outcome& got : {parse_whole(c.input), parse_bytewise(c.input)}) {
      ASSERT_EQ(got.status, ParseStatus::kDone);
      EXPECT_EQ(got.reply.enhanced, c.expected);
    }
  }
  EXPECT_EQ(EnhancedStatus({5, 7, 8}).to_string(), "5.7.8");
}

TEST(Reply, TextAndSummaryDropControlCharacters) {
  Reply reply{550, {"5.1.1 bad\x1b[31m", "second"}, std::nullopt};
  EXPECT_EQ(reply.text(), "5.1.1 bad[31m second");
  EXPECT_EQ(reply.summary(), "550 5.1.1 bad[31m second");
  EXPECT_EQ((Reply{221, {""}, std::nullopt}).summary(), "221");
  EXPECT_TRUE((Reply{250, {}, {}}).is_positive());
  EXPECT_TRUE((Reply{354, {}, {}}).is_intermediate());
  EXPECT_TRUE((Reply{421, {}, {}}).is_transient_failure());
  EXPECT_TRUE((Reply{554, {}, {}}).is_permanent_failure());
}

}  // namespace
}  // namespace emailv2::smtp
