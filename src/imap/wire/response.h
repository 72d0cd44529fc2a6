#pragma once
// Values decoded from IMAP server responses (RFC 3501 §7, RFC 4315 UIDPLUS, RFC 4731 ESEARCH, RFC 6154 SPECIAL-USE,
// RFC 7162 VANISHED). A Response owns all its data except streamed body literals, which went to a BodySink as they
// arrived (see decoder.h) and are described here only by their size.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imap/wire/uid_set.h"

namespace emailv2::imap::wire {

enum class Condition { kOk, kNo, kBad, kBye, kPreauth };

// A bracketed response code: `[UIDVALIDITY 3857529045]`, `[COPYUID 38505 304,319:320 3956:3958]`, ...
struct ResponseCode {
  std::string name;                 // upper-cased atom: "UIDVALIDITY", "ALERT", "CAPABILITY", ...
  std::vector<std::string> items;   // CAPABILITY / PERMANENTFLAGS / BADCHARSET lists
  std::uint64_t number = 0;         // UIDVALIDITY, UIDNEXT, UNSEEN, HIGHESTMODSEQ; COPYUID/APPENDUID: uidvalidity
  UidSet source_uids;               // COPYUID source set
  UidSet uids;                      // COPYUID destination set, APPENDUID uid
  std::string text;                 // argument text of any other code, verbatim
};

struct StatusResponse {
  std::string tag;  // empty for untagged
  Condition condition = Condition::kOk;
  std::optional<ResponseCode> code;
  std::string text;  // human-readable text, raw (callers clean it with text::server_text)
};

// LIST / LSUB (RFC 3501 §7.2.2, RFC 6154 special-use attributes such as \Sent, \Trash).
struct MailboxListing {
  std::vector<std::string> attributes;  // as sent, e.g. "\\HasNoChildren", "\\Sent"
  std::optional<char> delimiter;        // nullopt for NIL
  std::string name;                     // decoded from modified UTF-7 to UTF-8 (raw when not valid mUTF-7)
  std::string raw_name;                 // as sent on the wire
  bool has_attribute(std::string_view attribute) const;  // case-insensitive
};

// STATUS (RFC 3501 §7.2.4).
struct MailboxStatus {
  std::string name;  // decoded
  std::optional<std::uint32_t> messages, recent, uid_next, unseen;
  std::optional<std::uint64_t> uid_validity;
};

// ESEARCH (RFC 4731).
struct ESearchResult {
  std::string tag;  // the (TAG "x") correlator, empty when absent
  bool uid = false;
  std::optional<std::uint32_t> min, max;
  std::optional<std::uint64_t> count;
  UidSet all;
};

// One BODY[...] / BINARY[...] / RFC822* item of a FETCH response.
struct FetchSection {
  std::string item;     // upper-cased item name as sent, e.g. "BODY[HEADER.FIELDS (MESSAGE-ID)]", "RFC822.HEADER"
  std::string section;  // the text between the brackets, upper-cased: "", "HEADER", "HEADER.FIELDS (MESSAGE-ID)"
  std::optional<std::uint32_t> origin;  // <origin> of a partial fetch
  bool nil = false;                     // the server sent NIL
  bool streamed = false;                // the bytes went to the BodySink; `data` is empty
  std::uint64_t size = 0;               // bytes of the value
  std::string data;                     // the bytes when not streamed
};

struct FetchData {
  std::uint32_t seq = 0;
  std::optional<std::uint32_t> uid;
  std::optional<std::vector<std::string>> flags;
  std::optional<std::string> internal_date;       // as sent: "17-Jul-1996 02:44:25 -0700"
  std::optional<std::int64_t> internal_date_epoch;  // seconds since the epoch, when it parsed
  std::optional<std::uint64_t> rfc822_size;
  std::optional<std::uint64_t> modseq;
  std::vector<FetchSection> sections;
  const FetchSection* section(std::string_view name) const;  // by `section` text, case-insensitive
};

enum class ResponseKind {
  kContinuation,  // "+ text"
  kStatus,        // tagged or untagged OK/NO/BAD/BYE/PREAUTH
  kCapability,
  kList,
  kLsub,
  kStatusData,  // STATUS
  kSearch,
  kESearch,
  kFlags,
  kExists,
  kRecent,
  kExpunge,
  kVanished,
  kFetch,
  kEnabled,
  kOther,  // an untagged response we do not use: kept as its keyword
};

struct Response {
  ResponseKind kind = ResponseKind::kOther;
  StatusResponse status;                  // kStatus
  std::string continuation;               // kContinuation: text after "+ " (base64 challenge or prose)
  std::vector<std::string> capabilities;  // kCapability, kEnabled
  MailboxListing listing;                 // kList, kLsub
  MailboxStatus mailbox_status;           // kStatusData
  std::vector<std::uint32_t> search;      // kSearch
  std::optional<std::uint64_t> search_modseq;
  ESearchResult esearch;                // kESearch
  std::vector<std::string> flags;       // kFlags
  std::uint32_t number = 0;             // kExists, kRecent, kExpunge (message count or sequence number)
  UidSet vanished;                      // kVanished
  bool vanished_earlier = false;        // VANISHED (EARLIER)
  FetchData fetch;                      // kFetch
  std::string keyword;                  // kOther: the response keyword, upper-cased

  bool is_tagged() const { return kind == ResponseKind::kStatus && !status.tag.empty(); }
  bool is_untagged_bye() const {
    return kind == ResponseKind::kStatus && status.tag.empty() && status.condition == Condition::kBye;
  }
};

}  // namespace emailv2::imap::wire
