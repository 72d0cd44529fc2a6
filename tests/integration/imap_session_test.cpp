// The IMAP session against the lab's Dovecot: IMAPS, STARTTLS, authentication, NOOP, LOGOUT, failures.
#include <gtest/gtest.h>

#include "imap_lab_support.h"

namespace emailv2::imap {
namespace {

TEST(ImapLabSession, ImapsPingSequence) {
  auto s = lab::connect(lab::options());
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->capabilities().has("IMAP4rev1"));
  EXPECT_TRUE(s->capabilities().has("MOVE"));
  EXPECT_TRUE(s->noop(lab::soon()));
  EXPECT_TRUE(s->logout(lab::soon()));
  EXPECT_FALSE(s->usable());
}

TEST(ImapLabSession, StartTlsRequiredUpgradesBeforeCredentials) {
  auto s = lab::connect(lab::options("LAB_IMAP_PORT"));
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->transport().is_tls());
  EXPECT_FALSE(s->capabilities().has("STARTTLS"));  // fetched again after TLS and login
  EXPECT_TRUE(s->noop(lab::soon()));
}

TEST(ImapLabSession, WrongPasswordIsAuthFailed) {
  SessionOptions o = lab::options();
  o.password = Secret("definitely-wrong");
  auto s = Session::connect(o, lab::soon());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(s.error().detail().rfind("IMAP server rejected AUTHENTICATE: ", 0), 0u) << s.error().detail();
}

TEST(ImapLabSession, PasswordWithQuotesBackslashAndNonAscii) {
  SessionOptions o = lab::options();
  o.username = testing::lab("LAB_SPECIAL_USER");
  o.password = Secret(testing::lab("LAB_SPECIAL_PASS"));
  auto s = lab::connect(o);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->noop(lab::soon()));
}

TEST(ImapLabSession, UnknownCaIsTlsFailed) {
  SessionOptions o = lab::options();
  o.tls.ca_file = testing::lab("LAB_OTHER_CA");
  auto s = Session::connect(o, lab::soon());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kTlsFailed);
}

}  // namespace
}  // namespace emailv2::imap
