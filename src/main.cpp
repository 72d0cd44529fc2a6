#include <malloc.h>

#include "app/run.h"

int main(int argc, char** argv) {
  // Bodies, decoded attachments and their JSON are large, short-lived and made on several threads at once (the
  // connector's preparing workers). With glibc's default, the mmap threshold rises to the largest block freed so
  // far (up to 32 MiB), after which such blocks are carved from per-thread arenas and fragment them: the connector's
  // peak RSS reached ~100 MB for a ~20-50 MB live heap. A fixed 1 MiB threshold keeps every block of 1 MiB and more
  // in its own mapping, returned to the system when freed; 256 KiB gave the same RSS for ~6% more CPU (page faults
  // and unmaps of the many 256 KiB-1 MiB blocks). Measured: docs/benchmarks.md, connector section.
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
  return emailv2::app::run(argc, argv);
}
