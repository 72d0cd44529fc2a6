// bench_mime_parse: emailv2's MIME parser (mime::parse_message: decoded headers, bodies, HTML->text, attachments
// with MD5/SHA-1/SHA-256, URLs, attached mails) over the generated corpus — the emailv2 row of the `mime_parse`
// benchmark, compared with bench/gmime_parse (bare GMime) and bench/py_email_parse.py.
//
//   bench_mime_parse --corpus DIR [--limit N] [--label L] [--check]   (run_benchmarks.sh passes the lab flags too)
//
// Files are read before each timed parse (read time excluded, as in the baselines). One JSON result line.
// --check adds "check": the SHA-256 of a canonical dump of every parsed Message (every field, attachment bytes,
// warnings, attached mails), computed outside the timed region: a performance change must leave it unchanged.
// It also adds "hash_s": the CPU time the mandatory digests alone take on this corpus (SHA-256 of every raw message,
// MD5 + SHA-1 + SHA-256 of every attachment, attached mails included), measured separately.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mime/digest.h"
#include "mime/parse_message.h"
#include "bench_support.h"

using emailv2::bench::cpu_seconds;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::string raw(std::filesystem::file_size(path), '\0');
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return {};
  raw.resize(std::fread(raw.data(), 1, raw.size(), f));
  std::fclose(f);
  return raw;
}

void dump(const emailv2::mime::Message& m, std::string& out) {
  const auto field = [&out](std::string_view v) {
    out += std::to_string(v.size());
    out += ':';
    out += v;
  };
  const auto addresses = [&](const std::vector<emailv2::mime::Address>& list) {
    field(std::to_string(list.size()));
    for (const auto& a : list) {
      field(a.name);
      field(a.address);
    }
  };
  field(m.message_id.value_or("-"));
  field(m.date_header.value_or("-"));
  field(m.date_ms ? std::to_string(*m.date_ms) : "-");
  field(m.raw_subject);
  for (const auto* list : {&m.from, &m.to, &m.cc, &m.bcc, &m.reply_to}) addresses(*list);
  field(m.in_reply_to.value_or("-"));
  field(m.references);
  for (const auto& h : m.headers) {
    field(h.name);
    field(h.value);
  }
  field(m.text_body);
  field(m.html_body);
  field(m.body);
  for (const auto& a : m.attachments) {
    for (const std::string* v : {&a.name, &a.content_type, &a.disposition, &a.data, &a.md5, &a.sha1, &a.sha256,
                                 &a.part_path})
      field(*v);
    field(a.content_id.value_or("-"));
    field(a.is_email ? "1" : "0");
  }
  for (const auto& u : m.urls) field(u);
  field(m.is_forward ? "1" : "0");
  field(std::to_string(m.attachment_index) + "/" + std::to_string(m.size) + "/" + (m.truncated ? "1" : "0"));
  field(m.sha256);
  field(m.parse_error.value_or("-"));
  for (const auto& w : m.parse_warnings) field(w);
  field(std::to_string(m.attached.size()));
  for (const auto& k : m.attached) dump(k, out);
}

// The digests parse_message must compute, timed alone.
void hash_all(const std::string& raw, const emailv2::mime::Message& m) {
  if (!raw.empty()) (void)emailv2::mime::sha256_hex(raw);
  for (const auto& a : m.attachments) (void)emailv2::mime::digests_of(a.data);
  for (const auto& k : m.attached) hash_all({}, k);
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus, label;
  std::size_t limit = 0;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--check") {
      check = true;
      continue;
    }
    if (i + 1 >= argc) break;
    if (flag == "--corpus") corpus = argv[i + 1];
    if (flag == "--limit") limit = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--label") label = argv[i + 1];
    ++i;
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
  double hash_cpu = 0;
  std::string check_sum;  // running SHA-256 chain over the dumps
  const double cpu_start = cpu_seconds();
  double cpu_excluded = 0;
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
    if (check) {
      const double c0 = cpu_seconds();
      std::string d = check_sum;
      dump(msg, d);
      check_sum = emailv2::mime::sha256_hex(d);
      const double h0 = cpu_seconds();
      hash_all(raw, msg);
      hash_cpu += cpu_seconds() - h0;
      cpu_excluded += cpu_seconds() - c0;
    }
  }
  const double seconds = std::max(1e-9, std::chrono::duration<double>(parse_time).count());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("{\"bench\": \"mime_parse\", \"impl\": \"emailv2\", \"msgs\": %zu, \"bytes\": %zu, \"seconds\": %.3f, "
              "\"msgs_per_s\": %.1f, \"mb_per_s\": %.2f, \"peak_rss_mb\": %.1f, \"cpu_s\": %.3f, "
              "\"attachments\": %zu, \"urls\": %zu, \"attached_mails\": %zu, \"parse_warnings\": %zu, "
              "\"label\": \"%s\"%s}\n",
              files.size(), bytes, seconds, static_cast<double>(files.size()) / seconds,
              static_cast<double>(bytes) / seconds / 1048576.0, static_cast<double>(usage.ru_maxrss) / 1024.0,
              cpu_seconds() - cpu_start - cpu_excluded, attachments, urls, attached, warnings, label.c_str(),
              check ? (", \"hash_s\": " + std::to_string(hash_cpu) +
                       ", \"check\": \"" + check_sum + "\"")
                          .c_str()
                    : "");
  return 0;
}
