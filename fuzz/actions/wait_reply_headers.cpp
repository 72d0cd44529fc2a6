// Fuzzes Wait For Email From User's header logic (reply_matching.h, auto_reply.h) on any bytes: the first line is
// the sent Message-ID, the rest a reply's header section. Nothing may crash, and the documented invariants hold:
// tokens are bracketed and never contain '<' inside, a link is only reported when the exact token (or the
// normalised Microsoft id) is really there, markers are bounded and free of line breaks.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "actions/auto_reply.h"
#include "actions/reply_matching.h"
#include "core/text.h"
#include "mail/search_criteria.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emailv2;
  const std::string in(reinterpret_cast<const char*>(data), size);
  const std::size_t eol = in.find('\n');
  const std::string id = eol == std::string::npos ? in : in.substr(0, eol);
  const std::string header = eol == std::string::npos ? std::string() : in.substr(eol + 1);

  for (std::string_view token : actions::message_id_tokens(header)) {
    if (token.size() < 2 || token.front() != '<' || token.back() != '>') std::abort();
    if (token.substr(1).find('<') != std::string_view::npos) std::abort();
  }
  const actions::ReplyLink link = actions::reply_link(header, id);
  const std::string wanted = "<" + mail::normalise_message_id(id) + ">";
  if (link == actions::ReplyLink::kInReplyTo || link == actions::ReplyLink::kReferences) {
    const auto value = mail::header_field_value(
        header, link == actions::ReplyLink::kInReplyTo ? "In-Reply-To" : "References");
    if (!value || value->find(wanted) == std::string::npos) std::abort();
  }
  if (link != actions::ReplyLink::kNone && mail::normalise_message_id(id).empty()) std::abort();

  const auto from = actions::from_addresses(header);
  for (const auto& a : from) {
    if (!actions::has_address(from, a) && !text::trim(a).empty()) std::abort();
  }
  if (const auto marker = actions::auto_reply_marker(header)) {
    if (marker->size() > 200 || text::has_line_breaks_or_nul(*marker)) std::abort();
  }
  return 0;
}
