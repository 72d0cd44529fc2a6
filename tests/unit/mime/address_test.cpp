#include "mime/address.h"

#include <gtest/gtest.h>

#include <ctime>

namespace emailv2::mime {
namespace {

std::vector<std::string> addrs(const AddressList& l) {
  std::vector<std::string> out;
  for (const Address& a : l.addresses) out.push_back(a.address);
  return out;
}

TEST(Address, AmbiguousTokenResolvedStrictlyWithWarning) {
  std::vector<std::string> w;
  const AddressList l = parse_address_list("a@x(<b@y>", w);
  EXPECT_EQ(addrs(l), std::vector<std::string>{"a@x"});
  EXPECT_FALSE(w.empty());
}

TEST(Address, HostileRows) {
  std::vector<std::string> w;
  EXPECT_TRUE(parse_address_list("", w).addresses.empty());
  EXPECT_TRUE(parse_address_list(",,,;;;:::", w).addresses.empty());
  EXPECT_EQ(addrs(parse_address_list("<unterminated@x", w)), std::vector<std::string>{"unterminated@x"});
  EXPECT_EQ(addrs(parse_address_list("\"unterminated <a@b>", w)).size(), 0u);
  EXPECT_EQ(addrs(parse_address_list("(((((", w)).size(), 0u);
  std::string many;
  for (int i = 0; i < 10'001; ++i) many += "a" + std::to_string(i) + "@x,";
  const AddressList l = parse_address_list(many, w);
  EXPECT_EQ(l.addresses.size(), 10'000u);
  EXPECT_TRUE(l.truncated);
}

TEST(Address, HostileRepetitionStaysLinear) {
  std::string v = "a@b";
  while (v.size() < 1024 * 1024) v += ":";
  std::vector<std::string> w;
  const auto t0 = std::clock();
  (void)parse_address_list(v, w);
  EXPECT_LT(static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC, 2.0);
}

TEST(Address, Rfc5322Forms) {
  struct Row {
    const char* in;
    std::vector<std::string> want;
    const char* first_name;
  };
  const Row rows[] = {
      {"John Doe <jdoe@machine.example>", {"jdoe@machine.example"}, "John Doe"},
      {"\"Joe Q. Public\" <john.q.public@example.com>", {"john.q.public@example.com"}, "Joe Q. Public"},
      {"Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
       {"mary@x.test", "jdoe@example.org", "one@y.test"},
       "Mary Smith"},
      {"<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
       {"boss@nil.test", "sysservices@example.net"},
       ""},
      {"A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
       {"c@a.test", "joe@where.test", "jdoe@one.test"},
       "Ed Jones"},
      {"Undisclosed recipients:;", {}, ""},
      {"Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", {"pete@silly.test"}, "Pete"},
      {"Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example",
       {"mary@example.net", "jdoe@test.example"},
       "Mary Smith"},
      {"=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?= <test@test.com>", {"test@test.com"}, "ab"},
      {"\"=?ISO-8859-1?Q?a?= b\" <test@test.com>", {"test@test.com"}, "a b"},
      {"Name.<name@example.com>", {"name@example.com"}, "Name."},
      {"phil@example.com <phil@example.com>", {"phil@example.com"}, "phil@example.com"},
      {"List 1: a1@t.com, a2@t.com; List 2: a3@t.com; a5@t.com", {"a1@t.com", "a2@t.com", "a3@t.com", "a5@t.com"}, ""},
  };
  for (const Row& r : rows) {
    std::vector<std::string> w;
    const AddressList l = parse_address_list(r.in, w);
    EXPECT_EQ(addrs(l), r.want) << r.in;
    if (!l.addresses.empty()) {
      EXPECT_EQ(l.addresses[0].name, r.first_name) << r.in;
    }
  }
}

}  // namespace
}  // namespace emailv2::mime
