// Delete Email against the lab (CONTRACT §3.7), through the real binary: in a non-Inbox folder exactly the right
// message goes and nothing in Inbox [fix] (O deleted the same UID in Inbox), every Message-ID of a list [fix], first
// match vs all, Days Back, and the safety rule without UIDPLUS.
#include "search_move_delete_lab.h"

namespace emailv2::testing::mailbox {
namespace {

using Clock = std::chrono::system_clock;

class DeleteEmailLab : public MailboxLab {};

TEST_F(DeleteEmailLab, NonInboxFolderRemovesExactlyTheRightMessageAndNothingInInbox) {
  // Inbox gets a message whose UID the target will share in the fresh folder: O's bug deleted exactly that one.
  append("INBOX", message("inbox bystander", id("inbox")));
  const auto inbox_uids = with_id("INBOX", id("inbox"));
  ASSERT_EQ(inbox_uids.size(), 1U);
  const std::uint32_t shared_uid = inbox_uids[0];
  ASSERT_LE(shared_uid, 5000U) << "INBOX UIDs too high for this test; reset the lab";
  const std::string f = folder("delete Gemeldet ü");
  std::vector<std::string> fillers;
  for (std::uint32_t u = 1; u < shared_uid; ++u) fillers.push_back(message("filler", id("fill" + std::to_string(u))));
  ASSERT_TRUE(imap_lab::append_all(*admin_, f, fillers));
  append(f, message("the phish", id("target")));
  ASSERT_EQ(with_id(f, id("target")), (std::vector<std::uint32_t>{shared_uid}));

  const auto r = run("delete-email", {"--folder-name", f, "--message-ids", id("target")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = r.envelope();
  EXPECT_EQ(j["output_message"], "1 email(s) were deleted successfully");
  EXPECT_EQ(j["json_result"]["emails"][0]["folder"], f);
  EXPECT_EQ(j["json_result"]["emails"][0]["email_uid"], std::to_string(shared_uid));
  EXPECT_TRUE(with_id(f, id("target")).empty());
  EXPECT_EQ(uids(f).size(), shared_uid - 1);
  EXPECT_EQ(with_id("INBOX", id("inbox")), inbox_uids);
  // Clean up our bystander so INBOX stays small across runs.
  ASSERT_TRUE(run("delete-email", {"--folder-name", "Inbox", "--message-ids", id("inbox")}).exit_code == 0);
}

TEST_F(DeleteEmailLab, EveryMessageIdFirstMatchEachThenAll) {
  const std::string a = folder("delete a");
  const std::string b = folder("delete b");
  append(a, message("x in a", id("x")));
  append(b, message("x in b", id("x")));
  append(b, message("y in b", id("y")));
  append(b, message("y again in b", id("y")));
  auto r = run("delete-email", {"--folder-name", a + "," + b, "--message-ids", id("x") + "," + id("y")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"], "2 email(s) were deleted successfully");
  EXPECT_EQ(subjects(r.envelope()), (std::vector<std::string>{"x in a", "y in b"}));
  EXPECT_TRUE(uids(a).empty());
  EXPECT_EQ(uids(b), (std::vector<std::uint32_t>{1, 3}));
  r = run("delete-email", {"--folder-name", a + "," + b, "--message-ids", id("x") + "," + id("y"),
                           "--delete-all-matching-emails"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"], "2 email(s) were deleted successfully");
  EXPECT_TRUE(uids(b).empty());
  r = run("delete-email", {"--folder-name", a, "--message-ids", id("x")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.envelope()["output_message"], "Failed to find emails for deletion!");
}

TEST_F(DeleteEmailLab, DaysBackBoundsTheFilterMode) {
  const std::string f = folder("delete days");
  const auto now = Clock::now();
  append(f, message("report old", id("o")), now - 72h);
  append(f, message("report new", id("n")), now);
  auto r = run("delete-email", {"--folder-name", f, "--subject-filter", "report", "--delete-all-matching-emails"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(subjects(r.envelope()), (std::vector<std::string>{"report new"}));
  r = run("delete-email", {"--folder-name", f, "--subject-filter", "report", "--days-back", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(uids(f).empty());
  r = run("delete-email", {"--folder-name", f, "--subject-filter", "report", "--days-back", "-1"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.envelope()["output_message"], "\"Days Back\" parameter must be non negative.");
}

TEST_F(DeleteEmailLab, WithoutUidplusForeignDeletedIsCapabilityMissing) {
  const std::string f = folder("delete nouidplus");
  append(f, message("target", id("t")));
  append(f, message("foreign", id("f")), {}, "\\Deleted");
  const auto r = run("delete-email", {"--folder-name", f, "--message-ids", id("t")}, "LAB_IMAPS_NOUIDPLUS_PORT");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.envelope()["error_code"], "CAPABILITY_MISSING");
  EXPECT_EQ(r.envelope()["output_message"].get<std::string>().rfind("Error deleting emails CAPABILITY_MISSING: ", 0), 0U);
  EXPECT_EQ(uids(f), (std::vector<std::uint32_t>{1, 2}));
}

}  // namespace
}  // namespace emailv2::testing::mailbox
