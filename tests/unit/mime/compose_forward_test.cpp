// forward_attachments (CONTRACT §3.3 step 3): the original's direct MIME attachments only, same-name files kept,
// inline parts with their Content-ID; never the files the parser extracted from a TNEF (winmail.dat) carrier or the
// data-URI images of the HTML.
#include <gtest/gtest.h>

#include "mime/compose.h"

namespace emailv2::mime {
namespace {

Attachment part(std::string name, std::string path, std::string disposition = "attachment",
                std::optional<std::string> cid = std::nullopt) {
  Attachment a;
  a.name = std::move(name);
  a.part_path = std::move(path);
  a.disposition = std::move(disposition);
  a.content_id = std::move(cid);
  a.content_type = "application/octet-stream";
  a.data = "bytes of " + a.name + " at " + a.part_path;
  return a;
}

TEST(ForwardAttachments, DirectPartsOnly) {
  Message m;
  m.attachments = {part("logo.png", "1.2", "inline", "logo@x"),
                   part("invoice.pdf", "2"),
                   part("invoice.pdf", "3"),
                   part("winmail.dat", "4"),
                   part("report.docx", "4.tnef1"),
                   part("notes.txt", "4.tnef2"),
                   part("image1.png", "html:1")};
  const auto out = forward_attachments(m);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].file_name, "logo.png");
  EXPECT_TRUE(out[0].is_inline);
  EXPECT_EQ(out[0].content_id, std::optional<std::string>("logo@x"));
  EXPECT_EQ(out[1].file_name, "invoice.pdf");
  EXPECT_EQ(out[1].data, "bytes of invoice.pdf at 2");
  EXPECT_EQ(out[2].file_name, "invoice.pdf");
  EXPECT_EQ(out[2].data, "bytes of invoice.pdf at 3");
  EXPECT_FALSE(out[2].is_inline);
  EXPECT_EQ(out[3].file_name, "winmail.dat");
}

}  // namespace
}  // namespace emailv2::mime
