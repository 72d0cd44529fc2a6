// The SAME MailStore cases against MemoryMailStore and against ImapMailStore on the lab (Dovecot), so the in-memory
// twin cannot drift from the real store. The memory rows run everywhere; the lab rows need EMAILV2_LAB_DIR.
//
// A Backend fills a fresh folder (IMAP: CREATE + APPEND with INTERNALDATE and flags through a separate admin
// session; memory: create_folder + deliver) and hands out the MailStore under test.

#include <gtest/gtest.h>

#include <thread>

#include "imap_lab_support.h"
#include "mail/imap_mail_store.h"
#include "mail/memory_mail_store.h"

namespace emailv2::mail {
namespace {

namespace lab = imap::lab;
using namespace std::chrono_literals;

TimePoint at(int y, unsigned m, unsigned d, std::chrono::seconds s = 0s) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) + s;
}

// "10-May-2024 11:59:59 +0000"
std::string imap_date(TimePoint t) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - day));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02u-%s-%04d %02ld:%02ld:%02ld +0000", static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

class Backend {
 public:
  virtual ~Backend() = default;
  virtual MailStore& store() = 0;
  // A new empty folder (attributes: none).
  virtual std::string folder(const std::string& prefix) = 0;
  virtual void append(const std::string& folder, const std::string& raw, TimePoint internal_date,
                      const std::vector<std::string>& flags = {}) = 0;
  // Appends from another connection/thread after `delay` (for wait_for_new_mail). Joined by the destructor.
  virtual void append_later(const std::string& folder, std::string raw, std::chrono::milliseconds delay) = 0;
};

class MemoryBackend final : public Backend {
 public:
  explicit MemoryBackend(MemoryCapabilities capabilities) : store_(capabilities) {}
  ~MemoryBackend() override {
    for (auto& t : threads_) t.join();
  }
  MailStore& store() override { return store_; }
  std::string folder(const std::string& prefix) override {
    const std::string name = prefix + " " + std::to_string(counter_++);
    store_.create_folder(name);
    return name;
  }
  void append(const std::string& folder, const std::string& raw, TimePoint internal_date,
              const std::vector<std::string>& flags) override {
    store_.deliver(folder, raw, internal_date, flags);
  }
  void append_later(const std::string& folder, std::string raw, std::chrono::milliseconds delay) override {
    threads_.emplace_back([this, folder, raw = std::move(raw), delay] {
      std::this_thread::sleep_for(delay);
      store_.deliver(folder, raw);
    });
  }

 private:
  MemoryMailStore store_;
  int counter_ = 0;
  std::vector<std::thread> threads_;
};

Status imap_append(imap::Session& s, const std::string& folder, const std::string& raw,
                   std::optional<TimePoint> date, const std::vector<std::string>& flags) {
  imap::wire::CommandBuilder b("APPEND", s.capabilities().has("LITERAL+"));
  b.mailbox(folder);
  if (!flags.empty()) {
    std::string list = "(";
    for (const auto& f : flags) list += (list.size() > 1 ? " " : "") + f;
    b.raw(list + ")");
  }
  if (date) b.string(imap_date(*date));
  b.literal(raw);
  auto c = b.build();
  if (!c) return fail(c.error());
  auto r = s.run(*c, {}, lab::soon());
  if (!r) return fail(r.error());
  return ok();
}

class ImapBackend final : public Backend {
 public:
  // The store connects to `port_key` (a port whose CAPABILITY hides MOVE / UIDPLUS, or the normal one); the admin
  // session that fills folders always uses the normal port.
  explicit ImapBackend(std::string port_key)
      : admin_(lab::connect(lab::options())),
        store_([port_key](Deadline d) { return imap::Session::connect(lab::options(port_key), d); }) {}
  ~ImapBackend() override {
    for (auto& t : threads_) t.join();
    (void)store_.close(lab::soon());
    if (!admin_) return;
    for (const auto& f : created_) (void)lab::remove(*admin_, f);
    (void)admin_->logout(lab::soon());
  }
  MailStore& store() override { return store_; }
  std::string folder(const std::string& prefix) override {
    created_.push_back(lab::unique_folder("conformance " + prefix));
    EXPECT_TRUE(admin_ && lab::create(*admin_, created_.back()));
    return created_.back();
  }
  void append(const std::string& folder, const std::string& raw, TimePoint internal_date,
              const std::vector<std::string>& flags) override {
    ASSERT_TRUE(admin_);
    auto st = imap_append(*admin_, folder, raw, internal_date, flags);
    ASSERT_TRUE(st) << st.error().to_string();
  }
  void append_later(const std::string& folder, std::string raw, std::chrono::milliseconds delay) override {
    threads_.emplace_back([folder, raw = std::move(raw), delay] {
      auto s = imap::Session::connect(lab::options(), lab::soon());
      if (!s) return;
      std::this_thread::sleep_for(delay);
      (void)imap_append(**s, folder, raw, std::nullopt, {});
      (void)(*s)->logout(lab::soon());
    });
  }

