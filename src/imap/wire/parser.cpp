// parse_response(): the grammar of server responses (RFC 3501 §7 and the extensions in response.h). One function
// per production; FETCH items live in fetch_parser.cpp.
#include <cctype>

#include "core/text.h"
#include "imap/wire/decoder.h"
#include "imap/wire/mutf7.h"
#include "imap/wire/parser_internal.h"
#include "imap/wire/reader.h"

namespace emailv2::imap::wire {
namespace {

void parse_code_args(Reader& r, ResponseCode& code) {
  const std::string& n = code.name;
  if (n == "CAPABILITY") {
    while (r.ok() && r.accept(' ')) code.items.push_back(r.atom());
  } else if (n == "PERMANENTFLAGS") {
    r.sp();
    r.list([&] { code.items.push_back(r.atom()); });
  } else if (n == "BADCHARSET") {
    if (r.accept(' ')) r.list([&] { code.items.push_back(r.astring()); });
  } else if (n == "UIDVALIDITY" || n == "UIDNEXT" || n == "UNSEEN" || n == "HIGHESTMODSEQ") {
    r.sp();
    code.number = r.number64();
  } else if (n == "APPENDUID" || n == "COPYUID") {
    r.sp();
    code.number = r.number64();
    r.sp();
    auto first = UidSet::parse(r.atom());
    if (!first) r.fail("bad uid set");
    if (n == "COPYUID") {
      r.sp();
      auto second = UidSet::parse(r.atom());
      if (!second) r.fail("bad uid set");
      if (r.ok()) code.source_uids = *first, code.uids = *second;
    } else if (r.ok()) {
      code.uids = *first;
    }
  } else if (r.accept(' ')) {
    code.text = r.until(']');
  }
}

// resp-text = ["[" resp-text-code "]" SP] text. A code we cannot parse is kept verbatim (liberal), not an error.
void parse_resp_text(Reader& r, StatusResponse& status) {
  if (!r.accept(' ')) return;  // "A1 OK" with no text
  if (r.accept('[')) {
    ResponseCode code;
    code.name = r.upper_atom();
    Reader probe = r;
    parse_code_args(probe, code);
    if (probe.ok() && probe.peek() == ']') {
      r = probe;
    } else {
      code.items.clear();
      r.accept(' ');
      code.text = r.until(']');
    }
    r.expect(']');
    r.accept(' ');
    status.code = std::move(code);
  }
  status.text = r.rest();
}

bool condition_of(std::string_view word, Condition& out) {
  static constexpr std::pair<std::string_view, Condition> kWords[] = {
      {"OK", Condition::kOk},   {"NO", Condition::kNo},           {"BAD", Condition::kBad},
      {"BYE", Condition::kBye}, {"PREAUTH", Condition::kPreauth}};
  for (const auto& [w, c] : kWords) {
    if (word == w) {
      out = c;
      return true;
    }
  }
  return false;
}

void parse_listing(Reader& r, MailboxListing& l) {
  r.sp();
  r.list([&] { l.attributes.push_back(r.atom()); });
  r.sp();
  if (r.accept_ci("NIL")) {
    l.delimiter.reset();
  } else {
    const std::string d = r.quoted();
    if (d.size() != 1) r.fail("bad hierarchy delimiter");
    if (r.ok()) l.delimiter = d[0];
  }
  r.sp();
  l.raw_name = r.astring();
  l.name = mailbox_name_from_wire(l.raw_name);
  if (r.accept(' ')) r.skip_value();  // LIST-EXTENDED data, unused
}

void parse_status_data(Reader& r, MailboxStatus& s) {
  r.sp();
  s.name = mailbox_name_from_wire(r.astring());
  r.sp();
  r.list([&] {
    const std::string item = r.upper_atom();
    r.sp();
    const std::uint64_t v = r.number64();
    if (!r.ok()) return;
    const auto v32 = static_cast<std::uint32_t>(std::min<std::uint64_t>(v, UINT32_MAX));
    if (item == "MESSAGES") s.messages = v32;
    else if (item == "RECENT") s.recent = v32;
    else if (item == "UIDNEXT") s.uid_next = v32;
    else if (item == "UNSEEN") s.unseen = v32;
    else if (item == "UIDVALIDITY") s.uid_validity = v;
  });
}

void parse_search(Reader& r, Response& out) {
  while (r.ok() && r.accept(' ')) {
    if (r.peek() == '(') {
      r.list([&] {
        if (r.upper_atom() == "MODSEQ") {
          r.sp();
          out.search_modseq = r.number64();
        } else {
          r.skip_value();
        }
      });
    } else if (!r.at_end()) {
      out.search.push_back(r.number32());
    }
  }
}

void parse_esearch(Reader& r, ESearchResult& e) {
  while (r.ok() && r.accept(' ')) {
    if (r.peek() == '(') {
      r.list([&] {
        if (r.upper_atom() == "TAG") {
          r.sp();
          e.tag = r.astring();
        } else {
          r.skip_value();
        }
      });
      continue;
    }
    const std::string name = r.upper_atom();
    if (name == "UID") {
      e.uid = true;
      continue;
    }
    r.sp();
    if (name == "MIN") e.min = r.number32();
    else if (name == "MAX") e.max = r.number32();
    else if (name == "COUNT") e.count = r.number64();
    else if (name == "ALL") {
      auto set = UidSet::parse(r.atom());
      if (!set) r.fail("bad ALL set");
      else e.all = std::move(*set);
    } else r.skip_value();
  }
}

void parse_vanished(Reader& r, Response& out) {
  r.sp();
  if (r.peek() == '(') {
    r.list([&] { out.vanished_earlier = r.upper_atom() == "EARLIER" || out.vanished_earlier; });
    r.sp();
  }
  auto set = UidSet::parse(r.atom());
  if (!set) r.fail("bad VANISHED set");
  else out.vanished = std::move(*set);
}

// "* <number> <keyword> ..."
void parse_numbered(Reader& r, Response& out) {
  const std::uint32_t n = r.number32();
  r.sp();
  const std::string keyword = r.upper_atom();
  if (!r.ok()) return;
  out.number = n;
  if (keyword == "EXISTS") out.kind = ResponseKind::kExists;
  else if (keyword == "RECENT") out.kind = ResponseKind::kRecent;
  else if (keyword == "EXPUNGE") out.kind = ResponseKind::kExpunge;
  else if (keyword == "FETCH") {
    out.kind = ResponseKind::kFetch;
    if (n == 0) r.fail("FETCH of message 0");
    out.fetch.seq = n;
    r.sp();
    parse_fetch_items(r, out.fetch);
  } else {
    out.kind = ResponseKind::kOther;
    out.keyword = keyword;
    r.rest();
  }
}

void parse_untagged(Reader& r, Response& out) {
  r.sp();
  if (std::isdigit(static_cast<unsigned char>(r.peek()))) return parse_numbered(r, out);
  const std::string keyword = r.upper_atom();
  if (!r.ok()) return;
  if (condition_of(keyword, out.status.condition)) {
    out.kind = ResponseKind::kStatus;
    return parse_resp_text(r, out.status);
  }
  if (keyword == "CAPABILITY" || keyword == "ENABLED") {
    out.kind = keyword == "ENABLED" ? ResponseKind::kEnabled : ResponseKind::kCapability;
    while (r.ok() && r.accept(' ')) {
      if (!r.at_end()) out.capabilities.push_back(r.atom());
    }
  } else if (keyword == "LIST" || keyword == "LSUB") {
    out.kind = keyword == "LIST" ? ResponseKind::kList : ResponseKind::kLsub;
    parse_listing(r, out.listing);
  } else if (keyword == "STATUS") {
    out.kind = ResponseKind::kStatusData;
    parse_status_data(r, out.mailbox_status);
  } else if (keyword == "SEARCH") {
    out.kind = ResponseKind::kSearch;
    parse_search(r, out);
  } else if (keyword == "ESEARCH") {
    out.kind = ResponseKind::kESearch;
    parse_esearch(r, out.esearch);
  } else if (keyword == "FLAGS") {
    out.kind = ResponseKind::kFlags;
    r.sp();
    r.list([&] { out.flags.push_back(r.atom()); });
  } else if (keyword == "VANISHED") {
    out.kind = ResponseKind::kVanished;
    parse_vanished(r, out);
  } else {
    out.kind = ResponseKind::kOther;
    out.keyword = keyword;
    r.rest();
  }
}

void parse_tagged(Reader& r, Response& out) {
  out.kind = ResponseKind::kStatus;
  out.status.tag = r.atom();
  r.sp();
  const std::string word = r.upper_atom();
  if (!r.ok()) return;
  if (!condition_of(word, out.status.condition) || out.status.condition == Condition::kPreauth) {
    return r.fail("unknown tagged response " + text::server_text(word));
  }
  parse_resp_text(r, out.status);
}

}  // namespace

Result<Response> parse_response(std::string_view text, const std::vector<FramedLiteral>& literals,
                                std::size_t max_depth) {
  Reader r(text, literals, max_depth);
  Response out;
  if (r.accept('+')) {
    out.kind = ResponseKind::kContinuation;
    r.accept(' ');
    out.continuation = r.rest();
  } else if (r.accept('*')) {
    parse_untagged(r, out);
  } else {
    parse_tagged(r, out);
  }
  if (r.ok() && !r.at_end()) r.fail("unexpected data after the response");
  if (!r.ok()) return fail(ErrorCode::kProtocolError, "malformed IMAP response: " + r.error());
  return out;
}

}  // namespace emailv2::imap::wire
