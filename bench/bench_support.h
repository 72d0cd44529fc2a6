#pragma once
// Small helpers every benchmark program shares: the mail lab's settings file and the process's CPU time.

#include <time.h>

#include <fstream>
#include <map>
#include <string>

namespace emailv2::bench {

// KEY=VALUE lines of DIR/lab.env (written by `scripts/mail-lab start DIR`).
inline std::map<std::string, std::string> read_lab_env(const std::string& dir) {
  std::map<std::string, std::string> env;
  std::ifstream in(dir + "/lab.env");
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

// The password of lab user `user` (LAB_USERn = user → LAB_PASSn), or "" when unknown.
inline std::string password_of(const std::map<std::string, std::string>& env, const std::string& user) {
  for (const auto& [key, value] : env) {
    if (key.rfind("LAB_USER", 0) == 0 && value == user) {
      const auto pass = env.find("LAB_PASS" + key.substr(8));
      if (pass != env.end()) return pass->second;
    }
  }
  return {};
}

// CPU seconds (user + system) this process has used so far.
inline double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace emailv2::bench
