#include "smtp/envelope.h"

#include <algorithm>
#include <unordered_set>

#include "core/limits.h"
#include "core/text.h"

namespace emailv2::smtp {
namespace {

Status invalid(std::string_view what, std::string_view address, std::string_view why) {
  return fail(ErrorCode::kParamInvalid,
              "Invalid " + std::string(what) + " address \"" + text::echo_value(address) + "\": " + std::string(why));
}

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}

// Index of the '@' separating local part and domain, skipping a quoted local part; npos when malformed.
std::size_t find_at(std::string_view address) {
  std::size_t i = 0;
  if (!address.empty() && address.front() == '"') {
    for (i = 1; i < address.size() && address[i] != '"'; ++i) {
      if (address[i] == '\\') ++i;
    }
    if (i >= address.size()) return std::string_view::npos;
    ++i;
    return i < address.size() && address[i] == '@' ? i : std::string_view::npos;
  }
  return address.find('@');
}

}  // namespace

Status check_address(std::string_view address, std::string_view what) {
  if (address.empty()) return invalid(what, address, "empty");
  if (address.size() > kMaxPathBytes) return invalid(what, address, "longer than 256 bytes");
  if (std::any_of(address.begin(), address.end(), is_control)) {
    return invalid(what, address, "contains a control character (CR, LF, NUL, ...)");
  }
  if (address.find_first_of("<>") != std::string_view::npos) return invalid(what, address, "contains < or >");
  const std::size_t at = find_at(address);
  if (at == std::string_view::npos || at == 0 || at + 1 >= address.size()) {
    return invalid(what, address, "not of the form local-part@domain");
  }
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (domain.find_first_of("@ \t\"\\,;") != std::string_view::npos) return invalid(what, address, "invalid domain");
  if (local.front() != '"' && local.find_first_of(" \t\"\\,;:@()[]") != std::string_view::npos) {
    return invalid(what, address, "invalid local part");
  }
  return ok();
}

std::vector<std::string> unique_recipients(const std::vector<std::string>& recipients) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const auto& r : recipients) {
    if (seen.insert(text::to_lower_ascii(r)).second) out.push_back(r);
  }
  return out;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool needs_smtputf8(const Envelope& envelope) {
  if (envelope.headers_need_smtputf8 || !is_ascii(envelope.sender)) return true;
  return std::any_of(envelope.recipients.begin(), envelope.recipients.end(),
                     [](const std::string& r) { return !is_ascii(r); });
}

Status check_envelope(const Envelope& envelope) {
  EMAILV2_TRY(check_address(envelope.sender, "sender"));
  for (const auto& r : envelope.recipients) EMAILV2_TRY(check_address(r, "recipient"));
  if (envelope.recipients.empty()) return fail(ErrorCode::kParamInvalid, "The message has no recipient");
  if (unique_recipients(envelope.recipients).size() > limits::kMaxRecipients) {
    return fail(ErrorCode::kParamInvalid,
                "More than " + std::to_string(limits::kMaxRecipients) + " recipients in one message");
  }
  return ok();
}

}  // namespace emailv2::smtp