 private:
  std::unique_ptr<imap::Session> admin_;
  ImapMailStore store_;
  std::vector<std::string> created_;
  std::vector<std::thread> threads_;
};

// One row of the matrix: which store, with which capabilities (the lab hides them on dedicated ports).
struct Kind {
  const char* name;
  bool imap;
  MemoryCapabilities capabilities;
  const char* port_key;
  bool reports_destination_uids() const { return capabilities.move || capabilities.uidplus; }
};

const Kind kKinds[] = {
    {"Memory", false, {true, true}, ""},
    {"Imap", true, {true, true}, "LAB_IMAPS_PORT"},
    {"MemoryNoMove", false, {false, true}, ""},
    {"ImapNoMove", true, {false, true}, "LAB_IMAPS_NOMOVE_PORT"},
    {"MemoryNoMoveNoUidplus", false, {false, false}, ""},
    {"ImapNoMoveNoUidplus", true, {false, false}, "LAB_IMAPS_NOUIDPLUS_PORT"},
};

std::string mail(const std::string& subject, const std::string& from = "Alice Example <alice@lab.test>",
                 const std::string& extra = "", const std::string& body = "hello\r\n") {
  return "From: " + from + "\r\nTo: Bob <bob@lab.test>\r\nSubject: " + subject +
         "\r\nDate: Fri, 10 May 2024 10:00:00 +0000\r\n" + extra + "\r\n" + body;
}

class Conformance : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    if (GetParam().imap) {
      if (!testing::lab_available()) GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
      backend_ = std::make_unique<ImapBackend>(GetParam().port_key);
    } else {
      backend_ = std::make_unique<MemoryBackend>(GetParam().capabilities);
    }
  }
  MailStore& store() { return backend_->store(); }
  std::vector<std::uint32_t> find(const std::string& folder, const SearchCriteria& c) {
    auto r = store().search(folder, c, lab::soon());
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : std::vector<std::uint32_t>{};
  }
  std::unique_ptr<Backend> backend_;
};

using Uids = std::vector<std::uint32_t>;

TEST_P(Conformance, MissingFoldersAndInjection) {
  EXPECT_EQ(store().search("No Such Folder", SearchCriteria::all(), lab::soon()).error().code(),
            ErrorCode::kFolderNotFound);
  EXPECT_EQ(store().open_folder("No Such Folder", Access::kReadOnly, lab::soon()).error().code(),
            ErrorCode::kFolderNotFound);
  auto none = store().find_folder("No Such Folder", lab::soon());
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto inbox = store().find_folder("inbox", lab::soon());
  ASSERT_TRUE(inbox && *inbox);
  SearchCriteria bad;
  bad.from = "x\r\nA1 LOGOUT";
  EXPECT_EQ(store().search("INBOX", bad, lab::soon()).error().code(), ErrorCode::kParamInvalid);
  EXPECT_EQ(store().open_folder("a\nb", Access::kReadOnly, lab::soon()).error().code(), ErrorCode::kParamInvalid);
}

