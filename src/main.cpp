#include <malloc.h>

#include "app/run.h"

int main(int argc, char** argv) {
  // Bodies, decoded attachments and their JSON are large, short-lived and made on several threads at once (the
  // connector's preparing workers). With glibc's default, the mmap threshold rises to the largest block freed so
  // far (up to 32 MiB), after which such blocks are carved from per-thread arenas and fragment them: peak RSS
  // reached ~100 MB for a ~20 MB live heap. A fixed threshold keeps every block of 256 KiB and more in its own
  // mapping, returned to the system when freed (docs/benchmarks.md: connector peak RSS 99-106 → 65 MB).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  return emailv2::app::run(argc, argv);
}
