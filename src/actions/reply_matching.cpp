#include "actions/reply_matching.h"

#include "core/text.h"
#include "mail/search_criteria.h"
#include "mime/address.h"

namespace emailv2::actions {

std::string_view to_string(ReplyLink link) {
  switch (link) {
    case ReplyLink::kNone:
      return "none";
    case ReplyLink::kInReplyTo:
      return "In-Reply-To";
    case ReplyLink::kReferences:
      return "References";
    case ReplyLink::kMicrosoftOriginalId:
      return "X-Microsoft-Original-Message-ID";
  }
  return "none";
}

std::vector<std::string_view> message_id_tokens(std::string_view value) {
  std::vector<std::string_view> tokens;
  std::size_t pos = 0;
  while (pos < value.size()) {
    const std::size_t open = value.find('<', pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = value.find('>', open + 1);
    if (close == std::string_view::npos) break;
    // A second '<' before the '>' starts the real token ("<<id>" or "< junk <id>").
    const std::size_t inner_open = value.rfind('<', close);
    tokens.push_back(value.substr(inner_open, close - inner_open + 1));
    pos = close + 1;
  }
  return tokens;
}

namespace {

bool holds_token(std::string_view header_block, std::string_view field, std::string_view wanted) {
  const auto value = mail::header_field_value(header_block, field);
  if (!value) return false;
  for (std::string_view token : message_id_tokens(*value)) {
    if (token == wanted) return true;
  }
  return false;
}

}  // namespace

ReplyLink reply_link(std::string_view header_block, std::string_view message_id) {
  const std::string id = mail::normalise_message_id(message_id);
  if (id.empty()) return ReplyLink::kNone;
  const std::string token = "<" + id + ">";
  if (holds_token(header_block, "In-Reply-To", token)) return ReplyLink::kInReplyTo;
  if (holds_token(header_block, "References", token)) return ReplyLink::kReferences;
  const auto original = mail::header_field_value(header_block, "X-Microsoft-Original-Message-ID");
  if (original && mail::normalise_message_id(*original) == id) return ReplyLink::kMicrosoftOriginalId;
  return ReplyLink::kNone;
}

std::vector<std::string> header_addresses(std::string_view header_block, std::string_view field) {
  std::vector<std::string> out;
  const auto value = mail::header_field_value(header_block, field);
  if (!value) return out;
  std::vector<std::string> warnings;
  for (auto& a : mime::parse_address_list(*value, warnings).addresses) {
    if (!a.address.empty()) out.push_back(std::move(a.address));
  }
  return out;
}

bool has_address(const std::vector<std::string>& addresses, std::string_view recipient) {
  const std::string_view wanted = text::trim(recipient);
  if (wanted.empty()) return false;
  for (const std::string& a : addresses) {
    if (text::iequals_ascii(text::trim(a), wanted)) return true;
  }
  return false;
}

}  // namespace emailv2::actions
