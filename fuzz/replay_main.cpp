// Replays a libFuzzer seed corpus through a fuzz target without libFuzzer, so every test build exercises it.
// Usage: replay_<name> DIR_OR_FILE...   Exit 0 when every input was processed (a crash aborts the process).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int replay_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) count += replay_file(entry.path());
      }
    } else if (std::filesystem::is_regular_file(arg)) {
      count += replay_file(arg);
    }
  }
  // An empty input still runs once, so a target is never "passed" without executing.
  if (count == 0) {
    LLVMFuzzerTestOneInput(nullptr, 0);
    count = 1;
  }
  std::printf("replayed %d inputs\n", count);
  return 0;
}
