// decode_base64_lines: the fast path of part decoding. Whatever it accepts it must decode exactly as GMime's
// tolerant decoder does (the oracle); anything non-canonical must be declined so GMime handles it.
#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

#include "core/text.h"
#include "mime/base64_lines.h"

namespace emailv2::mime {
namespace {

std::string gmime_decode(std::string_view in) {
  std::string out(in.size() + 3, '\0');
  int state = 0;
  guint32 save = 0;
  out.resize(g_mime_encoding_base64_decode_step(reinterpret_cast<const unsigned char*>(in.data()), in.size(),
                                                reinterpret_cast<unsigned char*>(out.data()), &state, &save));
  return out;
}

std::string wrap(std::string_view b64, std::size_t width, std::string_view eol) {
  std::string out;
  for (std::size_t i = 0; i < b64.size(); i += width) {
    out.append(b64.substr(i, width));
    out.append(eol);
  }
  return out;
}

struct Row {
  const char* name;
  std::string input;
};

TEST(Base64Lines, DeclinesNonCanonicalInput) {
  const Row rows[] = {
      {"junk character", "QUJD\r\nQU!D\r\n"},
      {"space inside a line", "QUJD QUJD\r\n"},
      {"line not a multiple of 4", "QUJDQ\r\nUJD\r\n"},
      {"padding in the middle", "QQ==\r\nQUJD\r\n"},
      {"padding then text on the same line", "QQ==QUJD\r\n"},
      {"single = with two data chars", "QQ=A\r\n"},
      {"three pads", "Q===\r\n"},
      {"bare CR inside a line", "QU\rJD\r\n"},
      {"tab", "QUJD\t\r\n"},
      {"NUL byte", std::string("QUJ\0", 4) + "\r\n"},
      {"8-bit byte", "QUJ\xC3\r\n"},
      {"unpadded tail of 2", "QUJDQQ\r\n"},
      {"pad char only", "=\r\n"},
      {"padded line then more data", "QUI=\r\n\r\nQUJD\r\n"},
  };
  for (const Row& r : rows) {
    std::string out;
    EXPECT_FALSE(decode_base64_lines(r.input, out)) << r.name;
  }
}

// Lines are decoded 16 characters at a time, then group by group: a character outside the alphabet at any position
// of a 76-character line (in a 16-character round or in the tail) declines it, and a clean line decodes whole.
TEST(Base64Lines, JunkAtEveryPositionOfALineIsDeclined) {
  std::string payload(57, '\0');  // 57 bytes: one 76-character line
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 37 + 11);
  const std::string line = text::base64_encode(payload);
  ASSERT_EQ(line.size(), 76u);
  std::string out;
  ASSERT_TRUE(decode_base64_lines(line + "\r\n" + line + "\r\n", out));
  EXPECT_EQ(out, payload + payload);
  for (std::size_t at = 0; at < line.size(); ++at) {
    for (const char junk : {'!', '=', '\x80', '\0'}) {
      std::string bad = line;
      bad[at] = junk;
      if (junk == '=' && at >= 74) continue;  // a valid padded end
      EXPECT_FALSE(decode_base64_lines(line + "\r\n" + bad + "\r\n", out)) << "position " << at << " byte " << int(junk);
    }
  }
}

TEST(Base64Lines, AcceptsCanonicalFormsLikeGmime) {
  const Row rows[] = {
      {"empty", ""},
      {"only line ends", "\r\n\r\n\n"},
      {"one group", "QUJD"},
      {"CRLF lines", "QUJD\r\nREVG\r\n"},
      {"LF lines", "QUJD\nREVG\n"},
      {"one pad", "QUI=\r\n"},
      {"two pads", "QQ==\r\n"},
      {"pad then blank lines", "QQ==\r\n\r\n\r\n"},
      {"trailing CR only line", "QUJD\r\n\r"},
      {"no final line end", "QUJDREVG"},
      {"all alphabet", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"},
  };
  for (const Row& r : rows) {
    std::string out;
    ASSERT_TRUE(decode_base64_lines(r.input, out)) << r.name;
    EXPECT_EQ(out, gmime_decode(r.input)) << r.name;
  }
}

// Random payloads of every length mod 3, wrapped as mailers do: accepted and identical to GMime; then one byte of
// each is overwritten with a random byte: either declined or, when still accepted, identical to GMime.
TEST(Base64Lines, RandomPayloadsMatchGmime) {
  std::mt19937 rng(20261130);
  for (int round = 0; round < 400; ++round) {
    std::string payload(rng() % 700, '\0');
    for (char& c : payload) c = static_cast<char>(rng() & 0xFF);
    const std::size_t width = (1 + rng() % 25) * 4;  // 4..100, always whole groups
    const std::string text = wrap(text::base64_encode(payload), width, (rng() & 1) != 0 ? "\r\n" : "\n");
    std::string out;
    ASSERT_TRUE(decode_base64_lines(text, out)) << "round " << round;
    ASSERT_EQ(out, payload) << "round " << round;
    ASSERT_EQ(out, gmime_decode(text)) << "round " << round;
    if (text.empty()) continue;
    std::string mutated = text;
    mutated[rng() % mutated.size()] = static_cast<char>(rng() & 0xFF);
    if (decode_base64_lines(mutated, out)) {
      EXPECT_EQ(out, gmime_decode(mutated)) << "mutated round " << round;
    }
  }
}

}  // namespace
}  // namespace emailv2::mime
