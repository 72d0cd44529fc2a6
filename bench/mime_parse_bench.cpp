// bench_mime_parse: emailv2's MIME parser (mime::parse_message: decoded headers, bodies, HTML->text, attachments
// with MD5/SHA-1/SHA-256, URLs, attached mails) over the generated corpus — the emailv2 row of the `mime_parse`
// benchmark, compared with bench/gmime_parse (bare GMime) and bench/py_email_parse.py.
//
//   bench_mime_parse --corpus DIR [--limit N] [--label L]   (run_benchmarks.sh passes the lab flags too; ignored)
//
// Files are read before each timed parse (read time excluded, as in the baselines). One JSON result line.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "mime/parse_message.h"

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::string raw(std::filesystem::file_size(path), '\0');
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return {};
  raw.resize(std::fread(raw.data(), 1, raw.size(), f));
  std::fclose(f);
  return raw;
}

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus, label;
  std::size_t limit = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--corpus") corpus = argv[i + 1];
    if (flag == "--limit") limit = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--label") label = argv[i + 1];
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "usage: bench_mime_parse --corpus DIR [--limit N] [--label L]\n");
    return 2;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (limit != 0 && files.size() > limit) files.resize(limit);
  std::size_t bytes = 0, attachments = 0, urls = 0, attached = 0, warnings = 0;
  std::chrono::steady_clock::duration parse_time{};
  const double cpu_start = cpu_seconds();
  for (const auto& path : files) {
    const std::string raw = read_file(path);
    const auto start = std::chrono::steady_clock::now();
    const emailv2::mime::Message msg = emailv2::mime::parse_message(raw);
    parse_time += std::chrono::steady_clock::now() - start;
    bytes += raw.size();
    attachments += msg.attachments.size();
    urls += msg.urls.size();
    attached += msg.attached.size();
    warnings += msg.parse_warnings.size();
  }
  const double seconds = std::max(1e-9, std::chrono::duration<double>(parse_time).count());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("{\"bench\": \"mime_parse\", \"impl\": \"emailv2\", \"msgs\": %zu, \"bytes\": %zu, \"seconds\": %.3f, "
              "\"msgs_per_s\": %.1f, \"mb_per_s\": %.2f, \"peak_rss_mb\": %.1f, \"cpu_s\": %.3f, "
              "\"attachments\": %zu, \"urls\": %zu, \"attached_mails\": %zu, \"parse_warnings\": %zu, "
              "\"label\": \"%s\"}\n",
              files.size(), bytes, seconds, static_cast<double>(files.size()) / seconds,
              static_cast<double>(bytes) / seconds / 1048576.0, static_cast<double>(usage.ru_maxrss) / 1024.0,
              cpu_seconds() - cpu_start, attachments, urls, attached, warnings, label.c_str());
  return 0;
}
