// Encoder tests: string forms, literals, injection attempts, modified UTF-7, UID sets, search keys.
#include <gtest/gtest.h>

#include "imap/wire/command.h"
#include "imap/wire/mutf7.h"
#include "imap/wire/search.h"
#include "imap/wire/uid_set.h"

namespace emailv2::imap::wire {
namespace {

std::string one_segment(CommandBuilder& b) {
  auto c = b.build();
  EXPECT_TRUE(c) << c.error().to_string();
  if (!c) return {};
  EXPECT_EQ(c->segments.size(), 1u);
  return c->segments.at(0);
}

TEST(CommandBuilder, InjectionAttemptsNeverReachTheWire) {
  const std::vector<std::string> hostile = {"x\r\nA2 DELETE INBOX", "x\nA2 LOGOUT", "x\r", std::string("a\0b", 3),
                                            "\r\n"};
  for (const std::string& value : hostile) {
    SCOPED_TRACE(value);
    CommandBuilder s("SELECT");
    s.string(value);
    auto c = s.build();
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code(), ErrorCode::kParamInvalid);
    CommandBuilder m("SELECT");
    m.mailbox(value);
    EXPECT_FALSE(m.build());
    CommandBuilder r("UID FETCH");
    r.raw(value);
    EXPECT_FALSE(r.build());
    CommandBuilder l("LOGIN");
    l.string("user").secret(value);
    EXPECT_FALSE(l.build());
  }
}

TEST(CommandBuilder, PrintableAsciiIsQuotedWithEscapes) {
  CommandBuilder b("SELECT");
  b.string("a \"quoted\" \\ name");
  EXPECT_EQ(one_segment(b), "SELECT \"a \\\"quoted\\\" \\\\ name\"\r\n");
  CommandBuilder e("SELECT");
  e.string("");
  EXPECT_EQ(one_segment(e), "SELECT \"\"\r\n");
}

TEST(CommandBuilder, EightBitValuesAreSynchronisingLiterals) {
  CommandBuilder b("UID SEARCH");
  b.raw("CHARSET").raw("UTF-8").raw("SUBJECT").string("caf\xC3\xA9").raw("UNSEEN");
  auto c = b.build();
  ASSERT_TRUE(c);
  ASSERT_EQ(c->segments.size(), 2u);
  EXPECT_EQ(c->segments[0], "UID SEARCH CHARSET UTF-8 SUBJECT {5}\r\n");
  EXPECT_EQ(c->segments[1], "caf\xC3\xA9 UNSEEN\r\n");
}

TEST(CommandBuilder, LiteralPlusDoesNotSplit) {
  CommandBuilder b("UID SEARCH", /*literal_plus=*/true);
  b.raw("SUBJECT").string("caf\xC3\xA9");
  EXPECT_EQ(one_segment(b), "UID SEARCH SUBJECT {5+}\r\ncaf\xC3\xA9\r\n");
}

TEST(CommandBuilder, TraceRedactsSecretsAndLongLiterals) {
  CommandBuilder b("LOGIN");
  b.string("alice").secret("hunter2\xC3\xA9");
  auto c = b.build();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->trace, "LOGIN \"alice\" <redacted>");
  EXPECT_EQ(c->trace.find("hunter2"), std::string::npos);
  CommandBuilder q("LOGIN");
  q.string("alice").secret("plain");
  EXPECT_EQ(q.build()->trace, "LOGIN \"alice\" <redacted>");
  CommandBuilder l("APPEND");
  l.string(std::string(300, '\xE9'));
  EXPECT_EQ(l.build()->trace, "APPEND {300 bytes}");
}

TEST(CommandBuilder, MailboxNames) {
  CommandBuilder inbox("SELECT");
  inbox.mailbox("Inbox");
  EXPECT_EQ(one_segment(inbox), "SELECT \"INBOX\"\r\n");
  CommandBuilder u("SELECT");
  u.mailbox("Entw\xC3\xBCrfe");
  EXPECT_EQ(one_segment(u), "SELECT \"Entw&APw-rfe\"\r\n");
  CommandBuilder bad("SELECT");
  bad.mailbox("\xC3");
  EXPECT_FALSE(bad.build());
}

TEST(CommandBuilder, EmptyUidSetIsRefused) {
  CommandBuilder b("UID FETCH");
  b.uid_set(UidSet{});
  EXPECT_FALSE(b.build());
}

