// TNEF reader: streams built attribute by attribute, hostile rows first, then the happy paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mime/outlook/code_page.h"
#include "mime/tnef/tnef_attributes.h"
#include "mime/tnef/tnef_reader.h"

namespace emailv2::mime::tnef {
namespace {

std::string le16(std::uint32_t v) { return {static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF)}; }
std::string le32(std::uint32_t v) { return le16(v & 0xFFFF) + le16(v >> 16); }
std::string pad4(std::string s) {
  s.resize((s.size() + 3) / 4 * 4, '\0');
  return s;
}

class TnefBuilder {
 public:
  TnefBuilder() : bytes_(le32(kTnefSignature) + le16(0x1234)) {}
  TnefBuilder& attribute(std::uint8_t level, std::uint32_t id, std::string_view data, int checksum_delta = 0) {
    std::uint32_t sum = 0;
    for (char c : data) sum += static_cast<unsigned char>(c);
    bytes_ += static_cast<char>(level);
    bytes_ += le32(id) + le32(static_cast<std::uint32_t>(data.size()));
    bytes_ += data;
    bytes_ += le16((sum + static_cast<std::uint32_t>(checksum_delta)) & 0xFFFF);
    return *this;
  }
  TnefBuilder& raw(std::string_view more) {
    bytes_ += more;
    return *this;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// An attMAPIProps/attAttachment value.
class PropsBuilder {
 public:
  PropsBuilder& unicode(std::uint16_t id, std::string_view utf8) {
    return variable(0x001F, id, outlook::utf8_to_utf16le(utf8) + std::string(2, '\0'));
  }
  PropsBuilder& string8(std::uint16_t id, std::string_view s) { return variable(0x001E, id, std::string(s) + '\0'); }
  PropsBuilder& binary(std::uint16_t id, std::string_view s) { return variable(0x0102, id, std::string(s)); }
  PropsBuilder& object(std::uint16_t id, std::string_view s) { return variable(0x000D, id, std::string(16, 'I') + std::string(s)); }
  PropsBuilder& int32(std::uint16_t id, std::uint32_t v) {
    body_ += le16(0x0003) + le16(id) + le32(v);
    ++count_;
    return *this;
  }
  PropsBuilder& named_int16(std::uint32_t name_len) {
    // A named property identified by a string name, then a PT_I2 value padded to 4 bytes.
    body_ += le16(0x0002) + le16(0x8001) + std::string(16, 'G') + le32(1) + le32(name_len) +
             pad4(std::string(name_len, 'n')) + le16(7) + le16(0);
    ++count_;
    return *this;
  }
  PropsBuilder& multi_string8(std::uint16_t id) {
    body_ += le16(0x101E) + le16(id) + le32(2) + le32(2) + pad4("a") + le32(3) + pad4("bc");
    ++count_;
    return *this;
  }
  std::string build() const { return le32(count_) + body_; }

 private:
  PropsBuilder& variable(std::uint16_t type, std::uint16_t id, std::string value) {
    body_ += le16(type) + le16(id) + le32(1) + le32(static_cast<std::uint32_t>(value.size())) + pad4(value);
    ++count_;
    return *this;
  }
  std::uint32_t count_ = 0;
  std::string body_;
};

const std::string kRendData(14, '\x01');

TEST(TnefReader, HostileStreams) {
  EXPECT_FALSE(read_tnef(""));
  EXPECT_FALSE(read_tnef("\x78\x9f\x3e"));
  EXPECT_FALSE(read_tnef(std::string("\x78\x9f\x3e\x23\x00\x00", 6)));  // wrong signature byte

  // Bad checksum: a warning, the attachment is still read.
  TnefBuilder bad;
  bad.attribute(2, att::kAttachRendData, kRendData).attribute(2, att::kAttachTitle, std::string("a.txt\0", 6));
  bad.attribute(2, att::kAttachData, "DATA", 1);
  auto r = read_tnef(bad.bytes());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->attachments.size(), 1u);
  EXPECT_EQ(r->attachments[0].data, "DATA");
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("checksum"), std::string::npos);

