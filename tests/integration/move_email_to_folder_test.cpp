// Move Email to Folder against the lab (CONTRACT §3.6), through the real binary: every Message-ID of a list [fix],
// non-ASCII folder names, destination checked first, MOVE and its fallbacks (servers without MOVE / UIDPLUS).
#include "search_move_delete_lab.h"

namespace emailv2::testing::mailbox {
namespace {

class MoveEmailLab : public MailboxLab {};

TEST_F(MoveEmailLab, EveryMessageIdOfTheListIsMovedFromEverySource) {
  const std::string a = folder("move src ä");
  const std::string b = folder("move src two");
  const std::string dest = folder("move Phishing é");
  append(a, message("one", id("m1")));
  append(a, message("stays", id("keep")));
  append(b, message("two", id("m2")));
  append(b, message("three", id("m3")));
  const auto r = run("move-email-to-folder", {"--source-folder-name", a + "," + b, "--destination-folder-name", dest,
                                              "--message-ids", id("m1") + ",<" + id("m2") + ">," + id("m3")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = r.envelope();
  EXPECT_EQ(j["output_message"], "3 mails were successfully moved from " + a + "," + b + " to " + dest);
  EXPECT_EQ(subjects(j), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(j["json_result"]["emails"][0]["destination_folder"], dest);
  EXPECT_TRUE(j["json_result"]["emails"][0]["destination_uid"].is_string());
  EXPECT_EQ(uids(a).size(), 1U);
  EXPECT_EQ(with_id(a, id("keep")).size(), 1U);
  EXPECT_TRUE(uids(b).empty());
  EXPECT_EQ(uids(dest).size(), 3U);
}

TEST_F(MoveEmailLab, MissingDestinationChangesNothing) {
  const std::string a = folder("move src");
  append(a, message("one", id("d1")));
  const auto r = run("move-email-to-folder", {"--source-folder-name", a, "--destination-folder-name",
                                              "Nope " + token_, "--subject-filter", "one"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.envelope()["output_message"], "Error search emails: FOLDER_NOT_FOUND: Folder Nope " + token_ + " not found");
  EXPECT_EQ(uids(a).size(), 1U);
}

TEST_F(MoveEmailLab, WithoutMoveUsesUidplusCopy) {
  const std::string a = folder("move nomove");
  const std::string dest = folder("move nomove dest");
  append(a, message("target", id("n1")));
  append(a, message("other", id("n2")));
  const auto r = run("move-email-to-folder", {"--source-folder-name", a, "--destination-folder-name", dest,
                                              "--subject-filter", "target"},
                     "LAB_IMAPS_NOMOVE_PORT");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(r.envelope()["json_result"]["emails"][0]["destination_uid"].is_string());
  EXPECT_EQ(uids(a), (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(with_id(dest, id("n1")).size(), 1U);
}

TEST_F(MoveEmailLab, WithoutUidplusForeignDeletedKeepsTheOriginal) {
  const std::string a = folder("move nouidplus");
  const std::string dest = folder("move nouidplus dest");
  append(a, message("target", id("u1")));
  append(a, message("someone else's", id("u2")), {}, "\\Deleted");
  const auto r = run("move-email-to-folder", {"--source-folder-name", a, "--destination-folder-name", dest,
                                              "--message-ids", id("u1")},
                     "LAB_IMAPS_NOUIDPLUS_PORT");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.envelope()["error_code"], "CAPABILITY_MISSING");
  EXPECT_EQ(uids(a), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(with_id(dest, id("u1")).size(), 1U);  // the copy was kept
}

}  // namespace
}  // namespace emailv2::testing::mailbox
