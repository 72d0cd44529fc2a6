#include "mime/outlook/rtf_decapsulate.h"

#include <array>
#include <map>

#include "mime/outlook/code_page.h"
#include "mime/outlook/outlook_limits.h"

namespace emailv2::mime::outlook {
namespace {

constexpr std::size_t kHeaderScanBytes = 8192;
constexpr std::uint32_t kNoCodePage = 0;

struct GroupState {
  bool skip = false;        // an ignored destination (font table, \*\unknown, pictures, …)
  bool in_font_table = false;
  bool html_tag = false;    // inside {\*\htmltag…}
  bool html_rtf = false;    // \htmlrtf on: RTF-only rendering, not part of the original
  bool star = false;        // the group opened with \*, the next control word names its destination
  bool first_word = true;   // no control word seen yet in this group
  int unicode_skip = 1;     // \ucN
  std::uint32_t code_page = kNoCodePage;  // code page of the current font
  bool font_selected = false;             // a \fN outside the font table chose the font
};

std::uint32_t charset_code_page(int charset) {
  static const std::map<int, std::uint32_t> kCharsets{
      {0, 1252},   {77, 10000}, {128, 932},  {129, 949},  {130, 1361}, {134, 936},  {136, 950},  {161, 1253},
      {162, 1254}, {163, 1258}, {177, 1255}, {178, 1256}, {186, 1257}, {204, 1251}, {222, 874},  {238, 1250},
      {254, 437},  {255, 850}};
  auto it = kCharsets.find(charset);
  return it == kCharsets.end() ? kNoCodePage : it->second;
}

bool is_skipped_destination(std::string_view word) {
  static constexpr std::array<std::string_view, 28> kDestinations{
      "fonttbl",   "colortbl",  "stylesheet", "info",       "pict",         "object",     "header",
      "footer",    "headerl",   "headerr",    "footerl",    "footerr",      "listtable",  "listoverridetable",
      "revtbl",    "rsidtbl",   "generator",  "xmlnstbl",   "themedata",    "colorschememapping",
      "latentstyles", "datastore", "filetbl", "fldinst",    "pntext",       "listtext",   "private",
      "mmathPr"};
  for (std::string_view d : kDestinations) {
    if (word == d) return true;
  }
  return false;
}

std::string_view special_character(std::string_view word) {
  if (word == "emdash") return "\xE2\x80\x94";
  if (word == "endash") return "\xE2\x80\x93";
  if (word == "bullet") return "\xE2\x80\xA2";
  if (word == "lquote") return "\xE2\x80\x98";
  if (word == "rquote") return "\xE2\x80\x99";
  if (word == "ldblquote") return "\xE2\x80\x9C";
  if (word == "rdblquote") return "\xE2\x80\x9D";
  if (word == "emspace" || word == "enspace" || word == "qmspace") return " ";
  return {};
}

class Decapsulator {
 public:
  Decapsulator(std::string_view rtf, std::uint32_t fallback) : rtf_(rtf), fallback_code_page_(fallback) {}

  RtfBody run() {
    const std::string_view head = rtf_.substr(0, kHeaderScanBytes);
    if (head.find("\\fromhtml") != std::string_view::npos) {
      body_.kind = RtfBodyKind::kHtml;
    } else if (head.find("\\fromtext") != std::string_view::npos) {
      body_.kind = RtfBodyKind::kText;
    }
    stack_.push_back(GroupState{});
    while (pos_ < rtf_.size()) step();
    flush();
    return std::move(body_);
  }

 private:
  GroupState& state() { return stack_.back(); }

  bool visible() {
    const GroupState& s = state();
    if (s.skip) return false;
    if (body_.kind == RtfBodyKind::kHtml) return s.html_tag || !s.html_rtf;
    if (body_.kind == RtfBodyKind::kText) return !s.html_rtf;
    return true;
  }

  // Inside {\*\htmltag} the document code page applies; elsewhere the current font's, then the default font's.
  std::uint32_t code_page() {
    if (!state().html_tag) {
      if (state().code_page != kNoCodePage) return state().code_page;
      if (!state().font_selected) {
        auto it = font_code_pages_.find(default_font_);
        if (it != font_code_pages_.end()) return it->second;
      }
    }
    return document_code_page_ != kNoCodePage ? document_code_page_ : fallback_code_page_;
  }

  void flush() {
    if (pending_.empty()) return;
    DecodedText decoded = decode_code_page(pending_, pending_code_page_);
    if ((decoded.had_invalid || !decoded.code_page_known) && !warned_code_page_) {
      body_.warnings.push_back("RTF: text not valid in code page " + std::to_string(pending_code_page_));
      warned_code_page_ = true;
    }
    body_.text += decoded.utf8;
    pending_.clear();
  }

  void emit_byte(char c) {
    if (skip_chars_ > 0) {
      --skip_chars_;
      return;
    }
    if (!visible()) return;
    const std::uint32_t cp = code_page();
    if (!pending_.empty() && cp != pending_code_page_) flush();
    pending_code_page_ = cp;
    pending_ += c;
  }

  void emit_utf8(std::string_view s) {
    if (!visible()) return;
    flush();
    body_.text += s;
  }

  void step() {
    const char c = rtf_[pos_++];
    switch (c) {
      case '{':
        skip_chars_ = 0;
        if (stack_.size() >= limits::kMaxRtfDepth) {
          ++flattened_;
          return;
        }
        stack_.push_back(state());
        state().star = false;
        state().first_word = true;
        return;
      case '}':
        skip_chars_ = 0;
        if (flattened_ > 0) {
          --flattened_;
        } else if (stack_.size() > 1) {
          stack_.pop_back();
        }
        return;
      case '\\':
        control();
        return;
      case '\r':
      case '\n':
        return;
      default:
        emit_byte(c);
    }
  }

