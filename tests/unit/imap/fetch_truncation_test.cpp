// A server that drops the connection at every byte offset of a FETCH response (issue 8, hostile servers): for each
// cut, uid_fetch must end in a clean error, deliver only messages that arrived whole (byte-exact), never report the
// batch as complete, and leave the session unusable (a connection is never reused after an error). The full response
// is the control: both messages, exact bytes. One body is large enough to be spooled to a file, so cuts inside a
// spooled literal are covered too (and the spool must be gone afterwards).

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "imap/commands/fetch.h"
#include "session_support.h"
#include "support/test_env.h"

namespace emailv2::imap::commands {
namespace {

using emailv2::testing::FakeTransport;

std::unique_ptr<Session> logged_in(FakeTransport& t) {
  t.set_tls(true);
  t.server_sends("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n");
  t.server_sends("A001 OK [CAPABILITY IMAP4rev1] in\r\n");
  auto s = testing::open_session(t, testing::password_options());
  EXPECT_TRUE(s) << s.error().to_string();
  return s ? std::move(*s) : nullptr;
}

struct Fixture {
  std::string small = "Subject: a\r\n\r\nsmall body with ) and A002 OK inside\r\n";
  std::string large = "Subject: b\r\n\r\n" + std::string(300, 'L') + "\r\n";
  std::string response() const {
    return "* 1 FETCH (UID 7 FLAGS (\\Seen) BODY[] {" + std::to_string(small.size()) + "}\r\n" + small +
           ")\r\n* 2 FETCH (UID 9 BODY[] {" + std::to_string(large.size()) + "}\r\n" + large + ")\r\nA002 OK done\r\n";
  }
};

struct Outcome {
  bool ok = false;
  ErrorCode code = ErrorCode::kInternal;
  std::vector<std::pair<std::uint32_t, std::string>> delivered;
  bool usable = true;
};

Outcome fetch_with_cut(const Fixture& f, std::size_t cut, const std::filesystem::path& spool) {
  FakeTransport t;
  auto s = logged_in(t);
  Outcome out;
  if (!s) return out;
  t.server_sends(f.response().substr(0, cut));  // then EOF: the server hung up
  FetchRequest req;
  req.uids = {7, 9};
  req.items.body_sections = {""};
  req.memory_limit = 100;  // the 300-byte body spools to a file
  req.spool_dir = spool;
  auto r = uid_fetch(*s, req, [&](FetchedMessage&& m) -> Status {
    const FetchedPart* part = m.part("");
    auto bytes = part->body.read_all();
    if (!bytes) return fail(bytes.error());
    out.delivered.emplace_back(m.uid, *bytes);
    return ok();
  }, Deadline::after(std::chrono::seconds(5)));
  out.ok = r.has_value();
  if (!r) out.code = r.error().code();
  out.usable = s->usable();
  return out;
}

TEST(FetchTruncation, EveryCutIsACleanErrorAndOnlyWholeMessagesAreDelivered) {
  const Fixture f;
  const std::string full = f.response();
  emailv2::testing::TempDir spool;
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    SCOPED_TRACE("cut at byte " + std::to_string(cut) + " of " + std::to_string(full.size()));
    const Outcome o = fetch_with_cut(f, cut, spool.path());
    ASSERT_FALSE(o.ok);
    EXPECT_TRUE(o.code == ErrorCode::kImapBye || o.code == ErrorCode::kProtocolError ||
                o.code == ErrorCode::kConnectFailed)
        << info(o.code).name;
    EXPECT_FALSE(o.usable);
    for (const auto& [uid, bytes] : o.delivered) {
      EXPECT_EQ(bytes, uid == 7 ? f.small : f.large) << "a truncated body was delivered as whole";
    }
    EXPECT_LE(o.delivered.size(), 2u);
    if (o.delivered.size() == 2) {
      EXPECT_GE(cut, full.find("A002 OK"));
    }
  }
  EXPECT_TRUE(std::filesystem::is_empty(spool.path())) << "a spool file of a cut literal was left behind";
}

TEST(FetchTruncation, TheWholeResponseDeliversBothMessagesExactly) {
  const Fixture f;
  emailv2::testing::TempDir spool;
  const Outcome o = fetch_with_cut(f, f.response().size(), spool.path());
  ASSERT_TRUE(o.ok);
  ASSERT_EQ(o.delivered.size(), 2u);
  EXPECT_EQ(o.delivered[0], (std::pair<std::uint32_t, std::string>{7, f.small}));
  EXPECT_EQ(o.delivered[1], (std::pair<std::uint32_t, std::string>{9, f.large}));
  EXPECT_TRUE(o.usable);
}

}  // namespace
}  // namespace emailv2::imap::commands
