#include "app/run.h"

#include <cstdio>
#include <string_view>

namespace emailv2::app {

int run(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "version") {
    std::puts("emailv2 0.1.0");
    return 0;
  }
  std::fputs("usage: emailv2 version\n", stderr);
  return 64;
}

}  // namespace emailv2::app
