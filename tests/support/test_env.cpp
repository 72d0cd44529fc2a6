#include "support/test_env.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace emailv2::testing {
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> load_lab_env() {
  std::map<std::string, std::string> env;
  const char* dir = std::getenv("EMAILV2_LAB_DIR");
  if (dir == nullptr || *dir == '\0') return env;
  std::ifstream in(fs::path(dir) / "lab.env");
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

}  // namespace

const std::map<std::string, std::string>& lab_env() {
  static const auto env = load_lab_env();
  if (env.empty()) {
    ADD_FAILURE() << "The mail lab is not running: start it with `scripts/mail-lab start DIR` and set "
                     "EMAILV2_LAB_DIR=DIR (scripts/test does both).";
  }
  return env;
}

bool lab_available() { return !load_lab_env().empty(); }

std::string lab(const std::string& key) {
  const auto& env = lab_env();
  const auto it = env.find(key);
  if (it == env.end()) {
    ADD_FAILURE() << "lab.env has no " << key;
    return {};
  }
  return it->second;
}

int lab_port(const std::string& key) {
  const std::string v = lab(key);
  return v.empty() ? 0 : std::stoi(v);
}

fs::path source_dir() {
  const char* dir = std::getenv("EMAILV2_SOURCE_DIR");
  if (dir != nullptr && *dir != '\0') return fs::path(dir);
  return fs::path(EMAILV2_DEFAULT_SOURCE_DIR);
}

fs::path corpus_dir() {
  const char* dir = std::getenv("EMAILV2_CORPUS_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
  return source_dir().parent_path() / "shared" / "corpus";
}

fs::path emailv2_binary() {
  const char* bin = std::getenv("EMAILV2_BINARY");
  if (bin != nullptr && *bin != '\0') return bin;
  // Test executables live in <build>/tests/; the binary is <build>/emailv2.
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = self.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
      if (fs::is_regular_file(dir / "emailv2", ec)) return dir / "emailv2";
    }
  }
  return "emailv2";
}

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  const fs::path base = tmp != nullptr && *tmp != '\0' ? fs::path(tmp) : fs::path("/tmp");
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate = base / ("emailv2-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace emailv2::testing