TEST_P(Conformance, SearchFiltersAndTheirCombinations) {
  const std::string f = backend_->folder("search");
  backend_->append(f, mail("Invoice 2024/05", "Alice Example <alice@lab.test>", "X-Case: red\r\n"), at(2024, 5, 10));
  backend_->append(f, mail("Re: invoice", "bob@lab.test", "X-Case: blue\r\n"), at(2024, 5, 10), {"\\Seen"});
  backend_->append(f, mail("Other", "carol@lab.test"), at(2024, 5, 10));
  backend_->append(f, mail("=?UTF-8?B?w6l0w6kgUmVjaG51bmc=?=", "dave@lab.test"), at(2024, 5, 10));  // "été Rechnung"
  SearchCriteria s;
  s.subject = "INVOICE";
  EXPECT_EQ(find(f, s), (Uids{1, 2}));
  s.unseen = true;
  EXPECT_EQ(find(f, s), (Uids{1}));
  SearchCriteria from;
  from.from = "EXAMPLE";  // display name
  EXPECT_EQ(find(f, from), (Uids{1}));
  from.from = "carol@LAB";
  EXPECT_EQ(find(f, from), (Uids{3}));
  SearchCriteria to;
  to.to = "bob@lab.test";
  EXPECT_EQ(find(f, to), (Uids{1, 2, 3, 4}));
  SearchCriteria encoded;
  encoded.subject = "rechnung";  // inside an RFC 2047 word
  EXPECT_EQ(find(f, encoded), (Uids{4}));
  encoded.subject = "été";  // non-ASCII value (CHARSET UTF-8 on IMAP)
  EXPECT_EQ(find(f, encoded), (Uids{4}));
  encoded.subject = "ÉTÉ";  // case folded beyond ASCII
  EXPECT_EQ(find(f, encoded), (Uids{4}));
  encoded.subject = "ete";  // accents are not
  EXPECT_EQ(find(f, encoded), (Uids{}));
  EXPECT_EQ(find(f, SearchCriteria::header("X-Case", "BLUE")), (Uids{2}));
  EXPECT_EQ(find(f, SearchCriteria::header("X-Case", "")), (Uids{1, 2}));  // empty value: the field is present
  SearchCriteria any;
  any.any_header = {{"X-Case", "red"}, {"Subject", "other"}};
  EXPECT_EQ(find(f, any), (Uids{1, 3}));
  SearchCriteria min;
  min.min_uid = 3;
  EXPECT_EQ(find(f, min), (Uids{3, 4}));
  min.min_uid = 9;
  EXPECT_EQ(find(f, min), (Uids{}));
  EXPECT_EQ(find(f, SearchCriteria::all()), (Uids{1, 2, 3, 4}));
}

TEST_P(Conformance, ExactTimeFilterAndDayFilter) {
  const std::string f = backend_->folder("time");
  backend_->append(f, mail("a"), at(2024, 5, 10, 11h + 59min + 59s));
  backend_->append(f, mail("b"), at(2024, 5, 10, 12h));
  backend_->append(f, mail("c"), at(2024, 5, 9, 23h));
  SearchCriteria exact;
  exact.received_since = at(2024, 5, 10, 12h);
  EXPECT_EQ(find(f, exact), (Uids{2}));
  SearchCriteria day;
  day.since_day = CalendarDay{2024, 5, 10};
  EXPECT_EQ(find(f, day), (Uids{1, 2}));
}

