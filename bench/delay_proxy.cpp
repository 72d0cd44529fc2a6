// delay_proxy: the FaultProxy of tests/support as a standalone process, so benchmarks can put a link delay (or any
// fault) in front of the lab.
//
//   delay_proxy --listen-port 0 --target 127.0.0.1:PORT --delay-ms 20 [--listen-host 127.0.0.1]
//               [--reset-after-to-client N] [--stall-after-to-client N]
//
// Prints the listening port on stdout (one line, flushed), then forwards until SIGINT or SIGTERM; on exit prints a
// one-line JSON summary (bytes each way, connections) on stderr. Exit 2 on bad arguments, 1 if it cannot listen.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "support/fault_proxy.h"

namespace {

using emailv2::testing::FaultProxy;
using emailv2::testing::FaultProxyOptions;

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "delay_proxy: %s\nusage: delay_proxy --target HOST:PORT [--listen-port P] [--listen-host H] "
               "[--delay-ms MS] [--reset-after-to-client N] [--stall-after-to-client N]\n",
               why.c_str());
  std::exit(2);
}

std::uint64_t number(std::string_view flag, const char* text, std::uint64_t max) {
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || value > max) usage("bad value for " + std::string(flag) + ": " + text);
  return value;
}

FaultProxyOptions parse(int argc, char** argv) {
  FaultProxyOptions o;
  bool have_target = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) usage("missing value after " + std::string(flag));
    const char* value = argv[++i];
    if (flag == "--target") {
      const std::string text = value;
      const auto colon = text.rfind(':');
      if (colon == std::string::npos || colon == 0) usage("--target must be HOST:PORT");
      o.target_host = text.substr(0, colon);
      o.target_port = static_cast<std::uint16_t>(number(flag, value + colon + 1, 65535));
      have_target = o.target_port != 0;
    } else if (flag == "--listen-port") {
      o.listen_port = static_cast<std::uint16_t>(number(flag, value, 65535));
    } else if (flag == "--listen-host") {
      o.listen_host = value;
    } else if (flag == "--delay-ms") {
      const auto ms = std::chrono::milliseconds(number(flag, value, 60'000));
      o.faults.to_server.delay = ms;
      o.faults.to_client.delay = ms;
    } else if (flag == "--reset-after-to-client") {
      o.faults.to_client.reset_after = number(flag, value, UINT64_MAX);
    } else if (flag == "--stall-after-to-client") {
      o.faults.to_client.stall_after = number(flag, value, UINT64_MAX);
    } else {
      usage("unknown option " + std::string(flag));
    }
  }
  if (!have_target) usage("--target HOST:PORT is required");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  FaultProxyOptions options = parse(argc, argv);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the proxy thread starts: it inherits the mask
  auto proxy = FaultProxy::start(std::move(options));
  if (!proxy) {
    std::fprintf(stderr, "delay_proxy: %s\n", proxy.error().to_string().c_str());
    return 1;
  }
  std::printf("%u\n", static_cast<unsigned>((*proxy)->port()));
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  const auto counts = (*proxy)->counts();
  std::fprintf(stderr, "{\"delay_proxy\": {\"bytes_to_server\": %llu, \"bytes_to_client\": %llu, \"connections\": %d}}\n",
               static_cast<unsigned long long>((*proxy)->bytes_to_server()),
               static_cast<unsigned long long>((*proxy)->bytes_to_client()), counts.accepted);
  proxy->reset();
  return 0;
}
