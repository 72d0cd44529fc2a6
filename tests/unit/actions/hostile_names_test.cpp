// The hostile-names suite (issue 8 "Filesystem", CONTRACT §6.4) on the in-memory MailStore: ≥ 200 hostile attachment
// names — traversal, absolute paths, `..\`, NUL, CR/LF, every C0 control, RTL overrides, Windows device names,
// 10,000-byte names, names colliding after sanitising or NFC, hostile Message-IDs — through Download Email
// Attachments, Save Email Attachments to Case and the writer `parse --attachments-out` uses, into directories with
// pre-planted symlinks, hardlinks, FIFOs, files and directories. After each run the trees are walked without
// following links: 0 escapes, 0 overwrites, 0 symlink follows. (tests/integration/hostile_names_test.cpp runs the
// same suite through the real binary against the lab.)
#include <gtest/gtest.h>

#include "actions/attachment_files.h"
#include "actions/download_email_attachments.h"
#include "actions/save_email_attachments_to_case.h"
#include "mail/memory_mail_store.h"
#include "mime/digest.h"
#include "mime/parse_message.h"
#include "store/case_repository.h"
#include "store/ledger_repository.h"
#include "store/wall_repository.h"
#include "support/hostile_names_fs.h"
#include "support/hostile_names_mail.h"
#include "support/test_env.h"

namespace emailv2::actions {
namespace {

namespace hostile = emailv2::testing::hostile;
namespace fs = std::filesystem;
using emailv2::testing::TempDir;

constexpr std::size_t kPartsPerMail = 24;

struct HostileMail {
  std::string message_id;  // as in the header
  std::string raw;
  mime::Message parsed;
};

struct HostileSet {
  std::vector<HostileMail> mails;
  std::set<std::string> contents;  // every attachment's bytes (all distinct)
  std::size_t parts = 0;
};

HostileSet build_set() {
  const auto raw = hostile::mail_set(kPartsPerMail);
  HostileSet set;
  set.contents.insert(raw.contents.begin(), raw.contents.end());
  set.parts = raw.contents.size();
  for (std::size_t m = 0; m < raw.mails.size(); ++m) {
    set.mails.push_back({raw.ids[m], raw.mails[m], mime::parse_message(raw.mails[m])});
  }
  return set;
}

// The sanitised names of the first attachments of a mail: where a careless writer would put them.
std::vector<std::string> planted_names(const HostileMail& mail, std::size_t count) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < std::min(count, mail.parsed.attachments.size()); ++i) {
    out.push_back(disk_name(mail.parsed.attachments[i].name));
  }
  for (const char* extra : {"_.._escape.txt", "escape.txt", "_etc_passwd", "planted.txt", "dir-link", "fifo"}) {
    out.emplace_back(extra);
  }
  return out;
}

class HostileNames : public ::testing::Test {
 protected:
  HostileNames() : set_(build_set()) {
    config_.sender_address = "soc@lab.test";
    root_ = tmp_.path() / "target";
    outside_ = tmp_.path() / "outside";
  }

  // Plants entries in the target directory and in the message directories the mails will use.
  void plant_everything(bool with_message_dirs) {
    hostile::plant(root_, outside_, {"escape.txt", "_.._escape.txt", "passwd", "planted.txt", "fifo", "subdir"});
    if (!with_message_dirs) {
      hostile::plant(root_, outside_, planted_names(set_.mails[0], 60));
      return;
    }
    for (std::size_t m = 0; m < set_.mails.size(); ++m) {
      const auto& mail = set_.mails[m];
      const std::string dir = disk_name(message_directory_name(mail.parsed.message_id, "INBOX", 0));
      if (m == 1) {
        fs::create_directory_symlink(outside_, root_ / dir);  // the message directory itself is a link
      } else if (m == 2) {
        hostile::write_bytes(root_ / dir, "a file where the message directory goes");
      } else {
        hostile::plant(root_ / dir, outside_ / ("for-" + std::to_string(m)), planted_names(mail, 30));
      }
    }
  }

  void take_before() {
    root_before_ = hostile::snapshot(root_);
    outside_before_ = hostile::snapshot(outside_);
    parent_before_ = hostile::listing(tmp_.path());
  }

  std::map<std::string, std::string> check() {
    return hostile::expect_contained(root_, root_before_, outside_, outside_before_, tmp_.path(), parent_before_,
                                     set_.contents);
  }

  HostileSet set_;
  TempDir tmp_;
  fs::path root_, outside_;
  std::map<std::string, hostile::Entry> root_before_, outside_before_;
  std::set<std::string> parent_before_;
  mail::IntegrationConfig config_;
  mail::MemoryMailStore store_;
};

TEST_F(HostileNames, SuiteHasAtLeast200HostileNames) {
  EXPECT_GE(hostile::names().size(), 200u);
  EXPECT_GE(set_.parts, 200u);
  std::size_t attachments = 0;
  for (const auto& m : set_.mails) attachments += m.parsed.attachments.size();
  EXPECT_EQ(attachments, set_.parts) << "every hostile part must reach the parser as an attachment";
}

