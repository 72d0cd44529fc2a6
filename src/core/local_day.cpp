#include "core/local_day.h"

#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>
#include <string>

namespace emailv2 {
namespace {

std::mutex& tz_mutex() {
  static std::mutex m;
  return m;
}

bool safe_zone_name(std::string_view tz) {
  if (tz.empty() || tz.front() == '/' || tz.find("..") != std::string_view::npos) return false;
  for (char c : tz) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// Sets TZ for the lifetime of the object and puts the previous value back.
class ScopedTz {
 public:
  explicit ScopedTz(const std::string& value) {
    if (const char* old = std::getenv("TZ"); old != nullptr) saved_ = old;
    ::setenv("TZ", value.c_str(), 1);
    ::tzset();
  }
  ~ScopedTz() {
    if (saved_) {
      ::setenv("TZ", saved_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::optional<std::string> saved_;
};

}  // namespace

Result<TimePoint> start_of_local_day(std::string_view time_zone, TimePoint now, int days_back) {
  if (!safe_zone_name(time_zone)) return fail(ErrorCode::kConfigInvalid, "invalid time zone name");
  const std::lock_guard<std::mutex> lock(tz_mutex());
  const ScopedTz scoped(time_zone == "UTC" ? std::string("UTC0") : ":" + std::string(time_zone));
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  if (::localtime_r(&t, &local) == nullptr) return fail(ErrorCode::kInternal, "localtime_r failed");
  local.tm_mday -= days_back;
  local.tm_hour = 0;
  local.tm_min = 0;
  local.tm_sec = 0;
  local.tm_isdst = -1;
  const std::time_t midnight = std::mktime(&local);
  if (midnight == static_cast<std::time_t>(-1)) return fail(ErrorCode::kInternal, "mktime failed");
  return std::chrono::system_clock::from_time_t(midnight);
}

}  // namespace emailv2