  void control() {
    if (pos_ >= rtf_.size()) return;
    const char c = rtf_[pos_];
    if (!is_letter(c)) {
      ++pos_;
      symbol(c);
      return;
    }
    const std::size_t start = pos_;
    while (pos_ < rtf_.size() && is_letter(rtf_[pos_]) && pos_ - start < 32) ++pos_;
    const std::string_view word = rtf_.substr(start, pos_ - start);
    bool has_param = false;
    long param = 0;
    bool negative = false;
    if (pos_ < rtf_.size() && rtf_[pos_] == '-') {
      negative = true;
      ++pos_;
    }
    while (pos_ < rtf_.size() && rtf_[pos_] >= '0' && rtf_[pos_] <= '9') {
      has_param = true;
      if (param < 100'000'000) param = param * 10 + (rtf_[pos_] - '0');
      ++pos_;
    }
    if (negative) param = -param;
    if (pos_ < rtf_.size() && rtf_[pos_] == ' ') ++pos_;
    word_(word, has_param, param);
  }

  static bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

  void symbol(char c) {
    switch (c) {
      case '*':
        state().star = true;
        return;
      case '\'': {
        if (pos_ + 2 > rtf_.size()) return;
        const int hi = hex(rtf_[pos_]);
        const int lo = hex(rtf_[pos_ + 1]);
        pos_ += 2;
        if (hi < 0 || lo < 0) return;
        emit_byte(static_cast<char>(hi * 16 + lo));
        return;
      }
      case '\\':
      case '{':
      case '}':
        emit_byte(c);
        return;
      case '~':
        emit_utf8("\xC2\xA0");
        return;
      case '_':
        emit_utf8("-");
        return;
      case '\r':
      case '\n':
        emit_utf8("\r\n");
        return;
      default:
        return;  // \- \: \| and unknown symbols
    }
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  void destination(std::string_view word) {
    GroupState& s = state();
    const bool first = s.first_word;
    s.first_word = false;
    if (!first) return;
    if (s.star) {
      if (word == "htmltag" && body_.kind == RtfBodyKind::kHtml) {
        s.html_tag = true;
        s.html_rtf = false;
      } else {
        s.skip = true;
      }
      return;
    }
    if (is_skipped_destination(word)) {
      s.skip = true;
      s.in_font_table = word == "fonttbl";
    }
  }

  void word_(std::string_view word, bool has_param, long param) {
    destination(word);
    skip_chars_ = 0;
    GroupState& s = state();
    if (word == "htmlrtf") {
      s.html_rtf = !has_param || param != 0;
    } else if (word == "ansicpg" && has_param && param > 0) {
      document_code_page_ = static_cast<std::uint32_t>(param);
    } else if (word == "mac" && document_code_page_ == kNoCodePage) {
      document_code_page_ = 10000;
    } else if (word == "f" && has_param) {
      font(static_cast<int>(param));
    } else if (word == "fcharset" && has_param && s.in_font_table) {
      const std::uint32_t cp = charset_code_page(static_cast<int>(param));
      if (cp != kNoCodePage) font_code_pages_[current_font_] = cp;
    } else if (word == "deff" && has_param) {
      default_font_ = static_cast<int>(param);
    } else if (word == "uc" && has_param) {
      s.unicode_skip = static_cast<int>(std::max(0L, std::min(param, 16L)));
    } else if (word == "u" && has_param) {
      unicode(param);
    } else if (word == "par" || word == "line" || word == "sect" || word == "row") {
      emit_utf8("\r\n");
    } else if (word == "tab" || word == "cell") {
      emit_utf8("\t");
    } else if (auto special = special_character(word); !special.empty()) {
      emit_utf8(special);
    }
  }

  void font(int number) {
    if (state().in_font_table) {
      current_font_ = number;
      return;
    }
    auto it = font_code_pages_.find(number);
    state().code_page = it == font_code_pages_.end() ? kNoCodePage : it->second;
    state().font_selected = true;
  }

  void unicode(long param) {
    char32_t unit = static_cast<char32_t>(param < 0 ? param + 65536 : param) & 0xFFFF;
    std::string utf8;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      high_surrogate_ = unit;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF && high_surrogate_ != 0) {
      append_utf8(utf8, 0x10000 + ((high_surrogate_ - 0xD800) << 10) + (unit - 0xDC00));
      high_surrogate_ = 0;
    } else {
      append_utf8(utf8, unit);
      high_surrogate_ = 0;
    }
    if (!utf8.empty()) emit_utf8(utf8);
    skip_chars_ = state().unicode_skip;
  }

  std::string_view rtf_;
  std::uint32_t fallback_code_page_;
  std::uint32_t document_code_page_ = kNoCodePage;
  std::map<int, std::uint32_t> font_code_pages_;
  int current_font_ = 0;
  int default_font_ = 0;
  std::size_t pos_ = 0;
  std::size_t flattened_ = 0;
  int skip_chars_ = 0;
  char32_t high_surrogate_ = 0;
  std::vector<GroupState> stack_;
  std::string pending_;
  std::uint32_t pending_code_page_ = kCodePageWindows1252;
  bool warned_code_page_ = false;
  RtfBody body_;
};

}  // namespace

RtfBody rtf_to_body(std::string_view rtf, std::uint32_t fallback_code_page) {
  return Decapsulator(rtf, fallback_code_page == 0 ? kCodePageWindows1252 : fallback_code_page).run();
}

}  // namespace emailv2::mime::outlook
