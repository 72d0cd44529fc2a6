#include "core/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/redactor.h"
#include "core/time_format.h"

namespace emailv2::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kText};

// A stderr sink that scrubs every finished line and can be redirected by tests.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  void redirect(std::function<void(std::string_view)> line_sink) {
    std::lock_guard lock(mutex_);
    test_sink_ = std::move(line_sink);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string line = redactor::scrub(std::string_view(msg.payload.data(), msg.payload.size()));
    if (test_sink_) {
      test_sink_(line);
      return;
    }
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fputc('\n', stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  std::function<void(std::string_view)> test_sink_;
};

struct Logger {
  std::shared_ptr<RedactingSink> sink = std::make_shared<RedactingSink>();
  std::shared_ptr<spdlog::logger> logger = std::make_shared<spdlog::logger>("emailv2", sink);
  Logger() {
    logger->set_level(spdlog::level::trace);
    logger->flush_on(spdlog::level::trace);
  }
};

Logger& instance() {
  static Logger l;
  return l;
}

constexpr std::string_view kNames[] = {"trace", "debug", "info", "warn", "error", "off"};
constexpr std::string_view kUpperNames[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"};

std::string text_line(Level level, std::string_view component, std::string_view message,
                      std::initializer_list<Field> fields) {
  std::string line = rfc3339_utc_ms(std::chrono::system_clock::now());
  line += ' ';
  line += kUpperNames[static_cast<int>(level)];
  line += ' ';
  line += component;
  line += ": ";
  line += message;
  for (const auto& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    const bool quote = f.value.find_first_of(" \"=") != std::string::npos || f.value.empty();
    if (quote) {
      line += nlohmann::json(f.value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      line += f.value;
    }
  }
  return line;
}

std::string json_line(Level level, std::string_view component, std::string_view message,
                      std::initializer_list<Field> fields) {
  nlohmann::ordered_json j;
  j["ts"] = rfc3339_utc_ms(std::chrono::system_clock::now());
  j["level"] = kNames[static_cast<int>(level)];
  j["component"] = component;
  j["msg"] = message;
  for (const auto& f : fields) j[std::string(f.key)] = f.value;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

bool parse_level(std::string_view text, Level& out) {
  for (int i = 0; i < 6; ++i) {
    if (text == kNames[i]) {
      out = static_cast<Level>(i);
      return true;
    }
  }
  if (text == "warning") {
    out = Level::kWarn;
    return true;
  }
  return false;
}

bool parse_format(std::string_view text, Format& out) {
  if (text == "text") out = Format::kText;
  else if (text == "json") out = Format::kJson;
  else return false;
  return true;
}

std::string_view level_name(Level level) { return kNames[static_cast<int>(level)]; }

void configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

bool enabled(Level level) { return level != Level::kOff && level >= g_level.load(); }

void write(Level level, std::string_view component, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  const std::string line = g_format.load() == Format::kJson ? json_line(level, component, message, fields)
                                                            : text_line(level, component, message, fields);
  instance().logger->log(spdlog::level::info, "{}", line);
}

void set_line_sink_for_testing(std::function<void(std::string_view)> sink) { instance().sink->redirect(std::move(sink)); }

}  // namespace emailv2::log
