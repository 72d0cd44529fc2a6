#pragma once
// Runs the real emailv2 binary for CLI tests: a clean environment (no inherited EMAILV2_* variables), a chosen
// working directory, optional stdin; captures stdout, stderr and the exit code.

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_env.h"

extern char** environ;

namespace emailv2::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  nlohmann::json envelope() const { return nlohmann::json::parse(out); }
};

// $EMAILV2_BINARY when set (ctest sets it); else the emailv2 built beside the test executables
// (<build>/tests/it_x -> <build>/emailv2), so the tests also run when ctest does not pass the environment.
inline std::filesystem::path cli_binary() {
  if (const char* set = std::getenv("EMAILV2_BINARY"); set != nullptr && *set != '\0') {
    return std::filesystem::absolute(set);
  }
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const auto beside = self.parent_path().parent_path() / "emailv2";
  if (!ec && std::filesystem::exists(beside)) return beside;
  return std::filesystem::absolute(emailv2_binary());
}

inline CliRun run_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                      const std::filesystem::path& cwd = std::filesystem::temp_directory_path(),
                      const std::string& stdin_bytes = "") {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "EMAILV2_", 8) != 0) env_strings.emplace_back(*e);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  const std::string binary = cli_binary().string();
  std::vector<std::string> argv_strings{binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0 || pipe(in_pipe) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], in_pipe[0], in_pipe[1]}) close(fd);
    if (chdir(cwd.c_str()) != 0) _exit(127);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(in_pipe[0]);
  if (!stdin_bytes.empty()) {
    const ssize_t n = write(in_pipe[1], stdin_bytes.data(), stdin_bytes.size());
    (void)n;
  }
  close(in_pipe[1]);
  CliRun run;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[8192];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? run.out : run.err).append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

}  // namespace emailv2::testing
