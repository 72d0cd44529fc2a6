// Regex safety (issue 8, CONTRACT §5.2/§6.3): every user-supplied regex is compiled by RE2 through one of the two
// compile functions (actions::compile_regex for action parameters, mime::compile_regex for the forwarded-email
// regexes), so catastrophic-backtracking patterns run in linear time. The table holds the classic ReDoS shapes; each
// is compiled through both entry points and searched over 100 KiB hostile subjects built to trigger exponential
// behaviour in a backtracking engine. The assertions are on results, not on time: a backtracking engine would not
// finish this suite at all. A second test keeps the invariant structural: no source file uses <regex>.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "actions/params.h"
#include "mime/forward.h"
#include "support/test_env.h"

namespace emailv2::actions {
namespace {

struct Bomb {
  const char* pattern;
  std::string subject;
  bool matches;
};

std::string rep(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

const std::vector<Bomb>& bombs() {
  static const std::size_t n = 100 * 1024;
  static const std::vector<Bomb> table = {
      {"(a+)+$", rep("a", n) + "!", false},
      {"(a*)*$", rep("a", n) + "!", true},  // empty match at the end
      {"(a|aa)+$", rep("a", n) + "!", false},
      {"(a|a?)+$", rep("a", n) + "!", true},
      {"(.*a){20}", rep("a", n / 2) + rep("b", n / 2), true},
      {"(.*a){30}x", rep("a", n), false},
      {"^(a+)+b", rep("a", n), false},
      {"^(\\w+\\s?)*$", rep("word ", n / 5) + "!", false},
      {"^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
       rep("a", n) + "!", false},
      {"(x+x+)+y", rep("x", n), false},
      {"(\\d+)*\\.", rep("1", n), false},
      {"^(([a-z])+.)+[A-Z]([a-z])+$", rep("a", n), false},
      {"(a+){10}y", rep("a", n), false},
      {"(?:a|b|ab)*c", rep("ab", n / 2), false},
      {"^(a?){25}a{25}$", rep("a", 25), true},
      {"(.*){1,1000}[bc]", rep("a", n), false},
      {"((a+)+)+b", rep("a", n), false},
      {"(\\s*,\\s*)*$", rep(" ,", n / 2) + "x", true},  // empty match at the end
      {"(?i)(newsletter|out of office)+z", rep("Newsletter", n / 10), false},
      {"([N|n]ewsletter)|([O|o]ut of office)", rep("x", n) + "Out of office", true},
      {"(.+)+@", rep("a", n), false},
      {"^(.*?,){30}P", rep("1,", n / 2), false},
      {"(\\w+)*=", rep("w", n), false},
      {"^(a|ab|abc|abcd)+$", rep("abcd", n / 4) + "x", false},
      {"(\\.|[^.])*\"", rep(".", n), false},
      {"<([a-z]+)([^<]+)*(?:>(.*)<\\/([a-z]+)>|\\s+\\/>)", "<a" + rep(" ", n), false},
      {"^(https?://)?([\\da-z.-]+)\\.([a-z.]{2,6})([/\\w .-]*)*/?$", "http://" + rep("a", n) + "!", false},
      {"(0|00)+1", rep("0", n), false},
      {"([a-z]+\\d*)+!", rep("a1", n / 2), false},
      {"Subject: (.*)(.*)(.*)(.*)$", "Subject: " + rep("s", n), true},
      {"(?m)^To: (.*)(.*)x$", rep("To: aaaa\n", n / 9), false},
      {"(\\[|\\])*\\[\\]x", rep("[]", n / 2), false},
  };
  return table;
}

TEST(RegexBombs, EveryPatternRunsLinearlyThroughBothCompileFunctions) {
  ASSERT_GE(bombs().size(), 30u);
  for (const Bomb& b : bombs()) {
    auto param = compile_regex("Wait stage exclude pattern", b.pattern);
    ASSERT_TRUE(param.has_value()) << b.pattern << ": " << param.error().detail();
    EXPECT_EQ(re2::RE2::PartialMatch(b.subject, **param), b.matches) << b.pattern;
    auto forwarded = mime::compile_regex(b.pattern, "subject");
    ASSERT_TRUE(forwarded.has_value()) << b.pattern;
    EXPECT_EQ(re2::RE2::PartialMatch(b.subject, **forwarded), b.matches) << b.pattern;
  }
}

TEST(RegexBombs, PythonOnlySyntaxIsRejectedWithTheRe2Note) {
  for (const char* pattern : {"(?<=a)b", "(?<!a)b", "(a)\\1", "(?=x)y", "(?P=name)"}) {
    auto r = compile_regex("Wait stage exclude pattern", pattern);
    ASSERT_FALSE(r.has_value()) << pattern;
    EXPECT_EQ(r.error().code(), ErrorCode::kRegexInvalid) << pattern;
    EXPECT_NE(r.error().detail().find("RE2 syntax is used"), std::string::npos) << r.error().detail();
  }
}

TEST(RegexBombs, AProgramOverTheMemoryCapIsRefusedAtCompile) {
  // 1000 nested counted repetitions blow far past max_mem 8 MiB; RE2 refuses it instead of allocating.
  auto r = compile_regex("Wait stage exclude pattern", "((((a{100}){100}){100}){100})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kRegexInvalid);
}

TEST(RegexBombs, NoSourceFileUsesABacktrackingRegexEngine) {
  std::size_t scanned = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::source_dir() / "src")) {
    if (!entry.is_regular_file()) continue;
    const std::string text = testing::read_file(entry.path());
    ++scanned;
    EXPECT_EQ(text.find("#include <regex>"), std::string::npos) << entry.path();
    EXPECT_EQ(text.find("std::regex"), std::string::npos) << entry.path();
    EXPECT_EQ(text.find("pcre"), std::string::npos) << entry.path();
  }
  EXPECT_GT(scanned, 100u);
}

}  // namespace
}  // namespace emailv2::actions
