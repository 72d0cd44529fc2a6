// bench_search: Search Emails in-process against the brief's own yardstick (issue 6): the action's wall time vs "the
// bare SEARCH plus the fetch of the returned Mail Objects", both on the same folder, in the same run, alternated.
//
//   bench_search --lab DIR --port P [--user U] [--folder F] [--subject S] [--sender F] [--minutes M] [--max N]
//                [--runs R] [--label L]
//
// Per run, each row on a fresh connection (connect + TLS + LOGIN included in both):
//   floor   UID SEARCH SINCE <day before> SUBJECT s FROM f, then the Mail Objects of the N highest-UID hits
//           (BODY.PEEK[] + MIME parse + Mail Object), i.e. what any correct implementation must do at least;
//   action  actions::search_emails (EXAMINE, the same SEARCH, INTERNALDATE of every hit, exact time filter, newest N,
//           the Mail Objects of the N).
// Prints one result line per row (median of the runs) and a summary with action / floor (target <= 1.5).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actions/mail_objects.h"
#include "actions/search_emails.h"
#include "core/clock.h"
#include "mail/imap_mail_store.h"
#include "bench_support.h"

using emailv2::bench::password_of;
using emailv2::bench::read_lab_env;

namespace {

using namespace emailv2;
using Args = std::map<std::string, std::string>;

std::unique_ptr<mail::ImapMailStore> connect_store(const Args& args, const std::map<std::string, std::string>& env) {
  imap::SessionOptions o;
  o.endpoint = {"127.0.0.1", static_cast<std::uint16_t>(std::stoi(args.at("--port")))};
  o.tls_mode = imap::TlsMode::kImplicit;
  o.tls.ca_file = env.count("LAB_CA") != 0 ? env.at("LAB_CA") : "";
  o.username = args.at("--user");
  o.password = Secret(password_of(env, args.at("--user")));
  return std::make_unique<mail::ImapMailStore>([o](Deadline d) { return imap::Session::connect(o, d); });
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

struct Row {
  std::vector<double> runs;
  std::size_t msgs = 0;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  Args args{{"--user", "soc@lab.test"}, {"--folder", "Bench"}, {"--subject", "invoice"},
            {"--sender", "bank-secure.example"}, {"--minutes", "1440"}, {"--max", "100"}, {"--runs", "5"},
            {"--label", "direct"}};
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  if (args["--lab"].empty() || args["--port"].empty()) {
    std::fprintf(stderr, "usage: bench_search --lab DIR --port P [--folder F] [--subject S] [--sender F] ...\n");
    return 2;
  }
  const auto env = read_lab_env(args["--lab"]);
  mail::IntegrationConfig config;
  config.sender_address = args["--user"];
  const std::size_t max = std::stoul(args["--max"]);
  const Deadline deadline = Deadline::after(std::chrono::hours(1));

  std::vector<actions::RawParam> flags{{"folder-name", args["--folder"]},   {"subject-filter", args["--subject"]},
                                       {"sender-filter", args["--sender"]}, {"time-frame-minutes", args["--minutes"]},
                                       {"max-emails-to-return", args["--max"]}};
  auto params = actions::resolve(actions::search_emails_spec(), flags, {});
  if (!params) return std::fprintf(stderr, "bench_search: %s\n", params.error().to_string().c_str()), 1;

  Row floor, action;
  for (int run = 0; run < std::stoi(args["--runs"]); ++run) {
    {
      auto store = connect_store(args, env);
      const auto start = std::chrono::steady_clock::now();
      mail::SearchCriteria c;
      c.subject = args["--subject"];
      c.from = args["--sender"];
      c.since_day = mail::day_before_utc(std::chrono::system_clock::now() - std::chrono::minutes(std::stoi(args["--minutes"])));
      auto uids = store->search(args["--folder"], c, deadline);
      if (!uids) return std::fprintf(stderr, "bench_search: %s\n", uids.error().to_string().c_str()), 1;
      std::vector<std::uint32_t> newest(uids->end() - static_cast<std::ptrdiff_t>(std::min(max, uids->size())),
                                        uids->end());
      auto objects = actions::mailbox::fetch_mail_objects(*store, config, args["--folder"], newest, deadline);
      if (!objects) return std::fprintf(stderr, "bench_search: %s\n", objects.error().to_string().c_str()), 1;
      floor.runs.push_back(seconds_since(start));
      floor.msgs = objects->size();
      (void)store->close(deadline);
    }
    {
      auto store = connect_store(args, env);
      const actions::ActionContext ctx{config, "", std::nullopt, std::nullopt, deadline, system_clock()};
      const auto start = std::chrono::steady_clock::now();
      const auto result = actions::search_emails(*store, ctx, *params);
      action.runs.push_back(seconds_since(start));
      if (result.exit_code() > 1) return std::fprintf(stderr, "bench_search: %s\n", result.output_message.c_str()), 1;
      action.msgs = result.json_result.is_null() ? 0 : result.json_result["emails"].size();
      (void)store->close(deadline);
    }
  }
  const std::string query = "SUBJECT " + args["--subject"] + " FROM " + args["--sender"] + ", last " +
                            args["--minutes"] + " min, max " + args["--max"];
  for (const auto& [impl, row] : std::vector<std::pair<std::string, const Row*>>{{"floor_search_fetch_n", &floor},
                                                                                 {"emailv2_in_process", &action}}) {
    nlohmann::ordered_json j{{"bench", "search_emails"}, {"impl", impl},          {"msgs", row->msgs},
                             {"seconds", median(row->runs)}, {"runs", row->runs}, {"query", query},
                             {"label", args["--label"]}};
    std::printf("%s\n", j.dump().c_str());
  }
  nlohmann::ordered_json summary{{"bench", "search_emails"}, {"impl", "summary_in_process"},
                                 {"label", args["--label"]},
                                 {"action_over_floor", median(action.runs) / median(floor.runs)},
                                 {"target", "action <= 1.5 x floor"}};
  std::printf("%s\n", summary.dump().c_str());
  return 0;
}
