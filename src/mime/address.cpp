#include "mime/address.h"

#include "core/limits.h"
#include "core/text.h"
#include "mime/encoded_words.h"
#include "mime/header_text.h"

namespace emailv2::mime {
namespace {

enum class Kind { kWord, kQuoted, kComment, kAngle, kSpecial };

struct Token {
  Kind kind;
  std::string text;  // word / quoted content / comment content / angle content / the special char
  bool space_before = false;
};

struct Tokenizer {
  std::string_view s;
  std::vector<std::string>& warnings;
  std::size_t i = 0;

  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
  static bool is_special(char c) { return c == ',' || c == ';' || c == ':' || c == '@' || c == '.'; }

  std::string quoted() {
    std::string out;
    const std::size_t start = i++;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      if (s[i] != '\r' && s[i] != '\n') out.push_back(s[i]);
      ++i;
    }
    if (i >= s.size()) warn_unterminated("quoted string", start);
    else ++i;
    return out;
  }

  std::string angle() {
    std::string out;
    const std::size_t start = i++;
    while (i < s.size() && s[i] != '>') {
      if (s[i] == '(') {
        i = skip_comment(s, i);
        continue;
      }
      if (s[i] == '"') {
        out += quoted();
        continue;
      }
      if (!is_space(s[i])) out.push_back(s[i]);
      ++i;
    }
    if (i >= s.size()) warn_unterminated("angle address", start);
    else ++i;
    return out;
  }

  void warn_unterminated(const char* what, std::size_t start) {
    warnings.push_back(std::string("ambiguous address: unterminated ") + what + " in \"" +
                       text::server_text(std::string(s.substr(start, 60))) + "\"");
  }

  std::vector<Token> run() {
    std::vector<Token> out;
    bool space = false;
    while (i < s.size()) {
      const char c = s[i];
      if (is_space(c)) {
        space = true;
        ++i;
        continue;
      }
      Token t{Kind::kWord, "", space};
      space = false;
      if (c == '"') {
        t.kind = Kind::kQuoted;
        t.text = quoted();
      } else if (c == '(') {
        t.kind = Kind::kComment;
        const std::size_t start = i;
        bool closed = false;
        i = skip_comment(s, i, &t.text, &closed);
        if (!closed) {
          warn_unterminated("comment", start);
        } else if (t.text.find('<') != std::string::npos && t.text.find('@') != std::string::npos) {
          warnings.push_back("ambiguous address: an address inside a comment was ignored");
        }
      } else if (c == '<') {
        t.kind = Kind::kAngle;
        t.text = angle();
      } else if (is_special(c)) {
        t.kind = Kind::kSpecial;
        t.text = std::string(1, c);
        ++i;
      } else {
        const std::size_t b = i;
        while (i < s.size() && !is_space(s[i]) && !is_special(s[i]) && s[i] != '"' && s[i] != '(' && s[i] != '<')
          ++i;
        // stray '>' or ')' form part of a word: lenient
        t.text = std::string(s.substr(b, i - b));
      }
      out.push_back(std::move(t));
    }
    return out;
  }
};

// Drops an obsolete route ("@a,@b:local@domain").
std::string strip_route(std::string addr) {
  if (!addr.empty() && addr.front() == '@') {
    const std::size_t colon = addr.find(':');
    if (colon != std::string::npos) addr.erase(0, colon + 1);
  }
  return addr;
}

class Builder {
 public:
  Builder(std::vector<std::string>& warnings, AddressList& out) : warnings_(warnings), out_(out) {}

  // One mailbox's tokens (no top-level ',' ';' ':').
  void mailbox(const std::vector<Token>& toks, std::size_t b, std::size_t e) {
    if (b >= e) return;
    std::string phrase;
    std::string comments;
    std::string angle;
    bool have_angle = false;
    for (std::size_t k = b; k < e; ++k) {
      const Token& t = toks[k];
      if (t.kind == Kind::kAngle && !have_angle) {
        have_angle = true;
        angle = t.text;
      } else if (t.kind == Kind::kComment) {
        append_word(comments, t.text, true);
      } else if (t.kind != Kind::kAngle) {
        append_word(phrase, t.text, t.space_before || t.kind == Kind::kQuoted);
      }
    }
    Address a;
    if (have_angle) {
      a.address = strip_route(angle);
      a.name = decode(phrase.empty() ? comments : phrase);
    } else {
      a.address = addr_spec(toks, b, e);
      a.name = decode(comments);
    }
    if (a.address.empty()) return;
    if (out_.addresses.size() >= limits::kAddressesPerHeader) {
      out_.truncated = true;
      return;
    }
    out_.addresses.push_back(std::move(a));
  }

 private:
  static void append_word(std::string& acc, const std::string& w, bool space) {
    if (!acc.empty() && space) acc.push_back(' ');
    acc += w;
  }

  std::string decode(const std::string& s) { return std::string(text::trim(decode_encoded_words(s, warnings_))); }

  // Dot-atoms joined across CFWS; stops at a whitespace gap between two words (the rest is reported).
  std::string addr_spec(const std::vector<Token>& toks, std::size_t b, std::size_t e) {
    std::string out;
    bool prev_joiner = true;
    bool stopped = false;
    for (std::size_t k = b; k < e; ++k) {
      const Token& t = toks[k];
      if (t.kind == Kind::kComment) continue;
      const bool joiner = t.kind == Kind::kSpecial;
      if (!out.empty() && !joiner && !prev_joiner && t.space_before) {
        stopped = true;
        break;
      }
      out += t.kind == Kind::kQuoted ? "\"" + t.text + "\"" : t.text;
      prev_joiner = joiner;
    }
    if (stopped) warnings_.push_back("ambiguous address: text after \"" + text::server_text(out) + "\" ignored");
    bool has_at = false;
    for (std::size_t k = b; k < e; ++k) has_at = has_at || (toks[k].kind == Kind::kSpecial && toks[k].text == "@");
    if (!has_at && !out.empty()) {
      warnings_.push_back("address without a domain ignored: \"" + text::server_text(out) + "\"");
      return {};
    }
    return out;
  }

  std::vector<std::string>& warnings_;
  AddressList& out_;
};

}  // namespace

AddressList parse_address_list(std::string_view value, std::vector<std::string>& warnings) {
  AddressList out;
  Tokenizer tz{value, warnings};
  const std::vector<Token> toks = tz.run();
  Builder builder(warnings, out);
  std::size_t start = 0;
  bool saw_at = false;  // an '@' since `start` (kept incrementally: hostile inputs stay linear)
  for (std::size_t k = 0; k <= toks.size(); ++k) {
    if (k < toks.size()) {
      const Token& t = toks[k];
      if (t.kind != Kind::kSpecial) continue;
      if (t.text == "@") {
        saw_at = true;
        continue;
      }
      if (t.text == ":") {
        // A group's display name: only when no '@' came before it in this item (else it is a route or junk).
        if (!saw_at) start = k + 1;
        continue;
      }
      if (t.text != "," && t.text != ";") continue;
    }
    builder.mailbox(toks, start, k);
    start = k + 1;
    saw_at = false;
  }
  return out;
}

}  // namespace emailv2::mime
