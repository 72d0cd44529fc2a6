#include "net/socks5.h"

#include <gtest/gtest.h>

namespace emailv2::net::socks5 {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

TEST(Socks5Requests, Builders) {
  EXPECT_EQ(greeting(false), bytes({5, 1, 0}));
  EXPECT_EQ(greeting(true), bytes({5, 2, 0, 2}));
  EXPECT_EQ(*auth_request("bob", Secret("pw")), bytes({1, 3, 'b', 'o', 'b', 2, 'p', 'w'}));
  EXPECT_EQ(*connect_by_name("ab", 993), bytes({5, 1, 0, 3, 2, 'a', 'b', 0x03, 0xE1}));
  EXPECT_EQ(*connect_by_address(bytes({127, 0, 0, 1}), 143), bytes({5, 1, 0, 1, 127, 0, 0, 1, 0, 143}));
  EXPECT_EQ(connect_by_address(std::string(16, '\0'), 1)->size(), 4u + 16u + 2u);
}

TEST(Socks5Requests, FieldLimitsCrossedByOne) {
  EXPECT_TRUE(auth_request(std::string(255, 'u'), Secret(std::string(255, 'p'))));
  EXPECT_FALSE(auth_request(std::string(256, 'u'), Secret("p")));
  EXPECT_FALSE(auth_request("u", Secret(std::string(256, 'p'))));
  EXPECT_FALSE(auth_request("", Secret("p")));
  EXPECT_TRUE(connect_by_name(std::string(255, 'h'), 1));
  EXPECT_FALSE(connect_by_name(std::string(256, 'h'), 1));
  EXPECT_FALSE(connect_by_name("", 1));
  EXPECT_FALSE(connect_by_address("abc", 1));
}

struct Row {
  std::string input;
  Reply (*parse)(std::string_view);
  ParseStatus status;
  std::size_t needed;
  int code;
};

TEST(Socks5Replies, Table) {
  const std::vector<Row> rows = {
      // Hostile first.
      {bytes({4, 0}), parse_method_reply, ParseStatus::kError, 0, 0},
      {bytes({5, 0}), parse_auth_reply, ParseStatus::kError, 0, 0},
      {"HTTP/1.1 400", parse_connect_reply, ParseStatus::kError, 0, 0},
      {bytes({5, 0, 1, 1}), parse_connect_reply, ParseStatus::kError, 0, 0},
      {bytes({5, 0, 0, 9}), parse_connect_reply, ParseStatus::kError, 0, 0},
      {bytes({4}), parse_connect_reply, ParseStatus::kError, 0, 0},
      // Incomplete.
      {"", parse_method_reply, ParseStatus::kNeedMore, 2, 0},
      {bytes({5}), parse_method_reply, ParseStatus::kNeedMore, 2, 0},
      {bytes({5, 0, 0}), parse_connect_reply, ParseStatus::kNeedMore, 4, 0},
      {bytes({5, 0, 0, 1, 1, 2}), parse_connect_reply, ParseStatus::kNeedMore, 10, 0},
      {bytes({5, 0, 0, 3}), parse_connect_reply, ParseStatus::kNeedMore, 5, 0},
      {bytes({5, 0, 0, 3, 4, 'a'}), parse_connect_reply, ParseStatus::kNeedMore, 11, 0},
      {bytes({5, 0, 0, 4}), parse_connect_reply, ParseStatus::kNeedMore, 22, 0},
      // Complete.
      {bytes({5, 0}), parse_method_reply, ParseStatus::kDone, 2, 0},
      {bytes({5, 0xFF}), parse_method_reply, ParseStatus::kDone, 2, 0xFF},
      {bytes({1, 0}), parse_auth_reply, ParseStatus::kDone, 2, 0},
      {bytes({1, 1}), parse_auth_reply, ParseStatus::kDone, 2, 1},
      {bytes({5, 0, 0, 1, 127, 0, 0, 1, 0, 80}), parse_connect_reply, ParseStatus::kDone, 10, 0},
      {bytes({5, 5, 0, 1, 0, 0, 0, 0, 0, 0}), parse_connect_reply, ParseStatus::kDone, 10, 5},
      {bytes({5, 0, 0, 3, 1, 'a', 0, 80}), parse_connect_reply, ParseStatus::kDone, 8, 0},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    const Reply r = rows[i].parse(rows[i].input);
    EXPECT_EQ(r.status, rows[i].status) << r.error;
    if (r.status != ParseStatus::kError) {
      EXPECT_EQ(r.needed, rows[i].needed);
    }
    if (r.status == ParseStatus::kDone) {
      EXPECT_EQ(r.code, rows[i].code);
    }
  }
}

// Growing the input to exactly what each answer asks for (as the driver does) reaches the end without over-reading.
TEST(Socks5Replies, ByteAtATimeNeverAsksPastTheReply) {
  const std::string reply = bytes({5, 0, 0, 3, 5, 'h', 'e', 'l', 'l', 'o', 1, 187});
  const std::string stream = reply + "TUNNEL";
  for (std::size_t n = 0; n <= reply.size(); ++n) {
    const Reply r = parse_connect_reply(std::string_view(stream).substr(0, n));
    ASSERT_NE(r.status, ParseStatus::kError);
    EXPECT_LE(r.needed, reply.size());
    if (n == reply.size()) {
      EXPECT_EQ(r.status, ParseStatus::kDone);
    }
  }
}

TEST(Socks5Replies, RfcTexts) {
  EXPECT_EQ(reply_text(1), "general SOCKS server failure");
  EXPECT_EQ(reply_text(5), "Connection refused");
  EXPECT_EQ(reply_text(8), "Address type not supported");
  EXPECT_EQ(reply_text(9), "unassigned reply code");
}

}  // namespace
}  // namespace emailv2::net::socks5
