#include <malloc.h>

#include "app/run.h"

#ifdef EMAILV2_JEMALLOC
// The binary's allocator is jemalloc (CMake option EMAILV2_JEMALLOC, on unless a sanitizer is). Bodies, decoded
// attachments and their JSON are large, short-lived and made on several threads at once (the connector's fetch
// thread, preparing workers and store thread); glibc's per-thread arenas kept the high-water mark of each thread:
// the connector's RSS sat at ~43 MB of anonymous memory for a live heap of ~20 MB, with peaks over 60. jemalloc,
// tuned here, follows the live heap: two arenas; dirty pages returned after 200 ms by its own background thread
// (never on ours); blocks of 1 MiB and more from a dedicated arena returned at once; and ~6% less CPU than glibc.
// Measured: docs/benchmarks.md, connector section. MALLOC_CONF in the environment still overrides for experiments.
extern "C" {
// NOLINTNEXTLINE: the name and type jemalloc reads at start-up.
const char* malloc_conf = "background_thread:true,narenas:2,dirty_decay_ms:200,muzzy_decay_ms:0,"
                          "oversize_threshold:1048576";
}
#endif

int main(int argc, char** argv) {
#ifndef EMAILV2_JEMALLOC
  // glibc (sanitizer builds): with its default, the mmap threshold rises to the largest block freed so far (up to
  // 32 MiB), after which large short-lived blocks are carved from per-thread arenas and fragment them. A fixed 1 MiB
  // threshold keeps every block of 1 MiB and more in its own mapping, returned to the system when freed.
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
#endif
  return emailv2::app::run(argc, argv);
}
