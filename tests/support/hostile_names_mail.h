#pragma once
// Builds the hostile-attachment-name mails of the filesystem suite (issue 8 "Filesystem", CONTRACT §6.4) in the
// test itself: no big committed fixtures. Names travel as RFC 2231 `filename*` parameters (percent-encoded UTF-8,
// split into continuations), so every byte — NUL, CR/LF, invalid UTF-8, 10,000-byte names — reaches the parser.
// Each attachment's bytes are unique ("<tag> #<index>") unless the caller repeats them on purpose, so a test can map
// any file on disk back to the attachment it came from and prove nothing was overwritten.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace emailv2::testing::hostile {

struct Part {
  std::string name;  // raw bytes of the original file name
  std::string data;  // the attachment bytes
  std::string content_type = "application/octet-stream";
};

// RFC 2231 percent-encoding of every byte outside [A-Za-z0-9.-_~].
inline std::string pct(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '-' || c == '_' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

inline std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t line = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    unsigned v = 0;
    for (std::size_t k = 0; k < 3; ++k) v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += n > 1 ? kAlphabet[(v >> 6) & 63] : '=';
    out += n > 2 ? kAlphabet[v & 63] : '=';
    if (++line == 19) {
      out += "\r\n";
      line = 0;
    }
  }
  return out + "\r\n";
}

// `filename*0*=UTF-8''…; filename*1*=…` folded over lines of at most ~80 characters.
inline std::string disposition(std::string_view name) {
  const std::string encoded = pct(name);
  std::string out = "Content-Disposition: attachment";
  constexpr std::size_t kChunk = 60;
  std::size_t index = 0;
  std::size_t pos = 0;
  do {
    std::size_t end = std::min(encoded.size(), pos + kChunk);
    // Never split a %XX triplet.
    while (end < encoded.size() && ((end >= 1 && encoded[end - 1] == '%') || (end >= 2 && encoded[end - 2] == '%'))) {
      --end;
    }
    out += ";\r\n filename*" + std::to_string(index++) + "*=" + (pos == 0 ? "UTF-8''" : "") +
           encoded.substr(pos, end - pos);
    pos = end;
  } while (pos < encoded.size());
  return out + "\r\n";
}

// One multipart/mixed mail with a text body and the given parts.
inline std::string mail(const std::string& message_id, const std::string& subject, const std::vector<Part>& parts,
                        const std::string& from = "Mallory <mallory@lab.test>",
                        const std::string& to = "soc@lab.test") {
  const std::string boundary = "=_hostile_boundary_7f3a";
  std::string out = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: " + message_id +
                    "\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n";
  for (const Part& p : parts) {
    out += "--" + boundary + "\r\nContent-Type: " + p.content_type + "\r\nContent-Transfer-Encoding: base64\r\n";
    out += disposition(p.name);
    out += "\r\n" + base64(p.data);
  }
  return out + "--" + boundary + "--\r\n";
}