TEST_P(Conformance, MessageIdLookupIsExact) {
  const std::string f = backend_->folder("msgid");
  backend_->append(f, mail("a", "x@lab.test", "Message-ID: <abc@lab.test>\r\n"), at(2024, 5, 10));
  backend_->append(f, mail("b", "x@lab.test", "Message-ID: <xabc@lab.test>\r\n"), at(2024, 5, 10));
  backend_->append(f, mail("c", "x@lab.test", "Message-ID: <ABC@lab.test>\r\n"), at(2024, 5, 10));
  auto r = store().find_by_message_id(f, "<abc@lab.test>", lab::soon());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(*r, (Uids{1}));
  auto none = store().find_by_message_id(f, "nobody@lab.test", lab::soon());
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(Conformance, FolderInfoMetadataHeadersAndBodies) {
  const std::string f = backend_->folder("fetch");
  const std::string small = mail("small");
  const std::string big = mail("big", "x@lab.test", "", std::string(3000, 'x') + "\r\n");
  backend_->append(f, small, at(2024, 5, 10, 8h), {"\\Flagged", "$Label1"});
  backend_->append(f, big, at(2024, 5, 11, 9h));
  auto info = store().open_folder(f, Access::kReadOnly, lab::soon());
  ASSERT_TRUE(info) << info.error().to_string();
  EXPECT_EQ(info->exists, 2U);
  EXPECT_EQ(info->uid_next, 3U);
  EXPECT_TRUE(info->read_only);
  EXPECT_NE(info->uid_validity, 0U);

  auto meta = store().fetch_metadata(f, {2, 1, 7}, lab::soon());
  ASSERT_TRUE(meta) << meta.error().to_string();
  ASSERT_EQ(meta->size(), 2U);
  EXPECT_EQ(meta->at(0).uid, 1U);
  EXPECT_TRUE(meta->at(0).has_flag("\\Flagged"));
  EXPECT_TRUE(meta->at(0).has_flag("$Label1"));
  EXPECT_FALSE(meta->at(0).has_flag("\\Seen"));
  EXPECT_EQ(meta->at(0).internal_date, at(2024, 5, 10, 8h));
  EXPECT_EQ(meta->at(0).size, small.size());
  EXPECT_EQ(meta->at(1).size, big.size());

  auto headers = store().fetch_headers(f, {1, 9}, lab::soon());
  ASSERT_TRUE(headers) << headers.error().to_string();
  ASSERT_EQ(headers->size(), 1U);
  EXPECT_EQ(headers->at(0).header, small.substr(0, small.find("\r\n\r\n") + 4));

  std::vector<std::pair<std::uint32_t, std::string>> got;
  std::vector<bool> over;
  auto report = store().fetch_messages(f, {9, 2, 1}, 1000, [&](StoredMessage&& m) -> Status {
    auto bytes = m.bytes.read_all();
    if (!bytes) return fail(bytes.error());
    got.emplace_back(m.metadata.uid, *bytes);
    over.push_back(m.over_limit);
    return ok();
  }, lab::soon());
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->delivered, 2U);
  EXPECT_EQ(report->missing, (Uids{9}));
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[0], std::make_pair(std::uint32_t{1}, small));
  EXPECT_EQ(got[1].second, big.substr(0, big.find("\r\n\r\n") + 4));
  EXPECT_EQ(over, (std::vector<bool>{false, true}));
  auto after = store().fetch_metadata(f, {1, 2}, lab::soon());  // reads never set \Seen
  ASSERT_TRUE(after);
  for (const auto& m : *after) EXPECT_FALSE(m.has_flag("\\Seen")) << m.uid;
}

TEST_P(Conformance, FlagsMoveDeleteAndUidsNeverReused) {
  const std::string src = backend_->folder("src");
  const std::string dst = backend_->folder("dst");
  for (int i = 0; i < 4; ++i) backend_->append(src, mail("m" + std::to_string(i)), at(2024, 5, 10));
  ASSERT_TRUE(store().add_flags(src, {1, 2, 99}, {"\\seen", "$Triaged"}, lab::soon()));
  EXPECT_EQ(store().add_flags(src, {1}, {"bad flag"}, lab::soon()).error().code(), ErrorCode::kParamInvalid);
  auto meta = store().fetch_metadata(src, {1}, lab::soon());
  ASSERT_TRUE(meta && meta->size() == 1);
  EXPECT_TRUE(meta->at(0).has_flag("\\Seen"));
  EXPECT_TRUE(meta->at(0).has_flag("$Triaged"));

  EXPECT_EQ(store().move(src, {1}, "No Such Folder", lab::soon()).error().code(), ErrorCode::kFolderNotFound);
  EXPECT_EQ(find(src, SearchCriteria::all()), (Uids{1, 2, 3, 4}));  // nothing changed
  auto moved = store().move(src, {2, 1, 42}, dst, lab::soon());
  ASSERT_TRUE(moved) << moved.error().to_string();
  ASSERT_EQ(moved->moved.size(), 2U);
  EXPECT_EQ(moved->moved[0].uid, 1U);
  auto dst_info = store().open_folder(dst, Access::kReadOnly, lab::soon());
  ASSERT_TRUE(dst_info);
  if (GetParam().reports_destination_uids()) {  // MOVE or COPYUID (UIDPLUS)
    EXPECT_EQ(moved->moved[0].destination_uid, 1U);
    EXPECT_EQ(moved->moved[1].destination_uid, 2U);
    EXPECT_EQ(moved->destination_uid_validity, dst_info->uid_validity);
  } else if (!GetParam().imap) {
    EXPECT_FALSE(moved->moved[0].destination_uid);
    EXPECT_FALSE(moved->destination_uid_validity);
  } else if (moved->moved[0].destination_uid) {
    // The lab hides UIDPLUS from CAPABILITY only; Dovecot still sends COPYUID. Whatever is reported must be right.
    EXPECT_EQ(moved->moved[0].destination_uid, 1U);
    EXPECT_EQ(moved->destination_uid_validity, dst_info->uid_validity);
  }
  auto dst_meta = store().fetch_metadata(dst, {1}, lab::soon());
  ASSERT_TRUE(dst_meta && dst_meta->size() == 1);
  EXPECT_TRUE(dst_meta->at(0).has_flag("\\Seen"));  // flags travel with the message

  auto deleted = store().delete_messages(src, {4, 3, 1, 77}, lab::soon());
  ASSERT_TRUE(deleted) << deleted.error().to_string();
  EXPECT_EQ(*deleted, (Uids{3, 4}));
  EXPECT_EQ(find(src, SearchCriteria::all()), (Uids{}));
  backend_->append(src, mail("again"), at(2024, 5, 10));
  // Mail added by another connection is visible once the folder is opened again (IMAP: the selection only learns
  // of it at the next sync; the twin sees it at once, so callers must not rely on either).
  auto info = store().open_folder(src, Access::kReadWrite, lab::soon());
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->read_only);
  EXPECT_EQ(info->uid_next, 6U);
  EXPECT_EQ(find(src, SearchCriteria::all()), (Uids{5}));
}

