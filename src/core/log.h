#pragma once
// Logging to stderr, text or JSON (CONTRACT §1.6). Every line passes through redactor::scrub() before it is
// written, so secrets are removed by construction, wherever they came from.
//
// Text: `<RFC3339 ms UTC> <LEVEL> <component>: <message> key=value...`
// JSON: {"ts":..., "level":..., "component":..., "msg":..., <fields>...}

#include <fmt/format.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace emailv2::log {

enum class Level { kTrace = 0, kDebug, kInfo, kWarn, kError, kOff };
enum class Format { kText, kJson };

bool parse_level(std::string_view text, Level& out);
bool parse_format(std::string_view text, Format& out);
std::string_view level_name(Level level);

void configure(Level level, Format format);
bool enabled(Level level);

struct Field {
  std::string_view key;
  std::string value;
};

void write(Level level, std::string_view component, std::string_view message, std::initializer_list<Field> fields = {});

// Test hook: receive each finished line (already scrubbed) instead of stderr; pass nullptr to restore stderr.
void set_line_sink_for_testing(std::function<void(std::string_view)> sink);

template <typename... Args>
void trace(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::kTrace)) write(Level::kTrace, component, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void debug(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::kDebug)) write(Level::kDebug, component, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::kInfo)) write(Level::kInfo, component, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::kWarn)) write(Level::kWarn, component, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void error(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::kError)) write(Level::kError, component, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace emailv2::log
