// Command tests over a FakeTransport: exact wire bytes, fallbacks, and how responses become results.
#include <gtest/gtest.h>

#include <thread>

#include "imap/commands/fetch.h"
#include "imap/commands/list.h"
#include "imap/commands/move.h"
#include "imap/commands/search.h"
#include "imap/commands/select.h"
#include "imap/commands/store.h"
#include "imap/commands/wait.h"
#include "session_support.h"
#include "support/test_env.h"

namespace emailv2::imap::commands {
namespace {

using emailv2::testing::FakeTransport;

Deadline soon() { return Deadline::after(std::chrono::seconds(5)); }

// A logged-in session whose capabilities are `caps`; the next tag is A002.
std::unique_ptr<Session> session_with(FakeTransport& t, const std::string& caps) {
  t.set_tls(true);
  t.server_sends("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n");
  t.server_sends("A001 OK [CAPABILITY " + caps + "] in\r\n");
  auto s = testing::open_session(t, testing::password_options());
  EXPECT_TRUE(s) << s.error().to_string();
  return s ? std::move(*s) : nullptr;
}

std::string written_after_login(const FakeTransport& t) {
  const auto pos = t.written().find("A002");
  return pos == std::string::npos ? "" : t.written().substr(pos);
}

TEST(Select, ReadsMailboxStateAndNotFoundIsConfirmedWithList) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1");
  ASSERT_TRUE(s);
  t.server_sends("* 172 EXISTS\r\n* 1 RECENT\r\n* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
                 "* OK [UIDNEXT 4392] next\r\n* FLAGS (\\Seen \\Deleted)\r\nA002 OK [READ-ONLY] EXAMINE done\r\n");
  auto st = select(*s, "Inbox", Access::kReadOnly, soon());
  ASSERT_TRUE(st) << st.error().to_string();
  EXPECT_EQ(st->exists, 172u);
  EXPECT_EQ(st->uid_validity, 3857529045u);
  EXPECT_EQ(st->uid_next, 4392u);
  EXPECT_TRUE(st->read_only);
  t.server_sends("A003 NO Mailbox doesn't exist: Nope\r\nA004 OK List done\r\n");
  auto missing = select(*s, "Nope \"x\"", Access::kReadWrite, soon());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().to_string(), "FOLDER_NOT_FOUND: Folder Nope \"x\" not found");
  EXPECT_NE(written_after_login(t).find("A003 SELECT \"Nope \\\"x\\\"\"\r\nA004 LIST \"\" \"Nope \\\"x\\\"\"\r\n"),
            std::string::npos);
  t.server_sends("A005 NO [NOPERM] denied\r\n* LIST () \"/\" Locked\r\nA006 OK\r\n");
  auto locked = select(*s, "Locked", Access::kReadWrite, soon());
  EXPECT_EQ(locked.error().code(), ErrorCode::kImapNo);
}

TEST(Search, EsearchAndBadCharset) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1 ESEARCH");
  ASSERT_TRUE(s);
  t.server_sends("* ESEARCH (TAG \"A002\") UID ALL 1:3,7\r\nA002 OK done\r\n");
  wire::SearchCriteria c;
  c.unseen = true;
  auto uids = uid_search(*s, c, soon());
  ASSERT_TRUE(uids) << uids.error().to_string();
  EXPECT_EQ(*uids, (std::vector<std::uint32_t>{1, 2, 3, 7}));
  EXPECT_EQ(written_after_login(t), "A002 UID SEARCH RETURN (ALL) UNSEEN\r\n");
  c.subject = "\xC3\xA9t\xC3\xA9";
  t.server_sends("+ ok\r\nA003 NO [BADCHARSET (US-ASCII)] unsupported\r\n");
  auto bad = uid_search(*s, c, soon());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().to_string(), "IMAP_NO: server does not support UTF-8 search");
  EXPECT_TRUE(s->usable());
}

TEST(Search, PlainSearchResponses) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1");
  ASSERT_TRUE(s);
  t.server_sends("* SEARCH 9 4\r\n* SEARCH 4 12\r\nA002 OK done\r\n");
  auto uids = uid_search(*s, {}, soon());
  ASSERT_TRUE(uids);
  EXPECT_EQ(*uids, (std::vector<std::uint32_t>{4, 9, 12}));
  EXPECT_EQ(written_after_login(t), "A002 UID SEARCH ALL\r\n");
}