  // A length past the end: warning, the partial data is kept, no over-read.
  TnefBuilder cut;
  cut.attribute(2, att::kAttachRendData, kRendData).raw(std::string("\x02\x0f\x80\x06\x00\xff\xff\xff\x7f" "abc", 12));
  r = read_tnef(cut.bytes());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->attachments.at(0).data, "abc");
  EXPECT_NE(r->warnings.at(0).find("cut off"), std::string::npos);

  // Garbage after the attributes stops the reader with a warning.
  TnefBuilder garbage;
  garbage.attribute(1, att::kSubject, std::string("S\0", 2)).raw("\x07garbage-garbage");
  r = read_tnef(garbage.bytes());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->subject, "S");
  EXPECT_FALSE(r->warnings.empty());

  // A MAPI property list claiming 2^31 properties or a value longer than the attribute.
  TnefBuilder props;
  props.attribute(1, att::kMapiProps, le32(0x7FFFFFFF));
  props.attribute(2, att::kAttachRendData, kRendData);
  props.attribute(2, att::kAttachment, le32(1) + le16(0x0102) + le16(0x3701) + le32(1) + le32(0xFFFFFF00));
  r = read_tnef(props.bytes());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->warnings.size(), 3u);  // two malformed property lists, then the nameless attachment
  EXPECT_NE(r->warnings[0].find("message properties"), std::string::npos);
  EXPECT_NE(r->warnings[1].find("attachment properties"), std::string::npos);
  EXPECT_EQ(r->attachments.size(), 1u);
}

TEST(TnefReader, AttachmentsWithNamesDataAndMapiProperties) {
  TnefBuilder b;
  b.attribute(1, att::kTnefVersion, le32(0x00010000));
  b.attribute(1, att::kOemCodepage, le32(1252) + le32(0));
  b.attribute(1, att::kMessageClass, std::string("IPM.Microsoft Mail.Note\0", 24));
  b.attribute(1, att::kSubject, std::string("legacy subject\0", 15));
  b.attribute(1, att::kMapiProps,
              PropsBuilder().unicode(0x0037, "Unicode subject \xE2\x9C\x93").named_int16(5).multi_string8(0x1234)
                  .binary(0x1013, "<p>html</p>").build());
  // 1: 8.3 title, long name in the MAPI properties, data before the properties.
  b.attribute(2, att::kAttachRendData, kRendData);
  b.attribute(2, att::kAttachTitle, std::string("LONGFI~1.DAT\0", 13));
  b.attribute(2, att::kAttachData, "first");
  b.attribute(2, att::kAttachment, PropsBuilder().unicode(0x3707, "long file name \xC3\xA9.dat")
                                       .string8(0x370E, "application/octet-stream").string8(0x3712, "cid-1")
                                       .int32(0x3705, 1).build());
  // 2: data before the name, windows-1252 title.
  b.attribute(2, att::kAttachRendData, kRendData);
  b.attribute(2, att::kAttachData, "");
  b.attribute(2, att::kAttachTitle, std::string("caf\xE9.txt\0", 9));
  // 3: no name at all.
  b.attribute(2, att::kAttachRendData, kRendData);
  b.attribute(2, att::kAttachData, "x");
  auto r = read_tnef(b.bytes());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message_class, "IPM.Microsoft Mail.Note");
  EXPECT_EQ(r->subject, "Unicode subject \xE2\x9C\x93");
  EXPECT_EQ(r->html_body, "<p>html</p>");
  ASSERT_EQ(r->attachments.size(), 3u);
  EXPECT_EQ(r->attachments[0].name, "long file name \xC3\xA9.dat");
  EXPECT_EQ(r->attachments[0].data, "first");
  EXPECT_EQ(r->attachments[0].mime_tag, "application/octet-stream");
  EXPECT_EQ(r->attachments[0].content_id, "cid-1");
  EXPECT_EQ(r->attachments[1].name, "caf\xC3\xA9.txt");
  EXPECT_EQ(r->attachments[1].data, "");
  EXPECT_EQ(r->attachments[2].name, "");
  EXPECT_EQ(r->warnings, std::vector<std::string>{"TNEF: attachment without a name"});
}

