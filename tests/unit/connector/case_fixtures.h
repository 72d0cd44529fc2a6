#pragma once
// Fixture mails of the connector tests: files under tests/data/connector/ and an Outlook .msg built in-test (CFB
// writer), plus the fixed ingest context every golden test uses.

#include <string>

#include "connector/case_builder.h"
#include "mime/parse_message.h"
#include "support/test_env.h"

namespace emailv2::connector::test {

inline std::string fixture(const std::string& name) {
  return testing::read_file(testing::source_dir() / "tests/data/connector" / name);
}

inline store::MessageIdentity identity(std::uint32_t uid = 42) {
  return {"default", "soc@example.com@imap.example.com:993", "Inbox", 1700000000u, uid};
}

constexpr std::int64_t kInternalDateMs = 1566814815000;  // Mon, 26 Aug 2019 10:20:15 +0000

// Owns the raw bytes and the parsed message an IngestInput points into.
struct Ingest {
  std::string raw;
  mime::Message message;
  bool over_limit = false;

  explicit Ingest(std::string bytes, bool headers_only = false)
      : raw(std::move(bytes)), message(mime::parse_message(raw)), over_limit(headers_only) {}
  IngestInput input() const {
    return IngestInput{raw, message, identity(), from_epoch_ms(kInternalDateMs), {"\\Recent"}, raw.size(), over_limit};
  }
};

// A small Outlook message (MS-OXMSG) with a subject, sender, Message-ID, body and one file attachment.
std::string outlook_msg_bytes();

// An RFC 5322 report that carries outlook_msg_bytes() as "Suspicious.msg".
std::string mail_with_msg_attachment();

}  // namespace emailv2::connector::test
