// bench_imap_fetch: the emailv2 row of the `imap_fetch` benchmark (issue 3) — every body of a lab folder fetched
// with the IMAP layer as the actions and the connector use it: EXAMINE, UID SEARCH ALL, then UID FETCH BODY.PEEK[]
// in pipelined batches (<= 100 UIDs / 16 MiB declared each, several in flight), bodies streamed into memory or a
// spool file. Compared with bench/py_imaplib_fetch.py (one FETCH per message) and bench/py_raw_fetch.py (ceiling).
//
//   bench_imap_fetch --lab DIR --user U --folder F --port P [--limit N] [--label L] [--corpus DIR (ignored)]
//
// Connects to 127.0.0.1:P with implicit TLS verified against LAB_CA from DIR/lab.env. One JSON result line.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <string>

#include "imap/commands/fetch.h"
#include "imap/commands/search.h"
#include "imap/commands/select.h"
#include "imap/session.h"
#include "bench_support.h"

using emailv2::bench::cpu_seconds;
using emailv2::bench::password_of;
using emailv2::bench::read_lab_env;

namespace {

using namespace emailv2;

int fail(const char* step, const Error& error) {
  std::fprintf(stderr, "bench_imap_fetch: %s: %s\n", step, error.to_string().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args{{"--user", "soc@lab.test"}, {"--folder", "INBOX"}, {"--label", "direct"}};
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  if (args["--lab"].empty() || args["--port"].empty()) {
    std::fprintf(stderr, "usage: bench_imap_fetch --lab DIR --port P [--user U] [--folder F] [--limit N] [--label L]\n");
    return 2;
  }
  const auto env = read_lab_env(args["--lab"]);
  imap::SessionOptions options;
  options.endpoint = {"127.0.0.1", static_cast<std::uint16_t>(std::stoi(args["--port"]))};
  options.tls_mode = imap::TlsMode::kImplicit;
  options.tls.ca_file = env.count("LAB_CA") != 0 ? env.at("LAB_CA") : "";
  options.username = args["--user"];
  options.password = Secret(password_of(env, args["--user"]));
  const Deadline deadline = Deadline::after(std::chrono::hours(1));

  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  auto session = imap::Session::connect(options, deadline);
  if (!session) return fail("connect", session.error());
  auto folder = imap::commands::select(**session, args["--folder"], imap::commands::Access::kReadOnly, deadline);
  if (!folder) return fail("EXAMINE", folder.error());
  auto uids = imap::commands::uid_search(**session, imap::wire::SearchCriteria{}, deadline);
  if (!uids) return fail("UID SEARCH", uids.error());
  const std::size_t limit = args["--limit"].empty() ? 0 : std::stoul(args["--limit"]);
  if (limit != 0 && uids->size() > limit) uids->resize(limit);

  imap::commands::FetchRequest request;
  request.uids = *uids;
  request.items.body_sections = {""};
  std::uint64_t bytes = 0;
  std::size_t spooled = 0;
  auto summary = imap::commands::uid_fetch(
      **session, request,
      [&](imap::commands::FetchedMessage&& message) -> Status {
        for (const auto& part : message.parts) {
          bytes += part.body.size();
          if (part.body.spooled()) ++spooled;
        }
        return ok();
      },
      deadline);
  if (!summary) return fail("UID FETCH", summary.error());
  (void)(*session)->logout(deadline);
  const double seconds =
      std::max(1e-9, std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double msgs = static_cast<double>(summary->delivered);
  std::printf("{\"bench\": \"imap_fetch\", \"impl\": \"emailv2\", \"msgs\": %zu, \"bytes\": %llu, \"seconds\": %.3f, "
              "\"msgs_per_s\": %.1f, \"mb_per_s\": %.2f, \"peak_rss_mb\": %.1f, \"cpu_s\": %.3f, \"spooled\": %zu, "
              "\"missing\": %zu, \"label\": \"%s\"}\n",
              summary->delivered, static_cast<unsigned long long>(bytes), seconds, msgs / seconds,
              static_cast<double>(bytes) / 1e6 / seconds, static_cast<double>(usage.ru_maxrss) / 1024.0,
              cpu_seconds() - cpu_start, spooled, summary->missing.size(), args["--label"].c_str());
  return 0;
}
