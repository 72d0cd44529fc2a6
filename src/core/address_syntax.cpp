#include "core/address_syntax.h"

namespace emailv2::address {
namespace {

bool is_atext(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return true;  // RFC 6532 UTF-8
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}

// dot-atom: atext+ ("." atext+)*
bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = '\0';
  for (char c : s) {
    if (c == '.') {
      if (prev == '.') return false;
    } else if (!is_atext(c)) {
      return false;
    }
    prev = c;
  }
  return true;
}

// quoted-string covering the whole of s: DQUOTE *(qtext / quoted-pair) DQUOTE. Appends the unescaped content.
bool parse_quoted(std::string_view s, std::string* content) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      if (i + 2 >= s.size()) return false;  // the escape would swallow the closing quote
      c = s[++i];
      if (c == '\r' || c == '\n' || c == '\0') return false;
    } else if (c == '"' || (is_control(c) && c != '\t')) {
      return false;
    }
    if (content != nullptr) *content += c;
  }
  return true;
}

bool is_domain(std::string_view d) {
  if (d.size() >= 2 && d.front() == '[' && d.back() == ']') {
    const std::string_view inner = d.substr(1, d.size() - 2);
    if (inner.empty()) return false;
    for (char c : inner) {
      if (c == '[' || c == ']' || c == '\\' || is_control(c) || c == ' ') return false;
    }
    return true;
  }
  return is_dot_atom(d);
}

// Finds the '@' separating local part and domain: the last '@' outside a quoted local part.
std::size_t find_at(std::string_view s) {
  if (!s.empty() && s.front() == '"') {
    bool escaped = false;
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (escaped) {
        escaped = false;
      } else if (s[i] == '\\') {
        escaped = true;
      } else if (s[i] == '"') {
        return i + 1 < s.size() && s[i + 1] == '@' ? i + 1 : std::string_view::npos;
      }
    }
    return std::string_view::npos;
  }
  return s.rfind('@');
}

// Splits a display-name phrase into words and checks each; returns the unquoted name.
std::optional<std::string> parse_phrase(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t') {
      ++i;
      continue;
    }
    std::string word;
    if (s[i] == '"') {
      std::size_t j = i + 1;
      bool escaped = false;
      for (; j < s.size(); ++j) {
        if (escaped) {
          escaped = false;
        } else if (s[j] == '\\') {
          escaped = true;
        } else if (s[j] == '"') {
          break;
        }
      }
      if (j >= s.size()) return std::nullopt;
      if (!parse_quoted(s.substr(i, j - i + 1), &word)) return std::nullopt;
      i = j + 1;
    } else {
      const std::size_t start = i;
      while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '"') {
        if (!is_atext(s[i]) && s[i] != '.') return std::nullopt;
        ++i;
      }
      word = std::string(s.substr(start, i - start));
    }
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

}  // namespace

std::string Mailbox::domain() const {
  const std::size_t at = addr_spec.rfind('@');
  return at == std::string::npos ? std::string() : addr_spec.substr(at + 1);
}

bool is_addr_spec(std::string_view text) {
  const std::size_t at = find_at(text);
  if (at == std::string_view::npos || at == 0 || at + 1 >= text.size()) return false;
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  const bool local_ok = local.front() == '"' ? parse_quoted(local, nullptr) : is_dot_atom(local);
  return local_ok && is_domain(domain);
}

std::optional<Mailbox> parse_mailbox(std::string_view text) {
  // Only blanks are trimmed: CR/LF/NUL anywhere make the text invalid.
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  if (s.back() != '>') {
    if (!is_addr_spec(s)) return std::nullopt;
    return Mailbox{{}, std::string(s)};
  }
  // name-addr: the angle-addr is the last '<' ... '>' (a quoted display name may hold '<').
  const std::size_t open = s.rfind('<');
  if (open == std::string_view::npos) return std::nullopt;
  const std::string_view spec = s.substr(open + 1, s.size() - open - 2);
  if (!is_addr_spec(spec)) return std::nullopt;
  auto name = parse_phrase(s.substr(0, open));
  if (!name) return std::nullopt;
  return Mailbox{std::move(*name), std::string(spec)};
}

}  // namespace emailv2::address
