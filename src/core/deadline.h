#pragma once
// A point on the monotonic clock by which an operation must finish. Network waits take the minimum of the
// per-operation timeout and the run's deadline (CONTRACT §5.3).

#include <algorithm>
#include <chrono>

namespace emailv2 {

class Deadline {
 public:
  using SteadyClock = std::chrono::steady_clock;

  static Deadline never() { return Deadline(SteadyClock::time_point::max()); }
  static Deadline after(std::chrono::milliseconds d) { return Deadline(SteadyClock::now() + d); }
  static Deadline at(SteadyClock::time_point t) { return Deadline(t); }

  bool is_never() const { return at_ == SteadyClock::time_point::max(); }
  bool expired() const { return !is_never() && SteadyClock::now() >= at_; }
  // Time left, clamped at zero; a very large value for never().
  std::chrono::milliseconds remaining() const {
    if (is_never()) return std::chrono::hours(24 * 365);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at_ - SteadyClock::now());
    return std::max(left, std::chrono::milliseconds(0));
  }
  Deadline earliest(Deadline other) const { return Deadline(std::min(at_, other.at_)); }
  SteadyClock::time_point time_point() const { return at_; }

 private:
  explicit Deadline(SteadyClock::time_point t) : at_(t) {}
  SteadyClock::time_point at_;
};

}  // namespace emailv2
