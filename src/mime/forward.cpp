#include "mime/forward.h"

#include "core/limits.h"

namespace emailv2::mime {

Result<std::shared_ptr<const re2::RE2>> compile_regex(std::string_view pattern, std::string_view what) {
  re2::RE2::Options opts;
  opts.set_max_mem(limits::kRegexMaxMemBytes);
  opts.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), opts);
  if (!re->ok()) return fail(ErrorCode::kRegexInvalid, "invalid regex for " + std::string(what) + ": " + re->error());
  return re;
}

const ForwardRegexes& ForwardRegexes::defaults() {
  static const ForwardRegexes d = [] {
    ForwardRegexes r;
    r.subject = *compile_regex(kDefaultSubjectRegex, "subject");
    r.extractors.push_back({"from_list", *compile_regex(kDefaultFromListRegex, "from_list")});
    r.extractors.push_back({"to", *compile_regex(kDefaultToRegex, "to")});
    return r;
  }();
  return d;
}

std::string apply_subject_regex(std::string_view raw_subject, const re2::RE2& re) {
  re2::StringPiece input(raw_subject.data(), raw_subject.size());
  const int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(groups) + 1);
  if (!re.Match(input, 0, input.size(), re2::RE2::UNANCHORED, sub.data(), static_cast<int>(sub.size())))
    return std::string(raw_subject);
  const re2::StringPiece& pick = groups >= 1 ? sub[1] : sub[0];
  return std::string(pick.data() == nullptr ? "" : std::string(pick.data(), pick.size()));
}

std::vector<std::string> find_all(std::string_view body, const re2::RE2& re, std::size_t max_hits) {
  std::vector<std::string> out;
  const int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(groups) + 1);
  const re2::StringPiece input(body.data(), body.size());
  std::size_t pos = 0;
  while (pos <= input.size() && out.size() < max_hits) {
    if (!re.Match(input, pos, input.size(), re2::RE2::UNANCHORED, sub.data(), static_cast<int>(sub.size()))) break;
    re2::StringPiece value = sub[0];
    for (int g = 1; g <= groups; ++g) {
      if (!sub[static_cast<std::size_t>(g)].empty()) {
        value = sub[static_cast<std::size_t>(g)];
        break;
      }
    }
    std::string v(value.data(), value.size());
    const std::size_t b = v.find_first_not_of(" \r\n");
    const std::size_t e = v.find_last_not_of(" \r\n");
    out.push_back(b == std::string::npos ? std::string() : v.substr(b, e - b + 1));
    const std::size_t end = static_cast<std::size_t>(sub[0].data() - input.data()) + sub[0].size();
    pos = sub[0].empty() ? end + 1 : end;
  }
  return out;
}

bool detect_forward(std::string_view raw_subject, std::string_view text_body) {
  static const re2::RE2 fwd(R"((?i)^\s*fwd?:)");
  return re2::RE2::PartialMatch(re2::StringPiece(raw_subject.data(), raw_subject.size()), fwd) ||
         text_body.find(kForwardMarker) != std::string_view::npos;
}

}  // namespace emailv2::mime
