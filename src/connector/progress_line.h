#pragma once
// A progress line for long backfills (issue 7): `connector: <folder> 120/5000` rewritten in place on stderr, at most
// four times a second, only when stderr is a terminal and the folder has at least kProgressMinimum candidates. Never
// on stdout (which carries only the summary line) and never when stderr is a file or a pipe.

#include <chrono>
#include <cstddef>
#include <string>

namespace emailv2::connector {

inline constexpr std::size_t kProgressMinimum = 50;

class ProgressLine {
 public:
  ProgressLine(std::string folder, std::size_t total);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void update(std::size_t done);

 private:
  std::string folder_;
  std::size_t total_ = 0;
  bool active_ = false;
  bool printed_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace emailv2::connector