TEST(ModifiedUtf7, KnownVectors) {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"INBOX", "INBOX"},
      {"\xC3\x89t\xC3\xA9", "&AMk-t&AOk-"},
      {"Entw\xC3\xBCrfe", "Entw&APw-rfe"},
      {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "&ZeVnLIqe-"},
      {"a&b", "a&-b"},
      {"~peter/mail/\xE5\x8F\xB0\xE5\x8C\x97/\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
       "~peter/mail/&U,BTFw-/&ZeVnLIqe-"},
      {"\xF0\x9F\x98\x80", "&2D3eAA-"},
      {"", ""},
  };
  for (const auto& [utf8, wire] : rows) {
    SCOPED_TRACE(wire);
    EXPECT_EQ(mutf7_encode(utf8).value(), wire);
    EXPECT_EQ(mutf7_decode(wire).value(), utf8);
  }
}

TEST(ModifiedUtf7, HostileInputsAreRejected) {
  for (const char* wire : {"&", "&AMk", "&AMk=-", "&2D0-", "&AEE-", "caf\xC3\xA9", "&ZeVnLIqe", "&A-", "&3gA-", "&AAA-", "&AA0-",
                           "a \"quoted\" &AAA-"}) {  // the last one: fuzz_imap_encode crash 2e2c2fac
    SCOPED_TRACE(wire);
    EXPECT_FALSE(mutf7_decode(wire));
  }
  for (const char* utf8 : {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\rb"}) {
    EXPECT_FALSE(mutf7_encode(utf8));
  }
}

TEST(UidSet, CompressesAndParses) {
  EXPECT_EQ(UidSet::from({9, 1, 2, 3, 4, 5, 7, 10, 11, 12, 3, 0}).to_string(), "1:5,7,9:12");
  EXPECT_EQ(UidSet::from({}).to_string(), "");
  EXPECT_EQ(UidSet::from({4294967295u, 4294967294u}).to_string(), "4294967294:4294967295");
  auto p = UidSet::parse("12:9,1,2:5,7");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->to_string(), "1:5,7,9:12");
  EXPECT_EQ(p->size(), 10u);
  EXPECT_TRUE(p->contains(7));
  EXPECT_FALSE(p->contains(8));
  for (const char* bad : {"", "*", "1:*", "0", "1,,2", "1,", "a", "4294967296", "1:2:3"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(UidSet::parse(bad));
  }
  EXPECT_EQ(UidSet::parse("1:4294967295")->expand(5).size(), 5u);
}

TEST(SearchKeys, AllWhenNoFilter) {
  CommandBuilder b("UID SEARCH");
  append_search_keys(b, {});
  EXPECT_EQ(one_segment(b), "UID SEARCH ALL\r\n");
}

TEST(SearchKeys, AsciiFiltersAreQuotedWithoutCharset) {
  SearchCriteria c;
  c.unseen = true;
  c.subject = "re: \"urgent\"";
  c.from = "bob@lab.test";
  c.since = SearchDate{2024, 2, 1};
  c.headers.push_back({"Message-ID", "abc@x"});
  CommandBuilder b("UID SEARCH");
  append_search_keys(b, c);
  EXPECT_EQ(one_segment(b),
            "UID SEARCH UNSEEN SUBJECT \"re: \\\"urgent\\\"\" FROM \"bob@lab.test\" SINCE 1-Feb-2024 HEADER "
            "\"Message-ID\" \"abc@x\"\r\n");
}

TEST(SearchKeys, NonAsciiAddsCharsetAndLiteral) {
  SearchCriteria c;
  c.to = "j\xC3\xBCrgen";
  CommandBuilder b("UID SEARCH");
  append_search_keys(b, c);
  auto cmd = b.build();
  ASSERT_TRUE(cmd);
  ASSERT_EQ(cmd->segments.size(), 2u);
  EXPECT_EQ(cmd->segments[0], "UID SEARCH CHARSET UTF-8 TO {7}\r\n");
  EXPECT_EQ(cmd->segments[1], "j\xC3\xBCrgen\r\n");
}

TEST(SearchKeys, InjectionInAFilterFails) {
  SearchCriteria c;
  c.subject = "x\r\nA9 DELETE INBOX";
  CommandBuilder b("UID SEARCH");
  append_search_keys(b, c);
  EXPECT_FALSE(b.build());
}

}  // namespace
}  // namespace emailv2::imap::wire
