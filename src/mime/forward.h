#pragma once
// Forward detection, the subject regex and the forwarded-email regexes (CONTRACT §4.2), on RE2.

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace emailv2::mime {

inline constexpr std::string_view kDefaultSubjectRegex = R"((?i)^(?:Subject: )?(?:(?:re|fwd): )*(.*)$)";
inline constexpr std::string_view kDefaultFromListRegex = R"(From:[^\n]*<([^>\n]*)>|From: ?([^\n]*))";
inline constexpr std::string_view kDefaultToRegex = R"((?m)^To:[^\n]*<([^>\n]*)>|^To: ?([^\n]*))";
inline constexpr std::string_view kForwardMarker = "---------- Forwarded message ---------";

struct NamedRegex {
  std::string name;
  std::shared_ptr<const re2::RE2> re;
};

// Compiles with RE2 (max_mem limits::kRegexMaxMemBytes); REGEX_INVALID with RE2's message otherwise.
Result<std::shared_ptr<const re2::RE2>> compile_regex(std::string_view pattern, std::string_view what);

struct ForwardRegexes {
  std::shared_ptr<const re2::RE2> subject;
  std::vector<NamedRegex> extractors;  // every non-subject entry, in configuration order

  // The §4.2 defaults: subject, from_list, to.
  static const ForwardRegexes& defaults();
};

// Group 1 of the subject regex (whole match when it has no group; the input when it does not match).
std::string apply_subject_regex(std::string_view raw_subject, const re2::RE2& re);

// Every match over `body`: the first non-empty group, else the whole match, trimmed of " \r\n"; at most `max_hits`.
std::vector<std::string> find_all(std::string_view body, const re2::RE2& re, std::size_t max_hits);

// §4.2: the raw subject matches (?i)^\s*fwd?: or text_body holds the Gmail forward marker.
bool detect_forward(std::string_view raw_subject, std::string_view text_body);

}  // namespace emailv2::mime