TEST(FetchPlan, BatchesByCountAndDeclaredBytes) {
  std::vector<std::uint32_t> uids;
  for (std::uint32_t u = 1; u <= 250; ++u) uids.push_back(u);
  auto batches = plan_batches(uids, {}, 100, 16 * limits::kMiB);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].to_string(), "1:100");
  EXPECT_EQ(batches[2].to_string(), "201:250");
  // 16 MiB declared per batch, crossed by one byte; a single huge message gets a batch of its own.
  std::map<std::uint32_t, std::uint64_t> sizes = {{1, 8 * limits::kMiB}, {2, 8 * limits::kMiB}, {3, 1},
                                                   {4, 40 * limits::kMiB}, {5, 1}};
  auto by_size = plan_batches({5, 4, 3, 2, 1, 1}, sizes, 100, 16 * limits::kMiB);
  ASSERT_EQ(by_size.size(), 4u);
  EXPECT_EQ(by_size[0].to_string(), "1:2");
  EXPECT_EQ(by_size[1].to_string(), "3");
  EXPECT_EQ(by_size[2].to_string(), "4");
  EXPECT_EQ(by_size[3].to_string(), "5");
}

TEST(Fetch, PipelinedBatchesStreamBodiesAndSpoolLargeOnes) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1");
  ASSERT_TRUE(s);
  const std::string big(5000, 'B');
  t.server_sends("* 1 FETCH (UID 10 BODY[] {5}\r\nsmall)\r\n* 1 EXPUNGE\r\n"
                 "* 1 FETCH (UID 11 FLAGS (\\Seen))\r\n"  // an unsolicited flag update: not a delivery
                 "* 1 FETCH (UID 11 BODY[] {5000}\r\n" + big + ")\r\nA002 OK done\r\n");
  t.server_sends("* 2 FETCH (UID 13 BODY[] NIL)\r\nA003 OK done\r\n");
  FetchRequest req;
  req.uids = {10, 11, 12, 13};
  req.items.body_sections = {""};
  req.batch_uids = 2;
  req.memory_limit = 1000;
  emailv2::testing::TempDir spool;
  req.spool_dir = spool.path();
  std::vector<FetchedMessage> got;
  auto summary = uid_fetch(*s, req, [&](FetchedMessage&& m) {
    got.push_back(std::move(m));
    return ok();
  }, soon());
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(written_after_login(t), "A002 UID FETCH 10:11 (UID BODY.PEEK[])\r\nA003 UID FETCH 12:13 (UID BODY.PEEK[])\r\n");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].part("")->body.memory(), "small");
  EXPECT_FALSE(got[0].part("")->body.spooled());
  const Body& spooled = got[1].part("")->body;
  EXPECT_TRUE(spooled.spooled());
  EXPECT_EQ(spooled.path().parent_path(), spool.path());
  EXPECT_EQ(spooled.read_all().value(), big);
  EXPECT_TRUE(got[2].part("")->nil);
  EXPECT_EQ(summary->missing, (std::vector<std::uint32_t>{12}));
  const auto spool_file = spooled.path();
  got.clear();
  EXPECT_FALSE(std::filesystem::exists(spool_file));  // the spool dies with its Body
  EXPECT_EQ(s->mailbox().expunged, 1u);
}

TEST(Fetch, CallbackErrorDrainsTheBatchesAndKeepsTheSession) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1");
  ASSERT_TRUE(s);
  t.server_sends("* 1 FETCH (UID 1 RFC822.SIZE 10 INTERNALDATE \"01-Jan-2024 00:00:00 +0000\")\r\n"
                 "* 2 FETCH (UID 2 RFC822.SIZE 20)\r\nA002 OK done\r\n");
  FetchRequest req;
  req.uids = {1, 2};
  req.items.size = true;
  req.items.internal_date = true;
  int calls = 0;
  auto r = uid_fetch(*s, req, [&](FetchedMessage&& m) -> Status {
    ++calls;
    EXPECT_EQ(m.internal_date_epoch, 1704067200);
    return fail(ErrorCode::kIoError, "disk full");
  }, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kIoError);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(s->usable());
  EXPECT_EQ(written_after_login(t), "A002 UID FETCH 1:2 (UID INTERNALDATE RFC822.SIZE)\r\n");
}

TEST(Move, NativeMoveReadsCopyUid) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1 MOVE UIDPLUS");
  ASSERT_TRUE(s);
  t.server_sends("* OK [COPYUID 432 5:6 100:101] Moved\r\n* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nA002 OK Move done\r\n");
  auto r = uid_move(*s, wire::UidSet::from({5, 6}), "Archive/Été", soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->method, MoveMethod::kMove);
  EXPECT_EQ(r->copy.destination_uids.at(6), 101u);
  EXPECT_EQ(written_after_login(t), "A002 UID MOVE 5:6 \"Archive/&AMk-t&AOk-\"\r\n");
}

