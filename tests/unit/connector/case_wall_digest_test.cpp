// The case wall hands the store the MIME layer's hashes (no re-hashing); they must equal a fresh digest of the
// bytes, or the stored metadata would lie about the content.

#include <gtest/gtest.h>

#include "case_fixtures.h"
#include "connector/case_wall.h"
#include "store/content_digest.h"

namespace emailv2::connector {
namespace {

TEST(ConnectorWallDigest, AttachmentDigestsEqualAFreshDigestOfTheBytes) {
  const std::vector<std::string> mails = {test::fixture("phishing_report.eml"), test::fixture("html_urls.eml"),
                                          test::mail_with_msg_attachment()};
  std::size_t files = 0;
  for (const std::string& raw : mails) {
    const mime::Message msg = mime::parse_message(raw);
    const auto wall = attachment_files(msg);
    ASSERT_EQ(wall.size(), msg.attachments.size());
    for (const store::NewWallFile& f : wall) {
      ASSERT_TRUE(f.file.digest);
      const store::ContentDigest got = store::complete_digest(f.file.content, *f.file.digest);
      const store::ContentDigest want = store::digest_of(f.file.content);
      EXPECT_EQ(got.md5, want.md5) << f.file.file_name;
      EXPECT_EQ(got.sha1, want.sha1) << f.file.file_name;
      EXPECT_EQ(got.sha256, want.sha256) << f.file.file_name;
      EXPECT_FALSE(f.file.digest->sha256.empty()) << f.file.file_name;  // really precomputed, not left to the store
      ++files;
    }
  }
  EXPECT_GE(files, 2U);
}

}  // namespace
}  // namespace emailv2::connector
