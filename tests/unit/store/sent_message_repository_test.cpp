#include "store/sent_message_repository.h"

#include "store/wait_reply_repository.h"
#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::at_ms;
using testing::kT0;
using testing::open_or_die;
using namespace std::chrono_literals;

class SentAndWaitTest : public ::testing::Test {
 protected:
  template <typename F>
  void write(F&& f) {
    auto tx = db_.begin_write();
    ASSERT_TRUE(tx) << tx.error().to_string();
    f(*tx);
    ASSERT_TRUE(tx->commit());
  }
  TempDir dir_;
  Database db_ = open_or_die(dir_.path() / "store.sqlite");
};

TEST_F(SentAndWaitTest, SentMessageIsFoundByAnyFormOfItsMessageId) {
  SentMessageRepository sent(db_);
  SentMessage m{"<abc.1700000000@lab.test>", kT0, {"alice@lab.test", "bob@lab.test"}, {"carol@lab.test"}, {},
                "Approve? \xC3\xA9t\xC3\xA9",   "send-email", std::nullopt};
  write([&](WriteTransaction& tx) { ASSERT_TRUE(sent.record(tx, m)); });
  for (const char* form : {"<abc.1700000000@lab.test>", "abc.1700000000@lab.test", "  <abc.1700000000@lab.test> "}) {
    auto got = sent.find(form);
    ASSERT_TRUE(got && *got) << form;
    EXPECT_EQ((*got)->message_id, "<abc.1700000000@lab.test>");
    EXPECT_EQ((*got)->to, m.to);
    EXPECT_EQ((*got)->cc, m.cc);
    EXPECT_TRUE((*got)->bcc.empty());
    EXPECT_EQ((*got)->date, kT0);
    EXPECT_EQ((*got)->subject, m.subject);
    EXPECT_EQ((*got)->action, "send-email");
  }
  // Message-ID equality is case-sensitive (§1.5).
  EXPECT_FALSE(*sent.find("<ABC.1700000000@lab.test>"));
}

TEST_F(SentAndWaitTest, SentMessageForAMissingCaseIsRefused) {
  SentMessageRepository sent(db_);
  SentMessage m{"<x@lab.test>", kT0, {"a@lab.test"}, {}, {}, "s", "send-email", CaseId{999}};
  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  auto r = sent.record(*tx, m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kStoreError);
}

TEST_F(SentAndWaitTest, FirstPollTimeIsStoredOnce) {
  WaitReplyRepository waits(db_);
  write([&](WriteTransaction& tx) { EXPECT_EQ(*waits.first_poll_at(tx, "<w@lab.test>", kT0), kT0); });
  write([&](WriteTransaction& tx) { EXPECT_EQ(*waits.first_poll_at(tx, "w@lab.test", kT0 + 60s), kT0); });
  write([&](WriteTransaction& tx) { EXPECT_EQ(*waits.first_poll_at(tx, "<v@lab.test>", kT0 + 60s), kT0 + 60s); });
}

TEST_F(SentAndWaitTest, RepliesAreRecordedOnceAndAttachmentsMarked) {
  WaitReplyRepository waits(db_);
  WaitReply r1{"<w@lab.test>", "Inbox", 17, 5, "alice@lab.test", true, false};
  WaitReply r2{"w@lab.test", "Inbox", 17, 3, "bob@lab.test", false, false};
  write([&](WriteTransaction& tx) {
    ASSERT_TRUE(waits.record(tx, r1));
    ASSERT_TRUE(waits.record(tx, r2));
    ASSERT_TRUE(waits.record(tx, r1));  // a later poll sees the same reply again
  });
  auto all = waits.list("<w@lab.test>");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].recipient, "alice@lab.test");  // first recorded first, not UID order
  EXPECT_EQ((*all)[0].sent_message_id, "w@lab.test");
  EXPECT_EQ((*all)[1].recipient, "bob@lab.test");
  EXPECT_FALSE((*all)[1].accepted);

  write([&](WriteTransaction& tx) { ASSERT_TRUE(waits.mark_attachments_added(tx, r1)); });
  write([&](WriteTransaction& tx) { ASSERT_TRUE(waits.record(tx, r1)); });  // r1 still says false: kept true
  auto found = waits.find("w@lab.test", "Inbox", 17, 5);
  ASSERT_TRUE(found && *found);
  EXPECT_TRUE((*found)->attachments_added);
  EXPECT_FALSE(*waits.find("w@lab.test", "Inbox", 18, 5));

  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  WaitReply unknown = r1;
  unknown.uid = 99;
  EXPECT_FALSE(waits.mark_attachments_added(*tx, unknown));
}

}  // namespace
}  // namespace emailv2::store
