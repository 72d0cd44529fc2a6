// gmime_parse: the bare GMime parse loop, the baseline of the MIME benchmark (issue 4: emailv2's parser with
// hashes and HTML->text on should reach >= 80% of this).
//
//   gmime_parse DIR [--limit N] [--md5]
//
// For each DIR/*.eml (sorted): read the file (not timed), then (timed) parse it from memory with GMime, decode the
// Subject and From headers, walk the MIME tree (into message/rfc822 parts too) and decode every leaf's content
// (transfer encoding undone) into a null stream, or with --md5 through an MD5 digest. Prints one JSON result line
// in the bench convention (bench/benchlib.py).
#include <gmime/gmime.h>
#include <openssl/evp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>
#include "bench_support.h"

using emailv2::bench::cpu_seconds;

namespace {

struct Totals {
  std::size_t parts = 0;
  std::size_t decoded_bytes = 0;
};

void digest_leaf(GMimePart* part, bool md5, Totals& totals) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return;
  GMimeStream* out = md5 ? g_mime_stream_mem_new() : g_mime_stream_null_new();
  g_mime_data_wrapper_write_to_stream(content, out);
  if (md5) {
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    unsigned char sum[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes->data, bytes->len, sum, &len, EVP_md5(), nullptr);
    totals.decoded_bytes += bytes->len;
  } else {
    totals.decoded_bytes += static_cast<std::size_t>(g_mime_stream_length(out));
  }
  g_object_unref(out);
}

void walk(GMimeObject* root, bool md5, Totals& totals) {
  std::vector<GMimeObject*> stack{root};
  while (!stack.empty()) {
    GMimeObject* obj = stack.back();
    stack.pop_back();
    if (obj == nullptr) continue;
    ++totals.parts;
    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      for (int i = g_mime_multipart_get_count(mp) - 1; i >= 0; --i) stack.push_back(g_mime_multipart_get_part(mp, i));
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
      if (inner != nullptr) stack.push_back(g_mime_message_get_mime_part(inner));
    } else if (GMIME_IS_PART(obj)) {
      digest_leaf(GMIME_PART(obj), md5, totals);
    }
  }
}

void parse_one(const std::string& raw, bool md5, Totals& totals) {
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
  if (message != nullptr) {
    (void)g_mime_message_get_subject(message);
    InternetAddressList* from = g_mime_message_get_from(message);
    if (from != nullptr) g_free(internet_address_list_to_string(from, nullptr, FALSE));
    walk(g_mime_message_get_mime_part(message), md5, totals);
    g_object_unref(message);
  }
  g_object_unref(parser);
  g_object_unref(stream);
}

std::string read_file(const std::filesystem::path& path) {
  std::string raw(std::filesystem::file_size(path), '\0');
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return {};
  raw.resize(std::fread(raw.data(), 1, raw.size(), f));
  std::fclose(f);
  return raw;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gmime_parse DIR [--limit N] [--md5]\n");
    return 2;
  }
  std::size_t limit = 0;
  bool md5 = false;
  for (int i = 2; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--limit" && i + 1 < argc) {
      limit = std::strtoull(argv[++i], nullptr, 10);
    } else if (flag == "--md5") {
      md5 = true;
    } else {
      std::fprintf(stderr, "gmime_parse: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (limit != 0 && files.size() > limit) files.resize(limit);
  g_mime_init();
  Totals totals;
  std::size_t bytes = 0;
  std::chrono::steady_clock::duration parse_time{};
  const double cpu_start = cpu_seconds();
  for (const auto& path : files) {
    const std::string raw = read_file(path);
    const auto start = std::chrono::steady_clock::now();
    parse_one(raw, md5, totals);
    parse_time += std::chrono::steady_clock::now() - start;
    bytes += raw.size();
  }
  const double seconds = std::max(1e-9, std::chrono::duration<double>(parse_time).count());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("{\"bench\": \"mime_parse\", \"impl\": \"%s\", \"msgs\": %zu, \"bytes\": %zu, \"seconds\": %.3f, "
              "\"msgs_per_s\": %.1f, \"mb_per_s\": %.2f, \"peak_rss_mb\": %.1f, \"cpu_s\": %.3f, \"parts\": %zu}\n",
              md5 ? "gmime_bare_md5" : "gmime_bare", files.size(), bytes, seconds,
              static_cast<double>(files.size()) / seconds, static_cast<double>(bytes) / seconds / 1048576.0,
              static_cast<double>(usage.ru_maxrss) / 1024.0, cpu_seconds() - cpu_start, totals.parts);
  return 0;
}
