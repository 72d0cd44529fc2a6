#pragma once
// Our own timestamps (CONTRACT §1.5): RFC 3339 UTC; epoch values in milliseconds.

#include <chrono>
#include <cstdint>
#include <string>

namespace emailv2 {

using TimePoint = std::chrono::system_clock::time_point;

std::string rfc3339_utc(TimePoint t);     // 2024-05-01T12:34:56Z
std::string rfc3339_utc_ms(TimePoint t);  // 2024-05-01T12:34:56.789Z
std::int64_t epoch_ms(TimePoint t);
TimePoint from_epoch_ms(std::int64_t ms);

}  // namespace emailv2
