#include "connector/progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace emailv2::connector {

ProgressLine::ProgressLine(std::string folder, std::size_t total)
    : folder_(std::move(folder)), total_(total), active_(total >= kProgressMinimum && ::isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine() {
  if (printed_) std::fputc('\n', stderr);
}

void ProgressLine::update(std::size_t done) {
  if (!active_) return;
  const auto now = std::chrono::steady_clock::now();
  if (printed_ && done < total_ && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  printed_ = true;
  std::fprintf(stderr, "\rconnector: %s %zu/%zu", folder_.c_str(), done, total_);
  std::fflush(stderr);
}

}  // namespace emailv2::connector
