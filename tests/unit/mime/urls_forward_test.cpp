#include <gtest/gtest.h>

#include "core/limits.h"
#include "mime/digest.h"
#include "mime/forward.h"
#include "mime/urls.h"

namespace emailv2::mime {
namespace {

TEST(Urls, RegexOrderDuplicatesAndAtDropped) {
  const UrlList l = extract_urls(
      "see https://a.example/x and www.b.example, then https://a.example/x again; "
      "http://user@evil.example/ is dropped",
      {"https://a.example/x", "https://c.example/y", "cid:img1", "data:image/png;base64,AAA", "mailto:a@b"});
  const std::vector<std::string> want{"https://a.example/x", "www.b.example,", "https://a.example/x",
                                      "https://c.example/y"};
  EXPECT_EQ(l.urls, want);
  EXPECT_FALSE(l.truncated);
}

TEST(Urls, CapIsNamedAndCrossedByOne) {
  std::string body;
  for (std::size_t i = 0; i <= limits::kUrlsPerMessage; ++i) body += "http://h" + std::to_string(i) + ".example ";
  const UrlList l = extract_urls(body, {});
  EXPECT_EQ(l.urls.size(), limits::kUrlsPerMessage);
  EXPECT_TRUE(l.truncated);
}

TEST(Forward, Detection) {
  EXPECT_TRUE(detect_forward("Fwd: x", ""));
  EXPECT_TRUE(detect_forward("  FW: x", ""));
  EXPECT_TRUE(detect_forward("hello", "a\n---------- Forwarded message ---------\nb"));
  EXPECT_FALSE(detect_forward("Re: Fwd: x", ""));
  EXPECT_FALSE(detect_forward("forward", ""));
}

TEST(Forward, SubjectRegex) {
  const auto& re = *ForwardRegexes::defaults().subject;
  EXPECT_EQ(apply_subject_regex("Re: Fwd: Cool offer", re), "Cool offer");
  EXPECT_EQ(apply_subject_regex("RE: re: x", re), "x");
  EXPECT_EQ(apply_subject_regex("FW: x", re), "FW: x");
  EXPECT_EQ(apply_subject_regex("", re), "");
}

TEST(Forward, ForwardedRegexes) {
  const std::string body =
      "hi\n---------- Forwarded message ---------\nFrom: Alice <alice@x.example>\nTo: bob@y.example\n"
      "From: carol@z.example\n";
  const auto& d = ForwardRegexes::defaults();
  EXPECT_EQ(find_all(body, *d.extractors[0].re, 100),
            (std::vector<std::string>{"alice@x.example", "carol@z.example"}));
  EXPECT_EQ(find_all(body, *d.extractors[1].re, 100), (std::vector<std::string>{"bob@y.example"}));
  auto bad = compile_regex("(?<=x)", "from_list");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kRegexInvalid);
}

TEST(Digest, KnownVectors) {
  const Digests d = digests_of("abc");
  EXPECT_EQ(d.md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(d.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string u = uuid_v5("abc/1.2");
  EXPECT_EQ(u.size(), 36u);
  EXPECT_EQ(u[14], '5');
  EXPECT_EQ(u, uuid_v5("abc/1.2"));
  EXPECT_NE(u, uuid_v5("abc/1.3"));
}

}  // namespace
}  // namespace emailv2::mime