TEST(TnefReader, EmbeddedMessageObjectsAreReadRecursively) {
  TnefBuilder inner;
  inner.attribute(1, att::kMapiProps, PropsBuilder().string8(0x0037, "inner subject").build());
  inner.attribute(2, att::kAttachRendData, kRendData);
  inner.attribute(2, att::kAttachTitle, std::string("in.txt\0", 7));
  inner.attribute(2, att::kAttachData, "inner data");
  TnefBuilder outer;
  outer.attribute(2, att::kAttachRendData, kRendData);
  outer.attribute(2, att::kAttachment, PropsBuilder().int32(0x3705, 5).object(0x3701, inner.bytes()).build());
  // An OLE object (method 6) keeps its interface id, as other TNEF tools extract it.
  outer.attribute(2, att::kAttachRendData, kRendData);
  outer.attribute(2, att::kAttachment, PropsBuilder().int32(0x3705, 6).object(0x3701, "OLE").build());
  auto r = read_tnef(outer.bytes());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->attachments.size(), 2u);
  const TnefAttachment& a = r->attachments[0];
  EXPECT_TRUE(a.is_message);
  EXPECT_EQ(a.data, inner.bytes());
  EXPECT_EQ(a.name, "inner subject.msg");
  ASSERT_TRUE(a.message);
  EXPECT_EQ(a.message->attachments.at(0).name, "in.txt");
  EXPECT_EQ(a.message->attachments.at(0).data, "inner data");
  EXPECT_EQ(r->attachments[1].data, std::string(16, 'I') + "OLE");
  EXPECT_FALSE(r->attachments[1].is_message);
}

TEST(TnefReader, EmbeddedDepthIsCapped) {
  std::string level = TnefBuilder().attribute(1, att::kSubject, std::string("deepest\0", 8)).bytes();
  for (int i = 0; i < 5; ++i) {
    TnefBuilder wrap;
    wrap.attribute(2, att::kAttachRendData, kRendData);
    wrap.attribute(2, att::kAttachment, PropsBuilder().int32(0x3705, 5).object(0x3701, level).build());
    level = wrap.bytes();
  }
  auto r = read_tnef(level);
  ASSERT_TRUE(r);
  const TnefContent* c = &*r;
  int depth = 0;
  while (!c->attachments.empty() && c->attachments[0].message) {
    c = c->attachments[0].message.get();
    ++depth;
  }
  EXPECT_EQ(depth, 3);
  EXPECT_TRUE(c->truncated);
}

TEST(TnefReader, EveryPrefixOneByteAtATime) {
  TnefBuilder b;
  std::vector<std::size_t> boundaries{b.bytes().size()};
  b.attribute(1, att::kMapiProps, PropsBuilder().unicode(0x0037, "subject").named_int16(3).build());
  boundaries.push_back(b.bytes().size());
  b.attribute(2, att::kAttachRendData, kRendData);
  boundaries.push_back(b.bytes().size());
  b.attribute(2, att::kAttachTitle, std::string("a.txt\0", 6));
  boundaries.push_back(b.bytes().size());
  b.attribute(2, att::kAttachData, "0123456789");
  const std::string whole = b.bytes();
  auto full = read_tnef(whole);
  ASSERT_TRUE(full);
  EXPECT_TRUE(full->warnings.empty());
  for (std::size_t n = 0; n < whole.size(); ++n) {
    auto r = read_tnef(std::string_view(whole).substr(0, n));
    if (n < 6) {
      EXPECT_FALSE(r);
      continue;
    }
    ASSERT_TRUE(r);
    const bool boundary = std::find(boundaries.begin(), boundaries.end(), n) != boundaries.end();
    // A prefix that ends inside an attribute always warns; one that ends between attributes is a valid stream.
    if (!boundary) {
      EXPECT_FALSE(r->warnings.empty()) << "prefix " << n << " should warn";
    }
  }
}

}  // namespace
}  // namespace emailv2::mime::tnef
