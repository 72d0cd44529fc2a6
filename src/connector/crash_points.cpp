#include "connector/crash_points.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>

namespace emailv2::connector {
namespace {

struct CrashRequest {
  CrashPoint point;
  long hit = 1;
};

std::optional<CrashRequest> parse_request(const char* value) {
  if (value == nullptr || *value == '\0') return std::nullopt;
  const std::string text(value);
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  CrashRequest request{CrashPoint::kAfterFetch};
  if (name == "after_fetch") request.point = CrashPoint::kAfterFetch;
  else if (name == "mid_transaction") request.point = CrashPoint::kMidTransaction;
  else if (name == "after_commit_before_seen") request.point = CrashPoint::kAfterCommitBeforeSeen;
  else return std::nullopt;
  if (colon != std::string::npos) request.hit = std::max(1L, std::strtol(text.c_str() + colon + 1, nullptr, 10));
  return request;
}

const std::optional<CrashRequest>& request() {
  static const std::optional<CrashRequest> parsed = parse_request(std::getenv("EMAILV2_TEST_CRASH_AT"));
  return parsed;
}

std::atomic<long> hits{0};

}  // namespace

std::string_view to_string(CrashPoint point) {
  switch (point) {
    case CrashPoint::kAfterFetch: return "after_fetch";
    case CrashPoint::kMidTransaction: return "mid_transaction";
    case CrashPoint::kAfterCommitBeforeSeen: return "after_commit_before_seen";
  }
  return "unknown";
}

void crash_point(CrashPoint point) {
  const auto& wanted = request();
  if (!wanted || wanted->point != point) return;
  if (++hits == wanted->hit) ::kill(::getpid(), SIGKILL);
}

}  // namespace emailv2::connector
