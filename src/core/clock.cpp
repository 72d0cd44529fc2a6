#include "core/clock.h"

namespace emailv2 {

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace emailv2
