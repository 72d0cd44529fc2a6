#include "connector/stop_signals.h"

#include <csignal>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace emailv2::connector {
namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_reload = 0;

extern "C" void on_stop_signal(int) { g_stop = 1; }
extern "C" void on_reload_signal(int) { g_reload = 1; }

void install(int signo, void (*handler)(int)) {
  struct sigaction action = {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(signo, &action, nullptr);
}

}  // namespace

void install_stop_signals() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  install(SIGTERM, on_stop_signal);
  install(SIGINT, on_stop_signal);
  install(SIGHUP, on_reload_signal);
}

bool stop_requested() { return g_stop != 0; }

bool take_reload_request() {
  if (g_reload == 0) return false;
  g_reload = 0;
  return true;
}

void request_stop_for_testing(bool stop) { g_stop = stop ? 1 : 0; }
void request_reload_for_testing() { g_reload = 1; }

bool sleep_unless_stopped(std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!stop_requested()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(100)));
  }
  return false;
}

}  // namespace emailv2::connector