TEST_F(HostileNames, DownloadZeroEscapesOverwritesOrFollows) {
  for (const auto& m : set_.mails) store_.deliver("INBOX", m.raw);
  plant_everything(true);
  take_before();
  auto flags = parse_flags(download_email_attachments_spec(), {"--download-path", root_.string()});
  ASSERT_TRUE(flags);
  auto params = resolve(download_email_attachments_spec(), *flags, {});
  ASSERT_TRUE(params);
  const ActionContext ctx{config_, "", std::nullopt, std::nullopt, Deadline::after(std::chrono::seconds(120)),
                          system_clock()};
  const auto r = download_email_attachments(ctx, *params, store_);
  ASSERT_EQ(r.exit_code(), 0) << r.output_message.substr(0, 2000);
  const auto created = check();
  EXPECT_EQ(created.size(), set_.parts) << "one new file per attachment, none overwritten or merged";
  const auto& files = r.json_result["attachments"];
  ASSERT_EQ(files.size(), set_.parts);
  std::set<std::string> paths;
  for (const auto& f : files) {
    const fs::path p = f["path"].get<std::string>();
    paths.insert(p.string());
    const fs::path rel = p.lexically_relative(root_);
    EXPECT_EQ(std::distance(rel.begin(), rel.end()), 2) << p;  // <msgdir>/<name>, nothing deeper or higher
    EXPECT_NE(rel.begin()->string(), "..") << p;
    ASSERT_EQ(created.count(rel.string()), 1u) << p;
    EXPECT_EQ(mime::digests_of(created.at(rel.string())).sha256, f["sha256"]) << p;
  }
  EXPECT_EQ(paths.size(), set_.parts);
  // A second run overwrites nothing and reuses every file whose on-disk name is deterministic. Names that sanitise
  // to nothing ("..", ".", NUL-only…) become Undefined_{random UUID} (§6.4 step 5), so those are written again.
  const auto after_first = hostile::snapshot(root_);
  const auto again = download_email_attachments(ctx, *params, store_);
  ASSERT_EQ(again.exit_code(), 0);
  const auto rewritten = hostile::expect_contained(root_, after_first, outside_, outside_before_, tmp_.path(),
                                                   parent_before_, set_.contents);
  const auto& again_files = again.json_result["attachments"];
  ASSERT_EQ(again_files.size(), files.size());
  std::size_t random_names = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string first_path = files[i]["path"];
    const std::string second_path = again_files[i]["path"];
    if (first_path == second_path) continue;  // reused
    EXPECT_NE(first_path.find("/Undefined_"), std::string::npos) << "not reused: " << first_path;
    EXPECT_NE(second_path.find("/Undefined_"), std::string::npos) << second_path;
    ++random_names;
  }
  EXPECT_EQ(rewritten.size(), random_names);
  EXPECT_LE(random_names, 2 * kPartsPerMail + 20);  // the "<..>" and "<.>" mails, and the names that sanitise to ""
}

TEST_F(HostileNames, ParseWriterZeroEscapesOverwritesOrFollows) {
  plant_everything(false);
  take_before();
  auto dir = SafeDirectory::open(root_, true);
  ASSERT_TRUE(dir);
  std::size_t written = 0;
  for (const auto& m : set_.mails) {
    for (const auto& att : m.parsed.attachments) {
      auto w = write_attachment(*dir, att);
      ASSERT_TRUE(w) << w.error().to_string();
      EXPECT_EQ(w->path.parent_path(), root_);
      EXPECT_FALSE(w->reused);
      ++written;
    }
  }
  const auto created = check();
  EXPECT_EQ(created.size(), written);
  EXPECT_EQ(written, set_.parts);
}

TEST_F(HostileNames, SaveToCaseKeepsNamesVerbatimAndWritesNoFile) {
  for (const auto& m : set_.mails) store_.deliver("INBOX", m.raw);
  auto db = store::Database::open(tmp_.path() / "cases.sqlite");
  ASSERT_TRUE(db);
  auto tx = db->begin_write();
  ASSERT_TRUE(tx);
  store::LedgerEntry entry;
  entry.identity = {"default", "soc@lab.test@127.0.0.1:993", "Inbox", 7, 1};
  entry.raw_sha256 = std::string(64, 'a');
  auto ledger = store::LedgerRepository(*db).insert(*tx, entry, system_clock().now());
  ASSERT_TRUE(ledger && *ledger);
  store::NewCase c;
  c.ledger_id = **ledger;
  c.title = "hostile";
  auto created = store::CaseRepository(*db).create(*tx, c, system_clock().now());
  ASSERT_TRUE(created);
  ASSERT_TRUE(tx->commit());
  const auto before = hostile::listing(tmp_.path());
  std::multiset<std::pair<std::string, std::string>> expected;
  for (const auto& m : set_.mails) {
    auto flags = parse_flags(save_email_attachments_to_case_spec(),
                             {"--folder-name", "Inbox", "--message-id", m.message_id});
    ASSERT_TRUE(flags);
    auto params = resolve(save_email_attachments_to_case_spec(), *flags, {});
    ASSERT_TRUE(params) << params.error().detail();
    const ActionContext ctx{config_, "", created->case_id, std::nullopt, Deadline::after(std::chrono::seconds(60)),
                            system_clock()};
    const auto r = save_email_attachments_to_case(ctx, *params, store_, *db);
    ASSERT_EQ(r.exit_code(), 0) << r.output_message.substr(0, 500);
    EXPECT_EQ(r.output_message.find_first_of(std::string("\r\n\0", 3)), std::string::npos) << "names are escaped";
    for (const auto& att : m.parsed.attachments) expected.insert({att.name, att.sha256});
  }
  auto wall = store::WallRepository(*db).list(created->case_id);
  ASSERT_TRUE(wall);
  std::multiset<std::pair<std::string, std::string>> stored;
  for (const auto& w : *wall) stored.insert({w.file_name, w.sha256});
  EXPECT_EQ(stored, expected) << "every file on the wall once, its original name verbatim";
  EXPECT_GE(stored.size(), 200u);
  EXPECT_EQ(hostile::listing(tmp_.path()), before) << "Save writes no file";
}

}  // namespace
}  // namespace emailv2::actions
