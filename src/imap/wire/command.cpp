#include "imap/wire/command.h"

#include "core/limits.h"
#include "core/text.h"
#include "imap/wire/mutf7.h"

namespace emailv2::imap::wire {

std::string quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

bool quotable(std::string_view value) {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return true;
}

CommandBuilder::CommandBuilder(std::string_view name, bool literal_plus) : literal_plus_(literal_plus) {
  command_.name = std::string(name);
  command_.segments.emplace_back(name);
  command_.trace = std::string(name);
  if (name.empty() || !quotable(name) || name.find('"') != std::string_view::npos) {
    set_error("invalid IMAP command name");
  }
}

void CommandBuilder::set_error(std::string detail) {
  if (!error_) error_ = Error(ErrorCode::kParamInvalid, std::move(detail));
}

void CommandBuilder::space() {
  command_.segments.back().push_back(' ');
  command_.trace.push_back(' ');
}

CommandBuilder& CommandBuilder::raw(std::string_view syntax) {
  if (syntax.empty() || !quotable(syntax)) {
    set_error("invalid IMAP syntax argument");
    return *this;
  }
  space();
  command_.segments.back().append(syntax);
  command_.trace.append(syntax);
  return *this;
}

CommandBuilder& CommandBuilder::sensitive_raw(std::string_view syntax) {
  if (syntax.empty() || !quotable(syntax)) {
    set_error("invalid IMAP syntax argument");
    return *this;
  }
  space();
  command_.segments.back().append(syntax);
  command_.trace.append("<redacted>");
  return *this;
}

CommandBuilder& CommandBuilder::number(std::uint64_t n) { return raw(std::to_string(n)); }

CommandBuilder& CommandBuilder::uid_set(const UidSet& set) {
  if (set.empty()) {
    set_error("empty UID set");
    return *this;
  }
  return raw(set.to_string());
}

CommandBuilder& CommandBuilder::string(std::string_view value) {
  append_string(value, false);
  return *this;
}

CommandBuilder& CommandBuilder::secret(std::string_view value) {
  append_string(value, true);
  return *this;
}

CommandBuilder& CommandBuilder::mailbox(std::string_view utf8_name) {
  if (text::iequals_ascii(utf8_name, "INBOX")) {
    append_string("INBOX", false);
    return *this;
  }
  auto encoded = mutf7_encode(utf8_name);
  if (!encoded) {
    if (!error_) error_ = encoded.error();
    return *this;
  }
  append_string(*encoded, false);
  return *this;
}

void CommandBuilder::append_string(std::string_view value, bool secret) {
  if (text::has_line_breaks_or_nul(value)) {
    set_error("a parameter contains CR, LF or NUL");
    return;
  }
  space();
  if (quotable(value)) {
    const std::string q = quote(value);
    command_.segments.back().append(q);
    command_.trace.append(secret ? std::string("<redacted>") : q);
    return;
  }
  append_literal(value, secret);
}

CommandBuilder& CommandBuilder::literal(std::string_view bytes) {
  if (bytes.find('\0') != std::string_view::npos) {
    set_error("message data contains NUL");
    return *this;
  }
  space();
  append_literal(bytes, false);
  return *this;
}

void CommandBuilder::append_literal(std::string_view value, bool secret) {
  const std::string marker = "{" + std::to_string(value.size()) + (literal_plus_ ? "+}" : "}");
  command_.segments.back().append(marker).append("\r\n");
  if (!literal_plus_) command_.segments.emplace_back();
  command_.segments.back().append(value);
  if (secret) {
    command_.trace.append("<redacted>");
  } else if (value.size() > limits::kTraceLiteralBytes) {
    command_.trace.append("{" + std::to_string(value.size()) + " bytes}");
  } else {
    command_.trace.append(marker).append(" ").append(text::echo_value(value));
  }
}

Result<Command> CommandBuilder::build() {
  if (error_) return fail(*error_);
  command_.segments.back().append("\r\n");
  return std::move(command_);
}

}  // namespace emailv2::imap::wire
