// RFC 5322 mailbox syntax as accepted in parameters (core/address_syntax).
#include "core/address_syntax.h"

#include <gtest/gtest.h>

namespace emailv2::address {
namespace {

TEST(Mailbox, RejectsHostileAndMalformed) {
  const std::string bad[] = {
      "", "   ", "@", "a@", "@b", "a@b@", "a@.b", "a@b.", "a.@b", ".a@b", "a..b@c", "a b@c", "a@b c",
      "<a@b>x", "Name <a@b", "Name a@b>", "Name <>", "Name <a@b> trailing", "\"unterminated <a@b>",
      "a@b\r\n", std::string("a\0@b", 4), "a\x01@b", "(c) a@b", "a@[x]y", "group: a@b;", "<@route:a@b>",
      "\"a\"b@c", "a@[]", "\"\\\"@b",
  };
  for (const auto& s : bad) EXPECT_FALSE(parse_mailbox(s).has_value()) << s;
}

TEST(Mailbox, AcceptsAddrSpecAndNameAddr) {
  struct Row {
    std::string in, name, spec;
  };
  const Row rows[] = {
      {"a@b", "", "a@b"},
      {" user.name+tag@example.co.uk ", "", "user.name+tag@example.co.uk"},
      {"\"quoted local\"@example.com", "", "\"quoted local\"@example.com"},
      {"a@[127.0.0.1]", "", "a@[127.0.0.1]"},
      {"<a@b>", "", "a@b"},
      {"John Doe <john@x.com>", "John Doe", "john@x.com"},
      {"\"Doe, John\" <j@x.com>", "Doe, John", "j@x.com"},
      {"\"Say \\\"hi\\\"\" <h@x.com>", "Say \"hi\"", "h@x.com"},
      {"J. Doe <j@x.com>", "J. Doe", "j@x.com"},
      {"\xC3\x89lodie <e@x.fr>", "\xC3\x89lodie", "e@x.fr"},
      {"\xE7\x94\xA8\xE6\x88\xB7@\xE4\xBE\x8B\xE5\xAD\x90.\xE5\x85\xAC\xE5\x8F\xB8", "",
       "\xE7\x94\xA8\xE6\x88\xB7@\xE4\xBE\x8B\xE5\xAD\x90.\xE5\x85\xAC\xE5\x8F\xB8"},
      {"\"a <b\" <c@d>", "a <b", "c@d"},
  };
  for (const auto& row : rows) {
    auto m = parse_mailbox(row.in);
    ASSERT_TRUE(m.has_value()) << row.in;
    EXPECT_EQ(m->display_name, row.name) << row.in;
    EXPECT_EQ(m->addr_spec, row.spec) << row.in;
  }
}

TEST(Mailbox, DomainIsAfterLastAt) {
  auto m = parse_mailbox("\"a@b\"@example.org");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->domain(), "example.org");
}

TEST(AddrSpec, NoDisplayNameAllowed) {
  EXPECT_TRUE(is_addr_spec("soc@lab.test"));
  EXPECT_FALSE(is_addr_spec("SOC <soc@lab.test>"));
  EXPECT_FALSE(is_addr_spec("<soc@lab.test>"));
}

}  // namespace
}  // namespace emailv2::address
