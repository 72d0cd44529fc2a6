#pragma once
// On-disk file names (CONTRACT §6.4). The original attachment name stays metadata; only the name used on disk is
// sanitised here. Pure functions over bytes: no filesystem access (see core/safe_file_writer.h for the writer).
//
// NFC: core does not link ICU or GLib, so the caller NFC-normalises first (mime::nfc(), src/mime/nfc.h, which uses
// GLib through GMime) and passes the normalised string. Given a non-NFC string the sanitiser is still safe — every
// rule below holds — the name is just not normalised. See docs/filesystem.md.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace emailv2::file_names {

// Longest sanitised name in bytes, before the ` (N)` clash suffix.
constexpr std::size_t kMaxNameBytes = 200;
// Longest tail counted as an extension (".tar.gz" counts as ".gz"); a longer tail is part of the stem.
constexpr std::size_t kMaxExtensionBytes = 32;
// Room the clash suffix may add: " (" + up to 10 digits + ")".
constexpr std::size_t kMaxClashSuffixBytes = 13;

// The §6.4 name, steps (2)–(6), for an already NFC-normalised `name`:
//  (2) `/`, `\`, NUL, C0 controls, DEL, bidi controls U+202A–U+202E and U+2066–U+2069, `:*?"<>|` and every byte
//      that is not part of valid UTF-8 each become one `_`;
//  (3) leading and trailing dots and spaces are stripped;
//  (4) `_` is prefixed to Windows device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9; case-insensitive), bare or with
//      any extension (`con.txt`, `nul.tar.gz`), and to names starting with `-`;
//  (5) an empty result (from "", ".", "..", "  . ") becomes `Undefined_{UUID v4}` + the extension, if any;
//  (6) a result over kMaxNameBytes is cut at a UTF-8 character boundary, keeping the extension.
// The result is valid UTF-8, 1..kMaxNameBytes bytes, never "." or "..", contains no `/` and no NUL.
std::string sanitise(std::string_view name);

// The extension of a sanitised name: from its last '.' (not at position 0) when that tail is at most
// kMaxExtensionBytes long, e.g. ".gz" for "a.tar.gz"; "" otherwise.
std::string_view extension(std::string_view name);

// The case wall's split of an original (unsanitised) attachment name into name = stem and type = extension with its
// dot (CONTRACT §5.4), used by the connector, Save and Wait alike. A tail holding a path separator is no extension:
// "../../etc/passwd" stays whole with no type.
std::pair<std::string, std::string> stem_and_type(std::string_view original_name);

// The clash-suffixed form of a sanitised name: n <= 1 → the name; n >= 2 → ` (n)` before the extension
// ("a.txt" → "a (2).txt", "a" → "a (2)").
std::string with_clash_suffix(std::string_view name, unsigned n);

// A random RFC 4122 version-4 UUID in lower-case hex with dashes (OpenSSL RAND_bytes).
std::string random_uuid();

}  // namespace emailv2::file_names