// The suite's names: ≥ 200 hostile originals, hostile rows first. Covers traversal (`../`, `..\`, mixed, deep),
// absolute POSIX and Windows paths, NUL, CR/LF and every C0 control, DEL, bidi overrides, Windows device names (bare,
// with extensions, odd case, trailing spaces), leading dashes, dots-and-spaces-only names, invalid UTF-8 (incl. the
// overlong '/'), shell metacharacters, 10,000-byte names (ASCII, multibyte, traversal-repeated), names that only
// collide after sanitising or NFC, and names aimed at the temp-file pattern and at pre-planted entries.
inline std::vector<std::string> names() {
  std::vector<std::string> n = {
      "../escape.txt", "../../escape.txt", "../../../../../../../../tmp/emailv2-hostile-escape.txt",
      "..", ".", "...", "./..", "../", "..//..//x", "a/../../b.txt", "a/./../../../c.txt", "sub/dir/file.txt",
      "/etc/passwd", "/tmp/emailv2-hostile-abs.txt", "//server/share/x.txt", "/", "//", "/..", "/../..",
      "..\\escape.txt", "..\\..\\..\\windows\\system32\\evil.dll", "C:\\Windows\\evil.exe", "C:evil.txt",
      "\\\\server\\share\\x.txt", "\\..\\x", "..\\/..\\/x", "..%2F..%2Fx.txt", "%2e%2e%2fx.txt", "....//....//x",
      "..;/x", "..\t/x", std::string("a\0b.txt", 7), std::string("\0", 1), std::string("evil.txt\0.pdf", 13),
      std::string("\0../../x", 8), "a\r\nb.txt", "\r\n", "line\nbreak.txt", "cr\ronly.txt", "tab\tname.txt",
      "bell\a.txt", "esc\x1b[31mred.txt", "del\x7f.txt", "invoice\u202Efdp.exe", "\u202Eexe.txt",
      "\u2066isolate\u2069.txt", "\u202Aembed\u202C.pdf", "\u202B\u202D\u2067\u2068.txt", "CON", "con", "PRN",
      "AUX", "NUL", "nul", "COM1", "com9", "LPT1", "lpt9", "con.txt", "CON.TXT", "nul.tar.gz", "aux.c", "Com3.log",
      "LPT5.", "CON .txt", "con. txt", "prn.", "-rf", "--help", "-", "--", "-n.txt", " ", "  ", " . ", ". .", "..  ..",
      " leading.txt", "trailing.txt ", "trailing.", "name...", ".hidden", "..hidden", "\xff\xfe.txt", "\xc0\xaf.txt",
      "\xc0\xae\xc0\xae\xc0\xafx", "\xed\xa0\x80.txt", "\xf4\x90\x80\x80.txt", "\x80\x80\x80", "half\xe2\x82.txt",
      "$(rm -rf ~).txt", "`id`.txt", "a;b.txt", "|cat.txt", "<x>.txt", "\"quoted\".txt", "a:b.txt", "a*b?.txt",
      "*", "?", "|", ":", "<", ">", "\"", "~", "~/x.txt", "$HOME", "%00.txt", "%n%s%x.txt", "{{7*7}}.txt",
      "name.txt::$DATA", "file.txt:stream", "e\u0301.txt", "\u00e9.txt", "A\u030a.txt", "\u00c5.txt",
      "\u2215fake-slash.txt", "\uff0ffullwidth.txt", "\u2044frac.txt", ".emailv2-planted.tmp", "planted.txt",
      "planted-link.txt", "dangling-link.txt", "dir-link", "hardlink.txt", "fifo", "subdir"};
  // 10,000-byte names.
  n.push_back(std::string(10000, 'a'));
  n.push_back(std::string(9996, 'b') + ".pdf");
  std::string accented;
  while (accented.size() < 10000) accented += "\u00e9";
  n.push_back(accented);
  std::string traversal;
  while (traversal.size() < 10000) traversal += "../";
  n.push_back(traversal + "x.txt");
  n.push_back(std::string(10000, '.'));
  n.push_back(std::string(10000, ' ') + ".txt");
  n.push_back(std::string(5000, '\n') + std::string(5000, 'c'));
  n.push_back("x." + std::string(9998, 'e'));
  // Every C0 control alone and inside a name.
  for (int c = 1; c < 32; ++c) {
    n.push_back(std::string(1, static_cast<char>(c)));
    n.push_back("c" + std::to_string(c) + std::string(1, static_cast<char>(c)) + ".bin");
  }
  // Device names with every extension style.
  for (const char* dev : {"CON", "PRN", "AUX", "NUL", "COM2", "COM7", "LPT2", "LPT8"}) {
    n.push_back(std::string(dev) + ".tar.gz");
    n.push_back(std::string(dev) + "  .docx");
  }
  // Names that collide after sanitising (same on-disk name, different bytes).
  for (const char* c : {"/", "\\", ":", "*", "?", "\"", "<", ">", "|", "\x01", "\u202E"}) {
    n.push_back(std::string("collide") + c + "x.txt");
  }
  return n;
}

// Message-IDs aimed at the <msgdir> of Download (§3.9): traversal, absolute, dot-only, device, bidi, 400 bytes.
inline std::vector<std::string> message_ids() {
  return {"<../../../../tmp/emailv2-hostile-id@x>", "</tmp/emailv2-hostile-abs-id@x>", "<con>", "<..>", "<.>",
          "<..\\..\\win@x>", "<-rf@x>", "<\u202Eevil@x>", "<" + std::string(400, 'a') + "@x>", "<a/b/c@x>",
          "<nul.txt>", "< . >", "<dir-link>", "<planted-file>"};
}

struct HostileMailSet {
  std::vector<std::string> ids;    // Message-ID of each mail, as in its header (each distinct)
  std::vector<std::string> mails;  // raw mails
  std::vector<std::string> contents;  // every attachment's bytes, all distinct
};

// names() spread over mails of `per_mail` attachments each; `tag` makes the Message-IDs unique per run when the
// mails go to a shared server ("" keeps them exactly as message_ids() has them).
inline HostileMailSet mail_set(std::size_t per_mail = 24, const std::string& tag = "") {
  const auto all = names();
  const auto ids = message_ids();
  HostileMailSet set;
  for (std::size_t start = 0, m = 0; start < all.size(); start += per_mail, ++m) {
    std::vector<Part> parts;
    for (std::size_t i = start; i < std::min(all.size(), start + per_mail); ++i) {
      parts.push_back({all[i], "hostile attachment #" + std::to_string(i)});
      set.contents.push_back(parts.back().data);
    }
    std::string id = ids[m % ids.size()];
    if (!tag.empty()) id.insert(id.size() - 1, tag);
    set.ids.push_back(id);
    set.mails.push_back(mail(id, "hostile " + std::to_string(m), parts));
  }
  return set;
}

}  // namespace emailv2::testing::hostile
