// Resource limits (issue 8, CONTRACT §6.3): hostile sizes and shapes through `emailv2 parse`, measured as a child
// process so its peak RSS is the kernel's figure (wait4 ru_maxrss). Each input must finish with exit 0, a Mail
// Object that says what was cut (`truncated` or `over_limit`), and memory inside the budget. Under ASan the RSS
// budget is not asserted (shadow memory and quarantine inflate it); everything else is.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "integration/cli_run.h"
#include "support/test_env.h"

namespace emailv2::testing {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMeasureRss = false;
#else
constexpr bool kMeasureRss = true;
#endif

constexpr long kMiB = 1024 * 1024;

struct Measured {
  int exit_code = -1;
  long max_rss_bytes = 0;
  nlohmann::json envelope;
};

// Runs `emailv2 parse <file>` with stdout to a file, stderr discarded; returns the exit code and peak RSS.
Measured parse_measured(const std::filesystem::path& file, const std::filesystem::path& out) {
  const std::string binary = cli_binary().string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int null_fd = ::open("/dev/null", O_WRONLY);
    if (fd < 0 || null_fd < 0) ::_exit(127);
    ::dup2(fd, 1);
    ::dup2(null_fd, 2);
    ::execl(binary.c_str(), binary.c_str(), "parse", file.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  Measured m;
  int status = 0;
  struct rusage usage {};
  if (::wait4(pid, &status, 0, &usage) != pid) return m;
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  m.max_rss_bytes = usage.ru_maxrss * 1024;
  m.envelope = nlohmann::json::parse(read_file(out), nullptr, false);
  return m;
}

class Writer {
 public:
  explicit Writer(const std::filesystem::path& p) : out_(p, std::ios::binary) {}
  Writer& operator<<(const std::string& s) {
    out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    return *this;
  }

 private:
  std::ofstream out_;
};

const nlohmann::json& mail_object(const Measured& m) { return m.envelope["json_result"]; }

void expect_within(const Measured& m, long budget_bytes, const char* what) {
  ASSERT_EQ(m.exit_code, 0) << what;
  ASSERT_TRUE(m.envelope.is_object()) << what << ": stdout is not one JSON envelope";
  EXPECT_EQ(m.envelope["execution_state"], "completed") << what;
  if (kMeasureRss) {
    EXPECT_LT(m.max_rss_bytes, budget_bytes) << what << ": peak RSS " << m.max_rss_bytes / kMiB << " MiB";
  }
  std::printf("[ resources ] %s: exit %d, peak RSS %ld MiB\n", what, m.exit_code, m.max_rss_bytes / kMiB);
}

TEST(Resources, TenThousandDeepMultipartIsCutAtTheDepthLimit) {
  TempDir dir;
  const auto mail = dir.path() / "deep.eml";
  {
    Writer w(mail);
    w << "From: a@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n";
    for (int i = 0; i < 10'000; ++i) {
      w << "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\r\n\r\n--b" + std::to_string(i) +
               "\r\n";
    }
    w << "Content-Type: text/plain\r\n\r\nleaf\r\n";
    for (int i = 9'999; i >= 0; --i) w << "--b" + std::to_string(i) + "--\r\n";
  }
  const Measured m = parse_measured(mail, dir.path() / "out.json");
  expect_within(m, 256 * kMiB, "10,000-deep multipart");
  EXPECT_EQ(mail_object(m)["truncated"], true);
}

TEST(Resources, TenThousandAttachmentsStopAtThePartLimit) {
  TempDir dir;
  const auto mail = dir.path() / "many.eml";
  {
    Writer w(mail);
    w << "From: a@example.com\r\nSubject: many\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"X\"\r\n\r\n";
    for (int i = 0; i < 10'001; ++i) {
      w << "--X\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"f" +
               std::to_string(i) + ".bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAwQFBgcICQ==\r\n";
    }
    w << "--X--\r\n";
  }
  const Measured m = parse_measured(mail, dir.path() / "out.json");
  expect_within(m, 256 * kMiB, "10,001 attachments");
  EXPECT_EQ(mail_object(m)["truncated"], true);
  // 10,000 parts in all: the multipart root and 9,999 attachments, each with its three digests.
  EXPECT_EQ(mail_object(m)["file_sha256_9999"].is_string(), true);
  EXPECT_EQ(mail_object(m).contains("file_sha256_10000"), false);
}

TEST(Resources, HundredMegabyteHeaderIsCutAtTheHeaderCap) {
  TempDir dir;
  const auto mail = dir.path() / "header.eml";
  {
    Writer w(mail);
    w << "From: a@example.com\r\nSubject: big header\r\n";
    const std::string line = "X-Junk: " + std::string(990, 'a') + "\r\n";
    for (long written = 0; written < 100 * kMiB; written += static_cast<long>(line.size())) w << line;
    w << "\r\nbody\r\n";
  }
  const Measured m = parse_measured(mail, dir.path() / "out.json");
  // The file is over the 50 MiB message limit, so only its (capped) header section is parsed.
  expect_within(m, 64 * kMiB, "100 MiB header");
  EXPECT_EQ(mail_object(m)["over_limit"], true);
  EXPECT_EQ(mail_object(m)["truncated"], true);
  EXPECT_EQ(mail_object(m)["subject"], "big header");
}

TEST(Resources, OneGigabyteAttachmentIsNeverLoaded) {
  TempDir dir;
  const auto mail = dir.path() / "huge.eml";
  {
    Writer w(mail);
    w << "From: a@example.com\r\nTo: b@example.com\r\nSubject: one gigabyte\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"H\"\r\n\r\n--H\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
         "--H\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"big.bin\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n";
    std::string block;
    for (int i = 0; i < 16'384; ++i) block += std::string(76, 'A') + "\r\n";  // 1.2 MiB of base64 lines
    for (long written = 0; written < 1024 * kMiB; written += static_cast<long>(block.size())) w << block;
    w << "--H--\r\n";
  }
  const Measured m = parse_measured(mail, dir.path() / "out.json");
  expect_within(m, 64 * kMiB, "1 GiB attachment");
  EXPECT_EQ(mail_object(m)["over_limit"], true);
  EXPECT_EQ(mail_object(m)["subject"], "one gigabyte");
  EXPECT_GT(mail_object(m)["size"].get<double>(), 1024.0 * kMiB);
  std::error_code ec;
  std::filesystem::remove(mail, ec);
}

}  // namespace
}  // namespace emailv2::testing