TEST(Move, UidplusFallback) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1 UIDPLUS");
  ASSERT_TRUE(s);
  t.server_sends("A002 OK [COPYUID 7 9 44] Copied\r\nA003 OK\r\n* 3 EXPUNGE\r\nA004 OK\r\n");
  auto r = uid_move(*s, wire::UidSet::from({9}), "Done", soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->method, MoveMethod::kCopyStoreUidExpunge);
  EXPECT_EQ(r->copy.destination_uids.at(9), 44u);
  EXPECT_EQ(written_after_login(t),
            "A002 UID COPY 9 \"Done\"\r\nA003 UID STORE 9 +FLAGS.SILENT (\\Deleted)\r\nA004 UID EXPUNGE 9\r\n");
}

TEST(Move, SafetyRuleExpungesOnlyWhenTheDeletedSetIsOurs) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1");
  ASSERT_TRUE(s);
  t.server_sends("A002 OK\r\nA003 OK\r\n* SEARCH 9\r\nA004 OK\r\n* 3 EXPUNGE\r\nA005 OK\r\n");
  auto r = uid_move(*s, wire::UidSet::from({9}), "Done", soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->method, MoveMethod::kCopyStoreExpunge);
  EXPECT_EQ(written_after_login(t),
            "A002 UID COPY 9 \"Done\"\r\nA003 UID STORE 9 +FLAGS.SILENT (\\Deleted)\r\nA004 UID SEARCH DELETED\r\n"
            "A005 EXPUNGE\r\n");
}

TEST(Move, SafetyRuleRefusesWhenOthersAreFlaggedDeleted) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1");
  ASSERT_TRUE(s);
  t.server_sends("A002 OK\r\nA003 OK\r\n* SEARCH 4 9\r\nA004 OK\r\nA005 OK\r\n");
  auto r = uid_move(*s, wire::UidSet::from({9}), "Done", soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(),
            "CAPABILITY_MISSING: server lacks MOVE and UIDPLUS and other messages are flagged \\Deleted; the copy in "
            "Done was kept, the original was not removed");
  EXPECT_EQ(written_after_login(t),
            "A002 UID COPY 9 \"Done\"\r\nA003 UID STORE 9 +FLAGS.SILENT (\\Deleted)\r\nA004 UID SEARCH DELETED\r\n"
            "A005 UID STORE 9 -FLAGS.SILENT (\\Deleted)\r\n");
}

TEST(Store, RefusesNonAtomFlags) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1");
  ASSERT_TRUE(s);
  for (const char* bad : {"\\Seen)", "a b", "", "\\", "x\r\n"}) {
    EXPECT_EQ(uid_store(*s, wire::UidSet::from({1}), FlagChange::kAdd, {bad}, soon()).error().code(),
              ErrorCode::kParamInvalid);
  }
  EXPECT_EQ(written_after_login(t), "");
}

TEST(List, SpecialUseAndExactMatch) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1 SPECIAL-USE");
  ASSERT_TRUE(s);
  t.server_sends("* LIST (\\HasNoChildren) \"/\" INBOX\r\n* LIST (\\Sent) \"/\" \"Sent Items\"\r\nA002 OK\r\n");
  auto all = list_folders(*s, soon());
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_TRUE((*all)[1].has_attribute("\\Sent"));
  EXPECT_EQ(written_after_login(t), "A002 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n");
  t.server_sends("* LIST () \"/\" abc\r\nA003 OK\r\n");
  auto wild = find_folder(*s, "a*", soon());
  ASSERT_TRUE(wild);
  EXPECT_FALSE(*wild);
  t.server_sends("* LIST () \"/\" INBOX\r\nA004 OK\r\n");
  auto inbox = find_folder(*s, "inbox", soon());
  ASSERT_TRUE(inbox && *inbox);
}

}  // namespace
}  // namespace emailv2::imap::commands

