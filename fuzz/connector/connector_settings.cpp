// Fuzzes the connector's own value rules (CONTRACT §5.1/§5.2) with arbitrary text: Run Every, Server Time Zone,
// prefixes, additional-header CSV, the forwarded-regex JSON and Dynamic List rules. Each either succeeds or returns an
// error with a non-empty message that holds no raw control character; nothing crashes or hangs.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "connector/settings_rules.h"

namespace {

void check(const emailv2::Error& e) {
  if (e.detail().empty()) std::abort();
  for (char c : e.detail())
    if (c == '\r' || c == '\n' || c == '\0') std::abort();
}

template <typename R>
void expect_value_or_clean_error(const R& r) {
  if (!r) check(r.error());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emailv2::connector;
  const std::string in(reinterpret_cast<const char*>(data), size);
  expect_value_or_clean_error(parse_duration("Run Every", in));
  expect_value_or_clean_error(rules::check_server_time_zone(in));
  expect_value_or_clean_error(rules::check_prefix("Original Received Mail Prefix", in));
  expect_value_or_clean_error(rules::parse_header_rules(in));
  expect_value_or_clean_error(rules::parse_forward_regexes(in));
  expect_value_or_clean_error(rules::parse_dynamic_rule(in));
  const auto list = rules::parse_dynamic_list(nullptr, in);
  expect_value_or_clean_error(list);
  if (list && list->empty()) std::abort();  // nothing usable → the default rules
  const auto d = parse_duration("Run Every", in);
  if (d && (d->count() <= 0 || d->count() > 3650LL * 86400)) std::abort();
  return 0;
}
