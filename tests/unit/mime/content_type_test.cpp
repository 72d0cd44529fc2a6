#include "mime/content_type.h"

#include <gtest/gtest.h>

namespace emailv2::mime {
namespace {

TEST(ContentType, HostileRows) {
  std::vector<std::string> w;
  EXPECT_EQ(parse_content_type("", w).type, "");
  EXPECT_EQ(parse_content_type(";;;", w).type, "");
  EXPECT_EQ(parse_content_type("garbage", w).type, "");
  const ContentType ct = parse_content_type("text/plain; charset=\"unterminated", w);
  EXPECT_EQ(ct.mime_type(), "text/plain");
  EXPECT_EQ(ct.params.get("charset"), "unterminated");
  // a thousand parameters are capped, not a crash
  std::string many = "text/plain";
  for (int i = 0; i < 1000; ++i) many += "; p" + std::to_string(i) + "=v";
  EXPECT_LE(parse_content_type(many, w).params.items.size(), 256u);
  // regression (fuzz_mime_address): a parameter named only by RFC 2231 suffixes has no name and is dropped
  EXPECT_TRUE(parse_content_type("text/plain; *0*=UTF-8''x; *1=y", w).params.items.empty());
}

TEST(ContentType, Basic) {
  std::vector<std::string> w;
  ContentType ct = parse_content_type("Text/HTML; Charset=\"UTF-8\"; format=flowed (comment)", w);
  EXPECT_EQ(ct.type, "text");
  EXPECT_EQ(ct.subtype, "html");
  EXPECT_EQ(ct.params.get("charset"), "UTF-8");
  ct = parse_content_type("image/ jpeg", w);
  EXPECT_EQ(ct.mime_type(), "image/jpeg");
  ct = parse_content_type("multipart/mixed;\r\n\tboundary=\"----=_Part_1\"", w);
  EXPECT_EQ(ct.params.get("boundary"), "----=_Part_1");
  ct = parse_content_type("text", w);
  EXPECT_EQ(ct.mime_type(), "text/plain");
}

TEST(ContentType, Rfc2231) {
  std::vector<std::string> w;
  Disposition d = parse_disposition(
      "attachment; filename*0*=UTF-8''%E6%97%A5%E6%9C%AC; filename*1*=%E8%AA%9E.txt; filename=\"fallback.txt\"", w);
  EXPECT_EQ(d.kind, "attachment");
  EXPECT_EQ(d.params.get("filename"), "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E.txt");
  d = parse_disposition("inline; filename*=iso-8859-1'de'Gr%FC%DFe.txt", w);
  EXPECT_EQ(d.params.get("filename"), "Gr\xC3\xBC\xC3\x9F" "e.txt");
  d = parse_disposition("attachment; filename*0=\"long \"; filename*1=\"name.pdf\"", w);
  EXPECT_EQ(d.params.get("filename"), "long name.pdf");
  // unquoted RFC 2047 in a parameter (mime4j russian-headers)
  d = parse_disposition("attachment; filename==?koi8-r?B?8NLJzcXS?=.txt", w);
  EXPECT_EQ(d.params.get("filename"), "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80.txt");
  // missing section 1: warned, the sections present are still used
  w.clear();
  d = parse_disposition("attachment; filename*0=a; filename*2=c", w);
  EXPECT_EQ(d.params.get("filename"), "a");
  EXPECT_EQ(w.size(), 1u);
}

}  // namespace
}  // namespace emailv2::mime