namespace emailv2::imap::commands {
namespace {

TEST(WaitForNewMail, PollsWithNoopUntilExistsGrows) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1");
  ASSERT_TRUE(s);
  s->mailbox().reset("INBOX");
  t.server_sends("* 3 EXISTS\r\nA002 OK\r\n");  // the folder as selected: not growth yet for this test's purpose
  ASSERT_TRUE(s->noop(soon()));
  s->mailbox().clear_events();
  t.server_sends("A003 OK\r\n");
  t.server_sends("A004 OK\r\n");
  t.server_sends("* 4 EXISTS\r\nA005 OK\r\n");
  int pauses = 0;
  WaitOptions o;
  o.poll_every = std::chrono::milliseconds(10);
  o.sleep = [&](std::chrono::milliseconds) { ++pauses; };
  auto grew = wait_for_new_mail(*s, Deadline::after(std::chrono::seconds(5)), o, soon());
  ASSERT_TRUE(grew) << grew.error().to_string();
  EXPECT_TRUE(*grew);
  EXPECT_EQ(pauses, 2);
  EXPECT_EQ(s->mailbox().exists, 4u);
}

TEST(WaitForNewMail, FalseWhenTheWindowEnds) {
  FakeTransport t;
  auto s = session_with(t, "IMAP4rev1");
  ASSERT_TRUE(s);
  t.server_sends("A002 OK\r\nA003 OK\r\n");
  WaitOptions o;
  o.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  auto grew = wait_for_new_mail(*s, Deadline::after(std::chrono::milliseconds(30)), o, soon());
  ASSERT_TRUE(grew) << grew.error().to_string();
  EXPECT_FALSE(*grew);
}

}  // namespace
}  // namespace emailv2::imap::commands

namespace emailv2::imap {
namespace {

TEST(BodyWriter, SpoolDirectoryThatDoesNotExistIsIoError) {
  auto w = BodyWriter::start(10, 4, "/nonexistent/emailv2-spool");
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kIoError);
  EXPECT_NE(w.error().detail().find("/nonexistent/emailv2-spool"), std::string::npos);
}

TEST(BodyWriter, MemoryLimitCrossedByOneSpools) {
  emailv2::testing::TempDir dir;
  auto at = BodyWriter::start(4, 4, dir.path());
  ASSERT_TRUE(at);
  ASSERT_TRUE(at->append("abcd"));
  EXPECT_FALSE(at->finish()->spooled());
  auto over = BodyWriter::start(5, 4, dir.path());
  ASSERT_TRUE(over);
  ASSERT_TRUE(over->append("ab"));
  ASSERT_TRUE(over->append("cde"));
  auto body = over->finish();
  ASSERT_TRUE(body);
  EXPECT_TRUE(body->spooled());
  EXPECT_EQ(body->read_all().value(), "abcde");
}

TEST(BodyWriter, ASpooledBodyIsNeverVisibleInTheSpoolDirectory) {
  // Unlinked as soon as created: while it is written, while it lives and after it dies the directory stays empty,
  // so a process killed mid-cycle leaves no mail content behind.
  emailv2::testing::TempDir dir;
  auto w = BodyWriter::start(6, 0, dir.path());
  ASSERT_TRUE(w);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  ASSERT_TRUE(w->append("spo"));
  ASSERT_TRUE(w->append("oled"));
  auto body = w->finish();
  ASSERT_TRUE(body);
  EXPECT_TRUE(body->spooled());
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  EXPECT_EQ(body->size(), 7u);
  EXPECT_EQ(body->read_all().value(), "spooled");
  EXPECT_EQ(body->read_all().value(), "spooled");  // read again: positioned reads, nothing consumed
  Body moved = std::move(*body);
  EXPECT_EQ(moved.read_all().value(), "spooled");
  EXPECT_EQ(body->read_all().value(), "");  // the moved-from Body is empty, not sharing the file
}

TEST(SessionLimits, LiteralCapFollowsMaxMessageSizeCrossedByOne) {
  for (const std::uint64_t extra : {0u, 1u}) {
    SCOPED_TRACE(extra);
    emailv2::testing::FakeTransport t;
    SessionOptions o = testing::password_options();
    o.max_message_bytes = 10;
    t.set_tls(true);
    t.server_sends("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n");
    t.server_sends("A001 OK [CAPABILITY IMAP4rev1] in\r\n");
    auto s = testing::open_session(t, o);
    ASSERT_TRUE(s);
    const std::uint64_t size = 10 + limits::kImapLiteralSlackBytes + extra;
    t.server_sends("* 1 FETCH (BODY[] {" + std::to_string(size) + "}\r\n" + std::string(size, 'x') +
                   ")\r\nA002 OK\r\n");
    auto st = (*s)->noop(Deadline::after(std::chrono::seconds(5)));
    if (extra == 0) {
      EXPECT_TRUE(st) << st.error().to_string();
    } else {
      ASSERT_FALSE(st);
      EXPECT_EQ(st.error().code(), ErrorCode::kProtocolError);
    }
  }
}

}  // namespace
}  // namespace emailv2::imap
