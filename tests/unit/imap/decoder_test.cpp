// Decoder tests: every row runs twice, with the whole input and one byte at a time. Hostile rows first.
#include "imap/wire/decoder.h"

#include <gtest/gtest.h>

#include <functional>

#include "decoder_support.h"
#include "imap/wire/parser_internal.h"

namespace emailv2::imap::wire {
namespace {

using testing::decode_all;
using testing::Decoded;
using testing::Feeding;
using testing::RecordingSink;

class DecoderTest : public ::testing::TestWithParam<Feeding> {
 protected:
  Decoded decode(std::string_view input, DecoderOptions options = {}, BodySink* sink = nullptr) {
    return decode_all(input, GetParam(), options, sink);
  }
};

INSTANTIATE_TEST_SUITE_P(Feedings, DecoderTest, ::testing::Values(Feeding::kWhole, Feeding::kByteByByte),
                         [](const auto& param_info) { return param_info.param == Feeding::kWhole ? "Whole" : "ByteByByte"; });

struct ErrorRow {
  const char* name;
  std::string input;
  const char* error;  // substring of the error text
};

TEST_P(DecoderTest, HostileInputsEndInProtocolError) {
  const std::vector<ErrorRow> rows = {
      {"literal over the cap (2^32)", "* 1 FETCH (BODY[] {4294967296}\r\n", "literal larger than"},
      {"literal size with 25 digits", "* 1 FETCH (BODY[] {9999999999999999999999999}\r\n", "literal larger than"},
      {"literal size overflowing 64 bits", "* 1 FETCH (BODY[] {18446744073709551616}\r\n", "literal larger than"},
      {"10,000-deep parentheses",
       "* 1 FETCH (BODYSTRUCTURE " + std::string(10'000, '(') + std::string(10'000, ')') + ")\r\n",
       "nested deeper than 64"},
      {"unterminated quoted string", "* LIST () \"/\" \"INBOX\r\n", "unterminated quoted string"},
      {"NUL byte in a line", std::string("* OK hel\0lo\r\n", 13), "NUL byte"},
      {"bare CR", "* OK a\rb\r\n", "bare CR"},
      {"unknown tagged condition", "A1 MAYBE done\r\n", "unknown tagged response"},
      {"tagged PREAUTH", "A1 PREAUTH x\r\n", "unknown tagged response"},
      {"FETCH of message 0", "* 0 FETCH (UID 1)\r\n", "FETCH of message 0"},
      {"UID 0", "* 1 FETCH (UID 0)\r\n", "UID 0"},
      {"sequence number over 32 bits", "* 4294967296 EXISTS\r\n", "number too large"},
      {"unterminated FETCH list", "* 1 FETCH (UID 5\r\n", "unterminated list"},
      {"garbage after a FETCH", "* 1 FETCH (UID 5) trailing\r\n", "unexpected data"},
      {"bad COPYUID set is kept verbatim, bad VANISHED is not", "* VANISHED 1:*\r\n", "bad VANISHED set"},
      {"empty line", "\r\n", "expected an atom"},
      {"literal where a number belongs", "* 1 FETCH (UID {1}\r\n5)\r\n", "expected a number"},
  };
  for (const ErrorRow& row : rows) {
    SCOPED_TRACE(row.name);
    const Decoded d = decode(row.input);
    EXPECT_EQ(d.last, DecodeState::kError);
    EXPECT_NE(d.error.find("PROTOCOL_ERROR"), std::string::npos) << d.error;
    EXPECT_NE(d.error.find(row.error), std::string::npos) << d.error;
  }
}

TEST_P(DecoderTest, LiteralClaimingMoreBytesThanFollowIsCutShort) {
  const Decoded d = decode("* 1 FETCH (BODY[] {10}\r\nabc");
  EXPECT_TRUE(d.responses.empty());
  EXPECT_EQ(d.last, DecodeState::kNeedMore);
  EXPECT_FALSE(d.finish_ok);
}

TEST_P(DecoderTest, ByeInTheMiddleOfALiteralIsLiteralData) {
  const Decoded d = decode("* 1 FETCH (BODY[] {50}\r\nhello\r\n* BYE shutting down\r\n");
  EXPECT_TRUE(d.responses.empty());
  EXPECT_FALSE(d.finish_ok);
}

TEST_P(DecoderTest, TaggedOkInsideALiteralDoesNotEndTheCommand) {
  const Decoded d = decode("* 1 FETCH (UID 7 BODY[] {14}\r\nA001 OK done\r\n)\r\nA001 OK fetched\r\n");
  ASSERT_EQ(d.responses.size(), 2u) << d.error;
  const FetchSection* body = d.responses[0].fetch.section("");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->data, "A001 OK done\r\n");
  EXPECT_EQ(d.responses[1].status.tag, "A001");
  EXPECT_EQ(d.responses[1].status.text, "fetched");
}

TEST_P(DecoderTest, UnsolicitedExpungeBetweenFetchResponses) {
  const Decoded d = decode(
      "* 1 FETCH (UID 5 FLAGS (\\Seen))\r\n* 2 EXPUNGE\r\n* 2 FETCH (UID 9 FLAGS ())\r\nA1 OK done\r\n");
  ASSERT_EQ(d.responses.size(), 4u) << d.error;
  EXPECT_EQ(d.responses[0].kind, ResponseKind::kFetch);
  EXPECT_EQ(d.responses[1].kind, ResponseKind::kExpunge);
  EXPECT_EQ(d.responses[1].number, 2u);
  EXPECT_EQ(d.responses[2].fetch.uid, 9u);
  EXPECT_TRUE(d.responses[2].fetch.flags->empty());
  EXPECT_TRUE(d.responses[3].is_tagged());
}

// ---- Limits, each crossed by one. ----

TEST_P(DecoderTest, LineLimitCrossedByOne) {
  DecoderOptions options;
  options.max_line_bytes = 16;
  EXPECT_EQ(decode("* OK 12345678901\r\n", options).responses.size(), 1u);  // 16 bytes
  const Decoded over = decode("* OK 123456789012\r\n", options);          // 17 bytes
  EXPECT_EQ(over.last, DecodeState::kError);
  EXPECT_NE(over.error.find("longer than 16"), std::string::npos);
}

TEST(DecoderLimits, RealLineLimitCrossedByOne) {
  const std::string at_limit = "* OK " + std::string(limits::kImapLineBytes - 5, 'x') + "\r\n";
  EXPECT_EQ(decode_all(at_limit, Feeding::kWhole).responses.size(), 1u);
  const std::string over = "* OK " + std::string(limits::kImapLineBytes - 4, 'x') + "\r\n";
  EXPECT_EQ(decode_all(over, Feeding::kWhole).last, DecodeState::kError);
}

TEST_P(DecoderTest, NonBodyLiteralCountsTowardsTheLineLimit) {
  DecoderOptions options;
  options.max_line_bytes = 29;
  // 18 line bytes + 11 literal bytes = 29: fits; one more byte does not.
  EXPECT_EQ(decode("* LIST () \"/\" {11}\r\nSpace \"quo\"\r\n", options).responses.size(), 1u);
  EXPECT_EQ(decode("* LIST () \"/\" {12}\r\nSpace \"quo\"!\r\n", options).last, DecodeState::kError);
}

TEST_P(DecoderTest, LiteralCapCrossedByOne) {
  DecoderOptions options;
  options.max_literal_bytes = 10;
  EXPECT_EQ(decode("* 1 FETCH (BODY[] {10}\r\n0123456789)\r\n", options).responses.size(), 1u);
  const Decoded over = decode("* 1 FETCH (BODY[] {11}\r\n0123456789a)\r\n", options);
  EXPECT_EQ(over.last, DecodeState::kError);
  EXPECT_NE(over.error.find("literal larger than 10"), std::string::npos);
}

TEST_P(DecoderTest, DefaultLiteralCapIsMaxMessageSizePlusSlack) {
  const std::uint64_t cap = limits::kDefaultMaxMessageMiB * limits::kMiB + limits::kImapLiteralSlackBytes;
  RecordingSink sink;
  // At the cap the literal starts streaming (the decoder waits for its bytes); one more byte is refused at once.
  const Decoded at = decode("* 1 FETCH (BODY[] {" + std::to_string(cap) + "}\r\n", {}, &sink);
  EXPECT_EQ(at.last, DecodeState::kNeedMore);
  ASSERT_EQ(sink.bodies.size(), 1u);
  EXPECT_EQ(sink.bodies[0].declared, cap);
  EXPECT_EQ(decode("* 1 FETCH (BODY[] {" + std::to_string(cap + 1) + "}\r\n").last, DecodeState::kError);
}

TEST_P(DecoderTest, NestingDepthCrossedByOne) {
  auto nested = [](std::size_t depth) {
    return "* 1 FETCH (BODYSTRUCTURE " + std::string(depth - 1, '(') + "NIL" + std::string(depth - 1, ')') +
           ")\r\n";
  };
  // The FETCH item list itself is depth 1.
  EXPECT_EQ(decode(nested(limits::kImapNestingDepth)).responses.size(), 1u);
  EXPECT_EQ(decode(nested(limits::kImapNestingDepth + 1)).last, DecodeState::kError);
}

// ---- Responses we use. ----

TEST_P(DecoderTest, GreetingsAndStatusResponses) {
  const Decoded d = decode(
      "* OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.\r\n"
      "* PREAUTH [ALERT] welcome\r\n"
      "* BYE Too many connections\r\n"
      "A1 OK\r\n"
      "A2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
      "A3 BAD Error in IMAP command: unknown\r\n"
      "a4 ok [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n");
  ASSERT_EQ(d.responses.size(), 7u) << d.error;
  const StatusResponse& greet = d.responses[0].status;
  EXPECT_EQ(greet.condition, Condition::kOk);
  ASSERT_TRUE(greet.code);
  EXPECT_EQ(greet.code->name, "CAPABILITY");
  EXPECT_EQ(greet.code->items, (std::vector<std::string>{"IMAP4rev1", "SASL-IR", "LITERAL+", "STARTTLS", "AUTH=PLAIN"}));
  EXPECT_EQ(greet.text, "Dovecot ready.");
  EXPECT_EQ(d.responses[1].status.condition, Condition::kPreauth);
  EXPECT_EQ(d.responses[1].status.code->name, "ALERT");
  EXPECT_TRUE(d.responses[2].is_untagged_bye());
  EXPECT_EQ(d.responses[3].status.tag, "A1");
  EXPECT_EQ(d.responses[3].status.text, "");
  EXPECT_EQ(d.responses[4].status.condition, Condition::kNo);
  EXPECT_EQ(d.responses[4].status.code->name, "AUTHENTICATIONFAILED");
  EXPECT_EQ(d.responses[5].status.condition, Condition::kBad);
  EXPECT_EQ(d.responses[6].status.code->name, "READ-WRITE");
  EXPECT_EQ(d.responses[6].status.tag, "a4");
}

TEST_P(DecoderTest, ResponseCodesWithArguments) {
  const Decoded d = decode(
      "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
      "* OK [UIDNEXT 4392] Predicted next UID\r\n"
      "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n"
      "A3 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n"
      "A4 OK [APPENDUID 38505 3955] APPEND completed\r\n"
      "A5 NO [BADCHARSET (US-ASCII \"UTF-8\")] charset\r\n"
      "A6 NO [BADCHARSET] charset\r\n"
      "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n"
      "* NO [X-WEIRD some (thing] odd\r\n"
      "A7 OK [COPYUID 1 nonsense] liberal\r\n");
  ASSERT_EQ(d.responses.size(), 10u) << d.error;
  EXPECT_EQ(d.responses[0].status.code->number, 3857529045u);
  EXPECT_EQ(d.responses[1].status.code->number, 4392u);
  EXPECT_EQ(d.responses[2].status.code->items, (std::vector<std::string>{"\\Deleted", "\\Seen", "\\*"}));
  const ResponseCode& copy = *d.responses[3].status.code;
  EXPECT_EQ(copy.number, 38505u);
  EXPECT_EQ(copy.source_uids.to_string(), "304,319:320");
  EXPECT_EQ(copy.uids.to_string(), "3956:3958");
  EXPECT_EQ(d.responses[4].status.code->uids.to_string(), "3955");
  EXPECT_EQ(d.responses[5].status.code->items, (std::vector<std::string>{"US-ASCII", "UTF-8"}));
  EXPECT_EQ(d.responses[6].status.code->name, "BADCHARSET");
  EXPECT_EQ(d.responses[7].status.code->number, 715194045007u);
  EXPECT_EQ(d.responses[8].status.code->text, "some (thing");
  EXPECT_EQ(d.responses[9].status.code->name, "COPYUID");
  EXPECT_EQ(d.responses[9].status.code->text, "1 nonsense");
}

TEST_P(DecoderTest, CapabilityListStatusSearch) {
  const Decoded d = decode(
      "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n"
      "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\"\r\n"
      "* LIST (\\Noselect) NIL \"\"\r\n"
      "* LIST () \".\" {11}\r\nSpace \"quo\"\r\n"
      "* LSUB () \"/\" Entw&APw-rfe\r\n"
      "* LIST (\\HasNoChildren) \"/\" &2D3eAA-broken&\r\n"
      "* STATUS \"INBOX\" (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 1 UNSEEN 3)\r\n"
      "* SEARCH 2 84 882\r\n"
      "* SEARCH\r\n"
      "* SEARCH 1 2 (MODSEQ 917162500)\r\n"
      "* ESEARCH (TAG \"A282\") UID MIN 2 COUNT 3 ALL 2,10:11\r\n"
      "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"
      "* ENABLED UTF8=ACCEPT\r\n");
  ASSERT_EQ(d.responses.size(), 13u) << d.error;
  EXPECT_EQ(d.responses[0].capabilities.size(), 3u);
  const MailboxListing& sent = d.responses[1].listing;
  EXPECT_TRUE(sent.has_attribute("\\sent"));
  EXPECT_EQ(sent.delimiter, '/');
  EXPECT_EQ(sent.name, "Sent Items");
  EXPECT_FALSE(d.responses[2].listing.delimiter);
  EXPECT_EQ(d.responses[3].listing.name, "Space \"quo\"");
  EXPECT_EQ(d.responses[4].kind, ResponseKind::kLsub);
  EXPECT_EQ(d.responses[4].listing.name, "Entw\xC3\xBCrfe");
  EXPECT_EQ(d.responses[5].listing.name, "&2D3eAA-broken&");  // not valid mUTF-7: kept as sent
  const MailboxStatus& st = d.responses[6].mailbox_status;
  EXPECT_EQ(st.messages, 231u);
  EXPECT_EQ(st.uid_next, 44292u);
  EXPECT_EQ(st.uid_validity, 1u);
  EXPECT_EQ(st.unseen, 3u);
  EXPECT_EQ(d.responses[7].search, (std::vector<std::uint32_t>{2, 84, 882}));
  EXPECT_TRUE(d.responses[8].search.empty());
  EXPECT_EQ(d.responses[9].search_modseq, 917162500u);
  const ESearchResult& es = d.responses[10].esearch;
  EXPECT_EQ(es.tag, "A282");
  EXPECT_TRUE(es.uid);
  EXPECT_EQ(es.min, 2u);
  EXPECT_EQ(es.count, 3u);
  EXPECT_EQ(es.all.to_string(), "2,10:11");
  EXPECT_EQ(d.responses[11].flags.size(), 6u);
  EXPECT_EQ(d.responses[12].kind, ResponseKind::kEnabled);
}

TEST_P(DecoderTest, MailboxSizeUpdatesAndContinuations) {
  const Decoded d = decode(
      "* 23 EXISTS\r\n* 5 RECENT\r\n* 44 EXPUNGE\r\n* VANISHED (EARLIER) 300:310,405\r\n* VANISHED 7\r\n"
      "+ idling\r\n+ \r\n+\r\n+ YWJj\r\n* ID (\"name\" \"Dovecot\")\r\n");
  ASSERT_EQ(d.responses.size(), 10u) << d.error;
  EXPECT_EQ(d.responses[0].kind, ResponseKind::kExists);
  EXPECT_EQ(d.responses[0].number, 23u);
  EXPECT_EQ(d.responses[1].kind, ResponseKind::kRecent);
  EXPECT_EQ(d.responses[2].kind, ResponseKind::kExpunge);
  EXPECT_TRUE(d.responses[3].vanished_earlier);
  EXPECT_EQ(d.responses[3].vanished.size(), 12u);
  EXPECT_FALSE(d.responses[4].vanished_earlier);
  EXPECT_EQ(d.responses[5].kind, ResponseKind::kContinuation);
  EXPECT_EQ(d.responses[5].continuation, "idling");
  EXPECT_EQ(d.responses[6].continuation, "");
  EXPECT_EQ(d.responses[7].kind, ResponseKind::kContinuation);
  EXPECT_EQ(d.responses[8].continuation, "YWJj");
  EXPECT_EQ(d.responses[9].kind, ResponseKind::kOther);
  EXPECT_EQ(d.responses[9].keyword, "ID");
}

TEST_P(DecoderTest, FetchItems) {
  const Decoded d = decode(
      "* 12 FETCH (UID 100 FLAGS (\\Seen \\Answered) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
      "RFC822.SIZE 4286 MODSEQ (624140003))\r\n"
      "* 13 FETCH (UID 101 BODY[HEADER.FIELDS (MESSAGE-ID)] {23}\r\nMessage-ID: <a@b>\r\n\r\n\r\n)\r\n"
      "* 14 FETCH (UID 102 BODY[] NIL BODY[TEXT]<0> \"x\\\"y\")\r\n"
      "* 15 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 12 1 NIL NIL NIL) "
      "\"MIXED\") ENVELOPE (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) X-GM-LABELS (\\Inbox) UID 103 "
      "BINARY.SIZE[1] 12 RFC822.HEADER {5}\r\nA: \r\n)\r\n"
      "* 16 FETCH (INTERNALDATE \" 1-Feb-2024 00:00:00 +0000\" UID 104)\r\n");
  ASSERT_EQ(d.responses.size(), 5u) << d.error;
  const FetchData& f = d.responses[0].fetch;
  EXPECT_EQ(f.seq, 12u);
  EXPECT_EQ(f.uid, 100u);
  EXPECT_EQ(f.flags, (std::vector<std::string>{"\\Seen", "\\Answered"}));
  EXPECT_EQ(f.internal_date_epoch, 837596665);  // 1996-07-17T09:44:25Z
  EXPECT_EQ(f.rfc822_size, 4286u);
  EXPECT_EQ(f.modseq, 624140003u);
  const FetchSection* hdr = d.responses[1].fetch.section("header.fields (message-id)");
  ASSERT_NE(hdr, nullptr);
  EXPECT_EQ(hdr->data, "Message-ID: <a@b>\r\n\r\n\r\n");
  EXPECT_EQ(hdr->item, "BODY[HEADER.FIELDS (MESSAGE-ID)]");
  const FetchData& nil = d.responses[2].fetch;
  ASSERT_EQ(nil.sections.size(), 2u);
  EXPECT_TRUE(nil.sections[0].nil);
  EXPECT_EQ(nil.sections[1].origin, 0u);
  EXPECT_EQ(nil.sections[1].data, "x\"y");
  EXPECT_EQ(d.responses[3].fetch.uid, 103u);
  EXPECT_EQ(d.responses[3].fetch.sections.at(0).item, "RFC822.HEADER");
  EXPECT_EQ(d.responses[4].fetch.internal_date_epoch, 1706745600);
}

TEST_P(DecoderTest, BodyLiteralsAreStreamedToTheSink) {
  RecordingSink sink;
  const std::string body(3000, 'b');
  const Decoded d = decode("* 7 FETCH (UID 70 BODY[] {3000}\r\n" + body +
                               " BODY[HEADER.FIELDS (SUBJECT)] {11}\r\nSubject: x\n)\r\n"
                               "* LIST () \"/\" {3}\r\nabc\r\nA1 OK\r\n",
                           {}, &sink);
  ASSERT_EQ(d.responses.size(), 3u) << d.error;
  ASSERT_EQ(sink.bodies.size(), 2u);  // the LIST literal is not a body: kept in the response
  EXPECT_EQ(sink.bodies[0].seq, 7u);
  EXPECT_EQ(sink.bodies[0].item, "BODY[]");
  EXPECT_EQ(sink.bodies[0].bytes, body);
  EXPECT_TRUE(sink.bodies[0].ended);
  if (GetParam() == Feeding::kByteByByte) {
    EXPECT_EQ(sink.bodies[0].chunks, 3000u);
  }
  EXPECT_EQ(sink.bodies[1].item, "BODY[HEADER.FIELDS (SUBJECT)]");
  const FetchSection* s = d.responses[0].fetch.section("");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->streamed);
  EXPECT_EQ(s->size, 3000u);
  EXPECT_TRUE(s->data.empty());
  EXPECT_EQ(d.responses[1].listing.name, "abc");
}

TEST_P(DecoderTest, ZeroLengthLiteralAndEmptyQuoted) {
  const Decoded d = decode("* 1 FETCH (BODY[] {0}\r\n UID 3)\r\n* LIST () \"/\" \"\"\r\n");
  ASSERT_EQ(d.responses.size(), 2u) << d.error;
  EXPECT_EQ(d.responses[0].fetch.sections[0].size, 0u);
  EXPECT_EQ(d.responses[0].fetch.uid, 3u);
}

TEST_P(DecoderTest, BareLineFeedIsAccepted) {
  const Decoded d = decode("* 3 EXISTS\nA1 OK done\n");
  ASSERT_EQ(d.responses.size(), 2u) << d.error;
}

TEST(Decoder, ErrorIsSticky) {
  Decoder decoder;
  std::size_t used = 0;
  EXPECT_EQ(decoder.feed(std::string_view("* OK \0\r\n", 8), used), DecodeState::kError);
  EXPECT_EQ(decoder.feed("* OK fine\r\n", used), DecodeState::kError);
  EXPECT_EQ(used, 0u);
  EXPECT_FALSE(decoder.finish());
}

TEST(Decoder, SinkErrorStopsDecoding) {
  struct FailingSink final : BodySink {
    Status begin(std::uint32_t, std::string_view, std::uint64_t) override { return ok(); }
    Status data(std::string_view) override { return fail(ErrorCode::kIoError, "disk full"); }
    Status end() override { return ok(); }
  } sink;
  const Decoded d = decode_all("* 1 FETCH (BODY[] {3}\r\nabc)\r\n", Feeding::kWhole, {}, &sink);
  EXPECT_EQ(d.last, DecodeState::kError);
  EXPECT_NE(d.error.find("IO_ERROR"), std::string::npos);
}

TEST(InternalDate, ParsesAndRejects) {
  EXPECT_EQ(parse_internal_date("01-Jan-1970 00:00:00 +0000"), 0);
  EXPECT_EQ(parse_internal_date("01-Jan-1970 01:00:00 +0100"), 0);
  EXPECT_EQ(parse_internal_date("31-Dec-1969 23:00:00 -0100"), 0);
  EXPECT_FALSE(parse_internal_date("01-Foo-1970 00:00:00 +0000"));
  EXPECT_FALSE(parse_internal_date("01-Jan-1970 24:00:00 +0000"));
  EXPECT_FALSE(parse_internal_date("1-Jan-1970 00:00:00 +0000"));
}

}  // namespace
}  // namespace emailv2::imap::wire
