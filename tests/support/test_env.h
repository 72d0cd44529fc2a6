#pragma once
// Where tests find the world: the running mail lab (scripts/mail-lab), the third-party corpus, the source tree,
// the emailv2 binary, and fresh temporary directories.

#include <filesystem>
#include <map>
#include <string>

namespace emailv2::testing {

// Values of $EMAILV2_LAB_DIR/lab.env (written by `scripts/mail-lab start DIR`). Fails the calling test with a clear
// message (GTest fatal failure via ADD_FAILURE + empty map) when the lab is not running.
const std::map<std::string, std::string>& lab_env();
// One lab value, e.g. lab("LAB_IMAPS_PORT"); fails the test when missing.
std::string lab(const std::string& key);
int lab_port(const std::string& key);
bool lab_available();

std::filesystem::path source_dir();
std::filesystem::path corpus_dir();  // $EMAILV2_CORPUS_DIR, else <source>/../shared/corpus
std::filesystem::path emailv2_binary();

// A fresh directory under $TMPDIR (or /tmp) removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& bytes);

}  // namespace emailv2::testing