TEST_P(Conformance, WaitSeesMailFromAnotherConnectionAndTimesOutOtherwise) {
  const std::string f = backend_->folder("wait");
  ASSERT_TRUE(store().open_folder(f, Access::kReadOnly, lab::soon()));
  WaitOptions poll;
  poll.poll_every = 200ms;
  auto quiet = store().wait_for_new_mail(f, Deadline::after(300ms), poll, lab::soon());
  ASSERT_TRUE(quiet) << quiet.error().to_string();
  EXPECT_FALSE(*quiet);
  backend_->append_later(f, mail("arrives"), 500ms);
  auto woke = store().wait_for_new_mail(f, Deadline::after(30s), poll, lab::soon());
  ASSERT_TRUE(woke) << woke.error().to_string();
  EXPECT_TRUE(*woke);
  EXPECT_EQ(find(f, SearchCriteria::all()), (Uids{1}));
}

TEST_P(Conformance, SafetyRuleWhenOthersAreFlaggedDeleted) {
  const std::string src = backend_->folder("safety");
  const std::string dst = backend_->folder("safety dst");
  backend_->append(src, mail("ours"), at(2024, 5, 10));
  backend_->append(src, mail("someone else's pending deletion"), at(2024, 5, 10), {"\\Deleted"});
  auto moved = store().move(src, {1}, dst, lab::soon());
  auto deleted = store().delete_messages(src, {1}, lab::soon());
  if (GetParam().capabilities.uidplus || GetParam().capabilities.move) {
    ASSERT_TRUE(moved) << moved.error().to_string();  // UID EXPUNGE / MOVE touch exactly our UIDs
    ASSERT_TRUE(deleted) << deleted.error().to_string();
    EXPECT_TRUE(deleted->empty());  // already moved away
    EXPECT_EQ(find(src, SearchCriteria::all()), (Uids{2}));
    return;
  }
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code(), ErrorCode::kCapabilityMissing);
  EXPECT_EQ(find(dst, SearchCriteria::all()).size(), 1U);  // the copy was kept
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code(), ErrorCode::kCapabilityMissing);
  EXPECT_EQ(find(src, SearchCriteria::all()), (Uids{1, 2}));  // nothing removed
  auto meta = store().fetch_metadata(src, {1}, lab::soon());
  ASSERT_TRUE(meta && meta->size() == 1);
  EXPECT_FALSE(meta->at(0).has_flag("\\Deleted"));  // our flag was taken back
}

INSTANTIATE_TEST_SUITE_P(Stores, Conformance, ::testing::ValuesIn(kKinds),
                         [](const ::testing::TestParamInfo<Kind>& i) {
                           return std::string(i.param.name);
                         });

}  // namespace
}  // namespace emailv2::mail
