// The DATA encoder: every row is encoded whole, one byte at a time, and split at every position into two chunks;
// all must give the same bytes.
#include "smtp/data_encoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace emailv2::smtp {
namespace {

std::string encode_chunks(const std::vector<std::string_view>& chunks) {
  DataEncoder encoder;
  std::string out;
  for (auto c : chunks) encoder.encode(c, out);
  encoder.finish(out);
  return out;
}

std::string encode_bytewise(std::string_view message) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; i < message.size(); ++i) chunks.push_back(message.substr(i, 1));
  return encode_chunks(chunks);
}

struct Row {
  const char* name;
  std::string message;
  std::string wire;  // including the terminator
};

const std::vector<Row>& rows() {
  static const std::vector<Row> table = {
      // Hostile first: attempts to end DATA early or smuggle a second transaction.
      {"lone_dot_line_lf", "a\n.\nMAIL FROM:<x@y>\n", "a\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n"},
      {"lone_dot_line_crlf", "a\r\n.\r\nRSET\r\n", "a\r\n..\r\nRSET\r\n.\r\n"},
      {"lone_dot_bare_cr", "a\r.\rb", "a\r\n..\r\nb\r\n.\r\n"},
      {"dot_cr_no_lf", "a\r\n.\r", "a\r\n..\r\n.\r\n"},
      {"starts_with_dot", ".hidden", "..hidden\r\n.\r\n"},
      {"only_dot", ".", "..\r\n.\r\n"},
      {"two_dots", "..\r\n", "...\r\n.\r\n"},
      {"dot_after_lf_lf", "a\n\n.", "a\r\n\r\n..\r\n.\r\n"},
      {"nul_kept", std::string("a\0b\n", 4), std::string("a\0b\r\n.\r\n", 8)},
      {"cr_cr_lf", "a\r\r\nb", "a\r\n\r\nb\r\n.\r\n"},
      {"lf_cr", "a\n\rb", "a\r\n\r\nb\r\n.\r\n"},
      // Ordinary.
      {"empty", "", ".\r\n"},
      {"no_final_newline", "Subject: x\r\n\r\nbody", "Subject: x\r\n\r\nbody\r\n.\r\n"},
      {"final_crlf", "body\r\n", "body\r\n.\r\n"},
      {"bare_lf", "a\nb\n", "a\r\nb\r\n.\r\n"},
      {"bare_cr", "a\rb\r", "a\r\nb\r\n.\r\n"},
      {"dot_mid_line", "a.b\r\nc.\r\n", "a.b\r\nc.\r\n.\r\n"},
      {"eight_bit", "h\xC3\xA9\n", "h\xC3\xA9\r\n.\r\n"},
  };
  return table;
}

TEST(DataEncoder, TableWholeBytewiseAndEverySplit) {
  for (const auto& row : rows()) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(encode_data(row.message), row.wire);
    EXPECT_EQ(encode_bytewise(row.message), row.wire);
    const std::string_view m = row.message;
    for (std::size_t cut = 0; cut <= m.size(); ++cut) {
      EXPECT_EQ(encode_chunks({m.substr(0, cut), m.substr(cut)}), row.wire) << "cut at " << cut;
    }
  }
}

TEST(DataEncoder, DotAtLineStartSplitAcrossChunks) {
  // The CR ends one chunk, the LF starts the next, and the dot is alone in a third chunk.
  EXPECT_EQ(encode_chunks({"line\r", "\n", ".", "\r\n"}), "line\r\n..\r\n.\r\n");
  EXPECT_EQ(encode_chunks({"line\n", "", ".x"}), "line\r\n..x\r\n.\r\n");
}

TEST(DataEncoder, OutputHasNoBareLineEndsAndNoLoneDot) {
  std::mt19937 rng(12345);
  const std::string alphabet = "ab.\r\n";
  for (int round = 0; round < 500; ++round) {
    std::string message;
    const auto len = rng() % 40;
    for (unsigned i = 0; i < len; ++i) message += alphabet[rng() % alphabet.size()];
    std::vector<std::string_view> chunks;
    std::size_t pos = 0;
    while (pos < message.size()) {
      const std::size_t n = 1 + rng() % 4;
      chunks.push_back(std::string_view(message).substr(pos, n));
      pos += n;
    }
    const std::string wire = encode_chunks(chunks);
    ASSERT_EQ(wire, encode_data(message)) << message;
    // Every CR is followed by LF and every LF preceded by CR.
    for (std::size_t i = 0; i < wire.size(); ++i) {
      if (wire[i] == '\r') {
        ASSERT_TRUE(i + 1 < wire.size() && wire[i + 1] == '\n');
      }
      if (wire[i] == '\n') {
        ASSERT_TRUE(i > 0 && wire[i - 1] == '\r');
      }
    }
    // The terminator appears exactly once, at the end.
    const std::string framed = "\r\n" + wire;
    ASSERT_EQ(framed.find("\r\n.\r\n"), framed.size() - 5) << message;
  }
}

TEST(DataEncoder, ReusableAfterFinish) {
  DataEncoder encoder;
  std::string out;
  encoder.encode("a\r", out);
  encoder.finish(out);
  encoder.encode("\n.b", out);  // a new message: the LF is not swallowed by the previous CR
  encoder.finish(out);
  EXPECT_EQ(out, "a\r\n.\r\n\r\n..b\r\n.\r\n");
}

}  // namespace
}  // namespace emailv2::smtp
